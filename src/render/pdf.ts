import PDFDocument from 'pdfkit';
import type { ReportContent } from './report-content';

const MARGIN = 50;

function drawTable(doc: PDFKit.PDFDocument, columns: string[], rows: (string | number | null)[][]): void {
  const width = doc.page.width - 2 * MARGIN;
  const columnWidth = width / Math.max(columns.length, 1);
  const drawRow = (cells: (string | number | null)[], bold: boolean) => {
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

/** A PDF report: title, the facts of what it shows, and its data as a table. */
export function renderPdf(content: ReportContent): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: content.title, Creator: 'sharing-tasks' } });
  const parts: Buffer[] = [];
  doc.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(20).text(content.title);
  doc.moveDown();
  for (const [label, value] of content.facts) {
    doc.font('Helvetica-Bold').fontSize(11).text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  }
  if (content.data) {
    doc.moveDown();
    drawTable(doc, content.data.columns, content.data.rows);
  }
  doc.end();
  return done;
}
