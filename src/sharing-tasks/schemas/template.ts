import { FileTimeStamp, ResizeType, TemplateSubType, TemplateType } from './enums';
import { JsonObject } from './common';
import { z } from './zod';

const positiveInt = z.number().int().positive();

/**
 * An inline data extension of `chartData.objectDef` that the built-in renderer draws as a chart and
 * a table. Other objectDef keys pass through untouched (a real BI engine reads those).
 */
export const InlineChartData = z
  .object({
    title: z.string().max(500).optional(),
    chartKind: z.enum(['bar', 'line', 'pie', 'table']).optional(),
    columns: z.array(z.string().max(200)).min(1).max(50),
    rows: z.array(z.array(z.union([z.string().max(1000), z.number(), z.null()]))).max(10_000),
  })
  .loose()
  .superRefine((data, context) => {
    data.rows.forEach((row, index) => {
      if (row.length !== data.columns.length) {
        context.addIssue({ code: 'custom', path: ['rows', index], message: `has ${row.length} cells for ${data.columns.length} columns` });
      }
    });
  })
  .openapi('InlineChartData', { description: 'Optional data for the built-in renderer: a title, a chart kind, columns and rows.' });

export const ChartData = z
  .object({
    appId: z.string().min(1),
    sheetId: z.string().min(1),
    objectId: z.string().min(1),
    widthPx: positiveInt.max(10_000),
    heightPx: positiveInt.max(10_000),
    language: z.string().min(2).optional(),
    outDpi: positiveInt.max(1200).optional(),
    outZoom: z.number().positive().max(10).optional(),
    jsOpts: JsonObject.optional(),
    patches: z.array(z.unknown()).optional(),
    objectDef: z.union([InlineChartData, JsonObject]).optional(),
  })
  .superRefine((chart, context) => {
    const language = chart.language ?? (chart.jsOpts?.language as string | undefined);
    if (!language) context.addIssue({ code: 'custom', path: ['language'], message: 'is required (chartData.language or chartData.jsOpts.language)', params: { rule: 'required' } });
  });

export const SheetData = z.object({
  appId: z.string().min(1),
  sheetId: z.string().min(1),
  widthPx: z.number().int().min(0).max(10_000).optional(),
  heightPx: z.number().int().min(0).max(10_000).optional(),
  isPrivate: z.boolean().optional(),
  sheetName: z.string().optional(),
  jsOpts: JsonObject.optional(),
  jsOptsById: JsonObject.optional(),
  patchesById: JsonObject.optional(),
  resizeType: ResizeType.optional(),
});

export const StoryData = z.object({ appId: z.string().min(1), storyId: z.string().min(1) });

export const MAX_SHEETS = 10;

const REQUIRED_DATA: Partial<Record<z.infer<typeof TemplateType>, 'chartData' | 'sheetData' | 'storyData' | 'multiSheetData'>> = {
  chart: 'chartData',
  sheet: 'sheetData',
  story: 'storyData',
  'multi-sheet': 'multiSheetData',
};

export const Template = z
  .object({
    type: TemplateType,
    subType: TemplateSubType.optional(),
    fileName: z.string().max(200).optional(),
    fileAlias: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, . _ - only (1 to 100)').optional(),
    fileTimeStamp: FileTimeStamp.optional(),
    templateId: z.string().optional(),
    chartData: ChartData.nullish(),
    sheetData: SheetData.nullish(),
    storyData: StoryData.nullish(),
    multiSheetData: z.array(SheetData).min(1).max(MAX_SHEETS).nullish(),
  })
  .superRefine((template, context) => {
    const required = REQUIRED_DATA[template.type];
    if (required && !template[required]) {
      context.addIssue({ code: 'custom', path: [required], message: `is required for a ${template.type} template`, params: { rule: 'required' } });
    }
  })
  .openapi('Template');

export type Template = z.infer<typeof Template>;
