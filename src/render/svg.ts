import { round, type Shape, type Size } from './shapes';

/** Families most Linux images, macOS and Windows have; resvg falls back to whatever font it found when none match. */
const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an XML element or attribute; characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Attributes = Record<string, string | number | undefined>;

function element(name: string, attributes: Attributes, content?: string): string {
  const attrs = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? round(value) : escapeXml(value!)}"`)
    .join('');
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

function svgElement(shape: Shape): string {
  switch (shape.kind) {
    case 'rect':
      return element('rect', { x: shape.x, y: shape.y, width: shape.width, height: shape.height, fill: shape.fill ?? 'none', stroke: shape.stroke });
    case 'line':
      return element('line', { x1: shape.x1, y1: shape.y1, x2: shape.x2, y2: shape.y2, stroke: shape.stroke, 'stroke-width': shape.width });
    case 'path':
      return element('path', { d: shape.d, fill: shape.fill ?? 'none', stroke: shape.stroke, 'stroke-width': shape.width, 'stroke-linejoin': 'round' });
    case 'circle':
      return element('circle', { cx: shape.cx, cy: shape.cy, r: shape.r, fill: shape.fill });
    case 'text':
      return element(
        'text',
        {
          x: shape.x,
          y: shape.y,
          'font-size': shape.size,
          fill: shape.fill,
          'font-weight': shape.bold ? 'bold' : undefined,
          'text-anchor': shape.anchor,
          transform: shape.rotate ? `rotate(${shape.rotate} ${round(shape.x)} ${round(shape.y)})` : undefined,
        },
        escapeXml(shape.text),
      );
  }
}

/** A standalone SVG document of a drawing laid out at `layout`, scaled to `output` (in proportion, centred). */
export function svgDocument(shapes: Shape[], layout: Size, output: Size = layout): string {
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: output.width,
      height: output.height,
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      preserveAspectRatio: 'xMidYMid meet',
      'font-family': FONT_FAMILY,
    },
    shapes.map(svgElement).join(''),
  );
}
