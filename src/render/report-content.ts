import { DateTime } from 'luxon';
import type { Template } from '../sharing-tasks/schemas';
import type { RenderRequest } from './renderer';

/** The inline data extension of `chartData.objectDef` that the built-in renderer draws. */
export interface InlineData {
  title?: string;
  chartKind?: 'bar' | 'line' | 'pie' | 'table';
  columns: string[];
  rows: (string | number | null)[][];
}

/** What every built-in format shows: a title, what the report is of, and the data when the template carries it. */
export interface ReportContent {
  title: string;
  facts: [label: string, value: string][];
  data?: InlineData;
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

export function reportContent({ template, task, generatedAt }: RenderRequest): ReportContent {
  const data = inlineData(template);
  const source = template.chartData ?? template.sheetData ?? template.storyData ?? template.multiSheetData?.[0];
  const facts: [string, string][] = [
    ['Task', task.name],
    ['Template', `${template.type}${template.subType ? ` (${template.subType})` : ''}`],
    ['App', source?.appId ?? 'n/a'],
  ];
  if (template.chartData) facts.push(['Sheet', template.chartData.sheetId], ['Object', template.chartData.objectId]);
  if (template.sheetData) facts.push(['Sheet', template.sheetData.sheetId]);
  if (template.storyData) facts.push(['Story', template.storyData.storyId]);
  if (template.multiSheetData) facts.push(['Sheets', template.multiSheetData.map((s) => s.sheetName ?? s.sheetId).join(', ')]);
  facts.push(
    ['Selections', selectionsText(task.selections)],
    ['Generated', DateTime.fromJSDate(generatedAt, { zone: task.timezone }).toFormat("yyyy-MM-dd HH:mm:ss ZZZZ")],
  );
  return { title: data?.title ?? template.fileName ?? task.name, facts, data };
}
