import { Workbook, type Worksheet } from 'exceljs';
import type { Cell, Fact, InlineData, ReportContent } from './report-content';

const MAX_SHEET_NAME = 31;
const MAX_COLUMN_WIDTH = 60;

/** A worksheet name Excel accepts: at most 31 characters, none of \ / ? * [ ] :, no apostrophe at either end, unique regardless of case. */
function worksheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[\\/?*[\]:]/g, '_').slice(0, MAX_SHEET_NAME).replace(/^['\s]+|['\s]+$/g, '') || 'Sheet';
  let name = base;
  // "History" is reserved by Excel.
  for (let n = 2; taken.has(name.toLowerCase()) || name.toLowerCase() === 'history'; n++) {
    const suffix = ` (${n})`;
    name = `${base.slice(0, MAX_SHEET_NAME - suffix.length)}${suffix}`;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** Table headers must be non-empty and distinct, or Excel repairs (rewrites) the file on opening. */
function headerNames(columns: string[]): string[] {
  const seen = new Set<string>();
  return columns.map((column, index) => {
    const base = column.trim() || `Column ${index + 1}`;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base} ${n}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

function fitColumnWidths(sheet: Worksheet, rows: Cell[][]): void {
  const widths = new Map<number, number>();
  for (const row of rows) {
    row.forEach((cell, index) => widths.set(index, Math.max(widths.get(index) ?? 8, String(cell ?? '').length + 2)));
  }
  for (const [index, width] of widths) sheet.getColumn(index + 1).width = Math.min(width, MAX_COLUMN_WIDTH);
}

function writeData(sheet: Worksheet, tableName: string, data: InlineData): void {
  const columns = headerNames(data.columns);
  sheet.addTable({
    name: tableName,
    ref: 'A1',
    headerRow: true,
    style: { theme: 'TableStyleMedium2', showRowStripes: true },
    columns: columns.map((name) => ({ name, filterButton: true })),
    // An Excel table has at least one data row, even if empty.
    rows: data.rows.length > 0 ? data.rows : [columns.map(() => null)],
  });
  fitColumnWidths(sheet, [columns, ...data.rows]);
}

function writeFacts(sheet: Worksheet, facts: Fact[]): void {
  for (const fact of facts) sheet.addRow(fact);
  sheet.getColumn(1).font = { bold: true };
  fitColumnWidths(sheet, facts);
}

/** An Excel workbook: a worksheet per section, its data as an Excel table (numbers stay numbers), else its facts. */
export async function renderXlsx(content: ReportContent, generatedAt: Date): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'sharing-tasks';
  workbook.title = content.title;
  workbook.created = generatedAt;
  const taken = new Set<string>();
  content.sections.forEach((section, index) => {
    const name = section.data || content.sections.length > 1 ? section.name : 'Report';
    const sheet = workbook.addWorksheet(worksheetName(name, taken));
    if (section.data) writeData(sheet, `Data${index + 1}`, section.data);
    else writeFacts(sheet, section.facts);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
