import PDFDocument from 'pdfkit';
import { sectionDrawing } from './chart-drawing';
import { chartModel } from './chart-model';
import { paintShapes } from './pdf-shapes';
import type { Cell, ReportContent, ReportSection } from './report-content';

const MARGIN = 50;
/** Charts are laid out as for a 16:9 image of this size, then scaled to the page width. */
const CHART_LAYOUT = { width: 800, height: 450 };

function drawTable(doc: PDFKit.PDFDocument, columns: string[], rows: Cell[][]): void {
  const width = doc.page.width - 2 * MARGIN;
  const columnWidth = width / Math.max(columns.length, 1);
  const drawRow = (cells: Cell[], bold: boolean) => {
    if (doc.y > doc.page.height - MARGIN - 20) doc.addPage();
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    cells.forEach((cell, i) => {
      doc.text(cell === null ? '' : String(cell), MARGIN + i * columnWidth + 2, y, { width: columnWidth - 4, lineBreak: false });
    });
    doc.moveTo(MARGIN, y + 14).lineTo(MARGIN + width, y + 14).strokeColor('#cccccc').stroke();
    doc.y = y + 18;
  };
  drawRow(columns, true);
  for (const row of rows) drawRow(row, false);
}

function drawChart(doc: PDFKit.PDFDocument, section: ReportSection): void {
  const width = doc.page.width - 2 * MARGIN;
  const height = (width * CHART_LAYOUT.height) / CHART_LAYOUT.width;
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
  paintShapes(doc, sectionDrawing(section, CHART_LAYOUT), CHART_LAYOUT, { x: MARGIN, y: doc.y, width });
  doc.y += height + 10;
}

/** One page (more when its table runs over): titles, the facts of what it shows, its chart, its data. */
function drawSection(doc: PDFKit.PDFDocument, title: string, section: ReportSection): void {
  doc.x = MARGIN;
  doc.font('Helvetica-Bold').fontSize(20).text(title);
  if (section.name !== title) doc.font('Helvetica-Bold').fontSize(14).fillColor('#444444').text(section.name).fillColor('black');
  doc.moveDown();
  for (const [label, value] of section.facts) {
    doc.font('Helvetica-Bold').fontSize(11).text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  }
  if (!section.data) return;
  doc.moveDown();
  if (chartModel(section.data)) drawChart(doc, section);
  drawTable(doc, section.data.columns, section.data.rows);
}

/**
 * A PDF report: a page per section (the chart, one sheet of a multi-sheet template...), each with
 * its chart, drawn as vectors, above its data table.
 */
export function renderPdf(content: ReportContent): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: content.title, Creator: 'sharing-tasks' } });
  const parts: Buffer[] = [];
  doc.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  content.sections.forEach((section, index) => {
    if (index > 0) doc.addPage();
    drawSection(doc, content.title, section);
  });
  doc.end();
  return done;
}
