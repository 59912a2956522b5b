import { DateTime } from 'luxon';
import type { SheetData, Template } from '../sharing-tasks/schemas';
import type { RenderRequest } from './renderer';

export type Cell = string | number | null;
export type Fact = [label: string, value: string];

/** The inline data extension of `chartData.objectDef` that the built-in renderer draws. */
export interface InlineData {
  title?: string;
  chartKind?: 'bar' | 'line' | 'pie' | 'table';
  columns: string[];
  rows: Cell[][];
}

/** One page, slide or worksheet: what it shows, named, with its data when the template carries it. */
export interface ReportSection {
  name: string;
  facts: Fact[];
  data?: InlineData;
}

/** What every built-in format shows: a title, what the report is of, and one section per object or sheet. */
export interface ReportContent {
  title: string;
  facts: Fact[];
  sections: ReportSection[];
}

function inlineData(template: Template): InlineData | undefined {
  const def = (template.chartData?.objectDef ?? undefined) as Partial<InlineData> | undefined;
  if (!def || !Array.isArray(def.columns) || !Array.isArray(def.rows)) return undefined;
  return { title: def.title, chartKind: def.chartKind, columns: def.columns, rows: def.rows };
}

function selectionsText(selections: unknown[] | undefined): string {
  if (!selections?.length) return 'none';
  return selections
    .map((s) => {
      const { name, values } = s as { name?: string; values?: unknown[] };
      return `${name ?? '?'} = ${(values ?? []).join(', ')}`;
    })
    .join('; ');
}

const sheetLabel = (sheet: SheetData) => sheet.sheetName ?? sheet.sheetId;

/** The facts naming what the whole template, or one part of it, shows. */
function whatItShows(template: Template): Fact[] {
  if (template.chartData) return [['Sheet', template.chartData.sheetId], ['Object', template.chartData.objectId]];
  if (template.sheetData) return [['Sheet', template.sheetData.sheetId]];
  if (template.storyData) return [['Story', template.storyData.storyId]];
  if (template.multiSheetData) return [['Sheets', template.multiSheetData.map(sheetLabel).join(', ')]];
  return [];
}

function sheetFacts(sheet: SheetData): Fact[] {
  return sheet.sheetName ? [['Sheet', sheet.sheetName], ['Sheet ID', sheet.sheetId]] : [['Sheet', sheet.sheetId]];
}

export function reportContent({ template, task, generatedAt }: RenderRequest): ReportContent {
  const data = inlineData(template);
  const source = template.chartData ?? template.sheetData ?? template.storyData ?? template.multiSheetData?.[0];
  const factsWith = (shown: Fact[], appId = source?.appId): Fact[] => [
    ['Task', task.name],
    ['Template', `${template.type}${template.subType ? ` (${template.subType})` : ''}`],
    ['App', appId ?? 'n/a'],
    ...shown,
    ['Selections', selectionsText(task.selections)],
    ['Generated', DateTime.fromJSDate(generatedAt, { zone: task.timezone }).toFormat('yyyy-MM-dd HH:mm:ss ZZZZ')],
  ];
  const facts = factsWith(whatItShows(template));
  const title = data?.title ?? template.fileName ?? task.name;

  let sections: ReportSection[];
  if (template.chartData) {
    sections = [{ name: data?.title ?? `Chart ${template.chartData.objectId}`, facts, data }];
  } else if (template.sheetData) {
    sections = [{ name: `Sheet ${sheetLabel(template.sheetData)}`, facts }];
  } else if (template.storyData) {
    sections = [{ name: `Story ${template.storyData.storyId}`, facts }];
  } else if (template.multiSheetData) {
    sections = template.multiSheetData.map((sheet) => ({ name: sheetLabel(sheet), facts: factsWith(sheetFacts(sheet), sheet.appId) }));
  } else {
    sections = [{ name: 'Report', facts }];
  }
  return { title, facts, sections };
}
