import assert from 'node:assert/strict';
import { Workbook } from 'exceljs';
import JSZip from 'jszip';
import { BuiltinRenderer } from '../../../src/render';
import { chartTemplate, multiSheetTemplate, request, sales } from './requests';

async function readWorkbook(bytes: Buffer): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

/** Each row's cells from A to the last used column, empty ones as null. */
function rowValues(workbook: Workbook, name: string): unknown[][] {
  const sheet = workbook.getWorksheet(name)!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push(Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1).value ?? null)));
  return rows;
}

describe('XLSX rendering', () => {
  const renderer = new BuiltinRenderer();

  it('writes the data as an Excel table on a worksheet named after the chart, numbers as numbers', async () => {
    const file = await renderer.render(request(chartTemplate('xlsx'), 'xlsx'));
    assert.equal(file.extension, 'xlsx');
    assert.equal(file.contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    const workbook = await readWorkbook(file.bytes);
    assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Sales by region']);
    assert.deepEqual(rowValues(workbook, 'Sales by region'), [sales.columns, ...sales.rows]);
    assert.equal(typeof workbook.getWorksheet('Sales by region')!.getCell('C3').value, 'number');

    const zip = await JSZip.loadAsync(file.bytes);
    const table = await zip.file('xl/tables/table1.xml')?.async('string');
    assert.ok(table, 'no table part');
    assert.match(table, /ref="A1:C4"/);
    for (const column of sales.columns) assert.match(table, new RegExp(`<tableColumn [^>]*name="${column}"`));
  });

  it('writes the facts on a Report worksheet when the chart carries no data', async () => {
    const workbook = await readWorkbook((await renderer.render(request(chartTemplate('xlsx', { objectDef: undefined }), 'xlsx'))).bytes);
    assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Report']);
    const facts = Object.fromEntries(rowValues(workbook, 'Report').map(([label, value]) => [label, value]));
    assert.equal(facts.Task, 'Weekly sales');
    assert.equal(facts.Object, 'object-1');
    assert.equal(facts.Selections, 'Region = North, South');
  });

  it('gives each sheet of a multi-sheet template its own worksheet', async () => {
    const workbook = await readWorkbook((await renderer.render(request(multiSheetTemplate('xlsx', 4), 'xlsx'))).bytes);
    assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Region 1', 'Region 2', 'Region 3', 'Region 4']);
    assert.ok(rowValues(workbook, 'Region 3').some(([label, value]) => label === 'Sheet ID' && value === 'sheet-3'));
  });

  it('makes names Excel accepts out of any title and header', async () => {
    const objectDef = { title: 'Q1: sales/costs [draft]? and a very long tail', columns: ['Region', '', 'Region'], rows: [] };
    const file = await renderer.render(request(chartTemplate('xlsx', { objectDef }), 'xlsx'));
    const workbook = await readWorkbook(file.bytes);
    const [name] = workbook.worksheets.map((sheet) => sheet.name);
    assert.equal(name, 'Q1_ sales_costs _draft__ and a');
    const table = await (await JSZip.loadAsync(file.bytes)).file('xl/tables/table1.xml')!.async('string');
    assert.deepEqual([...table.matchAll(/<tableColumn [^>]*name="([^"]*)"/g)].map((match) => match[1]), ['Region', 'Column 2', 'Region 2']);
  });
});
