import { FREE_FORM_DESCRIPTION, freeForm } from './free-form';
import { multiLine, singleLine } from './text';
import { z } from './zod';

export const CHART_KINDS = ['bar', 'line', 'pie', 'table'] as const;
const MAX_COLUMNS = 50;

/**
 * `chartData.objectDef` as the built-in renderer reads it: an optional inline data extension
 * (title, chart kind, columns and rows). Only these keys are checked, loosely; every other
 * objectDef key (a BI engine's session object definition) passes through untouched.
 */

export const ObjectDefSchema = freeForm(
  z
    .object({
      title: singleLine().max(500).optional(),
      chartKind: z.enum(CHART_KINDS).optional(),
      columns: z.array(singleLine().max(200)).min(1).max(MAX_COLUMNS).optional(),
      rows: z.array(z.array(z.union([multiLine().max(1000), z.number(), z.null()])).max(MAX_COLUMNS)).max(10_000).optional(),
    })
    .loose(),
)
  .superRefine(({ columns, rows }, context) => {
    if (rows === undefined) return;
    if (columns === undefined) {
      context.addIssue({ code: 'custom', path: ['columns'], message: 'is required when rows are given', params: { rule: 'required' } });
      return;
    }
    rows.forEach((row, index) => {
      if (row.length !== columns.length) {
        context.addIssue({
          code: 'custom',
          path: ['rows', index],
          message: `has ${row.length} cells for ${columns.length} columns`,
          params: { rule: 'ROW_LENGTH_MISMATCH' },
        });
      }
    });
  })
  .openapi('ObjectDef', {
    description:
      'Session chart object definition, stored as given. The built-in renderer also reads an inline data extension from it: ' +
      '`title`, `chartKind` (bar, line, pie, table), `columns` (headers) and `rows` (each with one cell per column: string, number or null). ' +
      `Other keys pass through. As a whole: ${FREE_FORM_DESCRIPTION}.`,
    example: { title: 'Sales by region', chartKind: 'bar', columns: ['Region', 'Sales'], rows: [['North', 120], ['South', 80]] },
  });
export type ObjectDef = z.infer<typeof ObjectDefSchema>;
