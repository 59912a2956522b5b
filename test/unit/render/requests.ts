import { PNG } from 'pngjs';
import type { OutputFormat, RenderRequest } from '../../../src/render';
import { TemplateSchema, type Template } from '../../../src/sharing-tasks/schemas';

export const task = { id: 'task-1', name: 'Weekly sales', timezone: 'Europe/Paris', selections: [{ name: 'Region', values: ['North', 'South'] }] };
export const generatedAt = new Date('2026-03-29T00:30:00Z'); // 01:30 in Paris

export const sales = {
  title: 'Sales by region',
  chartKind: 'bar' as const,
  columns: ['Region', 'Sales', 'Costs'],
  rows: [
    ['North', 120, 80],
    ['South', 80, 95.5],
    ['East', 45, null],
  ],
};

/** Templates go through the API's own schema, so tests only render what a task could hold. */
export function template(input: Record<string, unknown>): Template {
  return TemplateSchema.parse(input);
}

export function chartTemplate(subType: string, chartData: Record<string, unknown> = {}): Template {
  return template({
    type: 'chart',
    subType,
    chartData: { appId: 'app-sales', sheetId: 'sheet-1', objectId: 'object-1', widthPx: 800, heightPx: 600, language: 'en', objectDef: sales, ...chartData },
  });
}

export function multiSheetTemplate(subType: string, sheetCount: number): Template {
  const sheets = Array.from({ length: sheetCount }, (_, i) => ({ appId: 'app-sales', sheetId: `sheet-${i + 1}`, sheetName: `Region ${i + 1}` }));
  return template({ type: 'multi-sheet', subType, fileName: 'Board pack', multiSheetData: sheets });
}

export function request(templateToRender: Template, format: OutputFormat): RenderRequest {
  return { template: templateToRender, format, task, generatedAt };
}

/** A PNG drawn pixel by pixel with pngjs, not by the code under test. */
export function pngOf(width: number, height: number, colourAt: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set(colourAt(x, y), (y * width + x) * 4);
  }
  return PNG.sync.write(png);
}

/** How many distinct RGBA colours a PNG holds, read back with pngjs. */
export function colourCount(bytes: Buffer): number {
  const { data } = PNG.sync.read(bytes);
  const colours = new Set<number>();
  for (let offset = 0; offset < data.length; offset += 4) colours.add(data.readUInt32BE(offset));
  return colours.size;
}
