import type { Shape, Size, Text } from './shapes';

function paintText(doc: PDFKit.PDFDocument, text: Text): void {
  doc.font(text.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(text.size).fillColor(text.fill);
  const width = doc.widthOfString(text.text);
  const x = text.anchor === 'middle' ? text.x - width / 2 : text.anchor === 'end' ? text.x - width : text.x;
  doc.save();
  if (text.rotate) doc.rotate(text.rotate, { origin: [text.x, text.y] });
  doc.text(text.text, x, text.y, { lineBreak: false, baseline: 'alphabetic' });
  doc.restore();
}

function paint(doc: PDFKit.PDFDocument, shape: Shape): void {
  switch (shape.kind) {
    case 'rect':
    case 'path': {
      if (shape.kind === 'rect') doc.rect(shape.x, shape.y, shape.width, shape.height);
      else doc.path(shape.d).lineWidth(shape.width ?? 1).lineJoin('round');
      if (shape.fill && shape.stroke) doc.fillAndStroke(shape.fill, shape.stroke);
      else if (shape.fill) doc.fill(shape.fill);
      else if (shape.stroke) doc.stroke(shape.stroke);
      return;
    }
    case 'line':
      doc.moveTo(shape.x1, shape.y1).lineTo(shape.x2, shape.y2).lineWidth(shape.width ?? 1).stroke(shape.stroke);
      return;
    case 'circle':
      doc.circle(shape.cx, shape.cy, shape.r).fill(shape.fill);
      return;
    case 'text':
      paintText(doc, shape);
      return;
  }
}

/**
 * Paints a drawing as vectors (sharp at any zoom, its words searchable, in the PDF's own fonts)
 * into the box at (x, y) of `width` points, scaled from its `layout` size.
 */
export function paintShapes(doc: PDFKit.PDFDocument, shapes: Shape[], layout: Size, at: { x: number; y: number; width: number }): void {
  const { x: savedX, y: savedY } = doc;
  doc.save();
  doc.translate(at.x, at.y).scale(at.width / layout.width);
  for (const shape of shapes) paint(doc, shape);
  doc.restore();
  doc.fillColor('black').strokeColor('black').lineWidth(1);
  doc.x = savedX;
  doc.y = savedY;
}
