import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { crc32 } from 'node:zlib';
import type { Template } from '../sharing-tasks/schemas';
import { naturalSize, sectionSvg } from './chart-drawing';
import { imageSize } from './image-size';
import type { ReportContent, ReportSection } from './report-content';

/**
 * Where text glyphs come from. System fonts are loaded by default (fontconfig's directories such
 * as /usr/share/fonts); `fontFiles`/`fontDirs` add fonts shipped with a deployment. resvg falls back
 * to any font it found when the drawing's families are missing. With no font at all it draws no
 * text and throws nothing: charts keep their bars, lines, slices and rules, and a report card its
 * frame and title band, so a font-less machine yields images without words rather than failures.
 */
export interface FontOptions {
  loadSystemFonts?: boolean;
  fontFiles?: string[];
  fontDirs?: string[];
  defaultFontFamily?: string;
}

/** Rasterizes an SVG to PNG bytes off the event loop (resvg renders on its own thread pool). */
export async function rasterize(svg: string, fonts: FontOptions = {}): Promise<Buffer> {
  const options: ResvgRenderOptions = {
    font: { loadSystemFonts: true, ...fonts },
    background: '#ffffff',
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  };
  const image = await renderAsync(svg, options);
  return image.asPng();
}

const PNG_HEADER_END = 8 + 25; // signature, then the IHDR chunk (length, type, 13 bytes, CRC)

/** Records a density in a pHYs chunk (pixels per metre) after IHDR; resvg writes none. */
export function withDpi(png: Buffer, dpi: number): Buffer {
  const chunk = Buffer.alloc(4 + 4 + 9 + 4);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  const pixelsPerMetre = Math.round(dpi / 0.0254);
  chunk.writeUInt32BE(pixelsPerMetre, 8);
  chunk.writeUInt32BE(pixelsPerMetre, 12);
  chunk.writeUInt8(1, 16); // unit: metre
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  return Buffer.concat([png.subarray(0, PNG_HEADER_END), chunk, png.subarray(PNG_HEADER_END)]);
}

/** The one picture a PNG holds: the template's only section, or a card of the whole report when it has several. */
function pictureOf(content: ReportContent): ReportSection {
  return content.sections.length === 1 ? content.sections[0]! : { name: content.title, facts: content.facts };
}

/** What a PNG of this content is drawn from: its SVG, and the density to record, if any. */
export interface PngDrawing {
  svg: string;
  dpi?: number;
}

export function pngDrawing(content: ReportContent, template: Template): PngDrawing {
  const picture = pictureOf(content);
  const size = imageSize(template, naturalSize(picture));
  return { svg: sectionSvg(picture, size.layout, size.output), ...(size.dpi ? { dpi: size.dpi } : {}) };
}

export async function drawPng({ svg, dpi }: PngDrawing, fonts?: FontOptions): Promise<Buffer> {
  const png = await rasterize(svg, fonts);
  return dpi ? withDpi(png, dpi) : png;
}
