import { onEveryObject } from './common';
import { jsonArray, JsonObjectSchema } from './free-form';
import { FileTimeStampSchema, ResizeTypeSchema, TemplateSubTypeSchema, TemplateTypeSchema, type TemplateType } from './enums';
import { ObjectDefSchema } from './inline-chart-data';
import { singleLine } from './text';
import { z } from './zod';

const MAX_PIXELS = 10_000;
const pixels = z.number().int().positive().max(MAX_PIXELS);
/** multi-sheet sizes: 0 or absent means autofit (the reference). */
const autofitPixels = z.number().int().min(0).max(MAX_PIXELS);
const id = singleLine().min(1).max(1000);

export const ChartDataSchema = z
  .object({
    appId: id.openapi({ description: 'ID of app' }),
    sheetId: id.openapi({ description: 'sheetId of app' }),
    objectId: id.openapi({ description: 'ID of object' }),
    widthPx: pixels,
    heightPx: pixels,
    language: singleLine().min(2).max(35).optional().openapi({ description: 'rendering language (BCP 47); required here or as jsOpts.language' }),
    outZoom: z.number().positive().max(10).optional(),
    outDpi: z.number().int().positive().max(1200).optional(),
    patches: jsonArray('soft property changes on the chart').optional(),
    objectDef: ObjectDefSchema.optional(),
    jsOpts: JsonObjectSchema.optional().openapi({ description: 'visualization state from the client: language, theme, viewState...' }),
  })
  .superRefine((chart, context) => {
    if (!chart.language && typeof chart.jsOpts?.language !== 'string') {
      context.addIssue({ code: 'custom', path: ['language'], message: 'is required (as chartData.language or chartData.jsOpts.language)', params: { rule: 'required' } });
    }
  }, onEveryObject)
  .openapi('ChartData', { description: 'required for a chart template: appId, sheetId, objectId, widthPx, heightPx and a language' });
export type ChartData = z.infer<typeof ChartDataSchema>;

export const SheetDataSchema = z
  .object({
    appId: id,
    sheetId: id,
    widthPx: autofitPixels.optional(),
    heightPx: autofitPixels.optional(),
    isPrivate: z.boolean().optional(),
    sheetName: singleLine().max(500).optional(),
    resizeType: ResizeTypeSchema.optional().openapi({ description: 'autofit when omitted' }),
    jsOpts: JsonObjectSchema.optional(),
    jsOptsById: JsonObjectSchema.optional(),
    patchesById: JsonObjectSchema.optional(),
  })
  .openapi('SheetData');
export type SheetData = z.infer<typeof SheetDataSchema>;

export const StoryDataSchema = z.object({ appId: id, storyId: id }).openapi('StoryData');
export type StoryData = z.infer<typeof StoryDataSchema>;

export const MAX_SHEETS = 10;

/** A data object the reference lets be null when the template type does not use it: null is read as absent. */
function dataOf<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}

/** The data object each template type needs; `file` and `excel` templates need none. */
const REQUIRED_DATA: Partial<Record<TemplateType, 'chartData' | 'sheetData' | 'storyData' | 'multiSheetData'>> = {
  chart: 'chartData',
  sheet: 'sheetData',
  story: 'storyData',
  'multi-sheet': 'multiSheetData',
};

/**
 * One report template. A single object (not a union on `type`) so that every template has the
 * same fields, which the reference allows to be null when the type does not use them; the data
 * the type needs is required by a refinement, named by its path (`templates[0].chartData`).
 */
export const TemplateSchema = z
  .object({
    type: TemplateTypeSchema,
    subType: TemplateSubTypeSchema.optional(),
    fileName: singleLine().max(200).optional().openapi({ description: 'file name of the generated report (without extension)' }),
    fileAlias: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1 to 100 letters, digits, ".", "_" or "-"')
      .optional()
      .openapi({ description: 'opaque id for the client to select the generated file; part of the file URL' }),
    fileTimeStamp: FileTimeStampSchema.optional(),
    templateId: singleLine().max(1000).optional().openapi({ description: 'deprecated: ID of unique template', deprecated: true }),
    chartData: dataOf(ChartDataSchema),
    sheetData: dataOf(SheetDataSchema),
    storyData: dataOf(StoryDataSchema),
    multiSheetData: dataOf(z.array(SheetDataSchema).min(1).max(MAX_SHEETS)),
  })
  .superRefine((template, context) => {
    const needed = REQUIRED_DATA[template.type];
    if (needed && template[needed] == null) {
      context.addIssue({ code: 'custom', path: [needed], message: `is required for a ${template.type} template`, params: { rule: 'required' } });
    }
  }, onEveryObject)
  .openapi('Template');
export type Template = z.infer<typeof TemplateSchema>;
