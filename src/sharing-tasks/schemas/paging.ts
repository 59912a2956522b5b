import { singleLine } from './text';
import { z } from './zod';

const MAX_QUERY_LIST_ITEMS = 50;

/**
 * A list-valued query parameter: one value, repeated parameters, or comma-separated values. A
 * blank value (`?role=`, `?type=a,,b`) is refused, named by the parameter: it would otherwise
 * read as "no filter" and answer more than the client asked for.
 */
export function queryList<T extends z.ZodType>(item: T) {
  return z
    .preprocess((value, context) => {
      if (value == null) return value;
      const entries = (Array.isArray(value) ? value : [value]).flatMap((entry) => String(entry).split(','));
      if (entries.some((entry) => entry.trim() === '')) {
        context.addIssue({ code: 'custom', message: 'must not be blank: give a value or leave the parameter out', params: { rule: 'blank' }, input: value });
        return z.NEVER;
      }
      return entries;
    }, z.array(item).max(MAX_QUERY_LIST_ITEMS).optional())
    .openapi({ param: { style: 'form', explode: true } });
}

/** A one-value query parameter (an id, a name, a cursor): NUL and control characters are refused. */
export function queryText() {
  return singleLine().max(1000);
}

/** An integer query parameter: the string of a number (a blank or non-numeric one is refused, not read as 0). */
export function queryInteger(bounds: { min: number; max?: number }) {
  const integer = z.number().int().min(bounds.min);
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
    bounds.max === undefined ? integer : integer.max(bounds.max),
  );
}

/** A boolean query parameter: "true" or "false". */
export const BooleanQuerySchema = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .openapi({ type: 'boolean' });

const CURSORS = ['page', 'next', 'prev'] as const;

/** limit, offset and the page cursors of every list endpoint. */
export function pagingQueryShape(maxLimit: number) {
  return {
    limit: queryInteger({ min: 1, max: maxLimit }).default(20).openapi({ description: `page size, 1 to ${maxLimit}` }),
    offset: queryInteger({ min: 0 }).default(0).openapi({ description: 'items to skip (ignored with a cursor)' }),
    page: queryText().optional().openapi({ description: 'cursor of the page to return (as in links.next/prev.href)' }),
    next: queryText().optional().openapi({ description: 'cursor of the next page (links.next.token); only one cursor may be given' }),
    prev: queryText().optional().openapi({ description: 'cursor of the previous page (links.prev.token); only one cursor may be given' }),
  };
}

/** Refinement of a paging query: two cursors are ambiguous; the second one given is named. */
export function atMostOneCursor(query: Partial<Record<(typeof CURSORS)[number], string>>, context: z.RefinementCtx): void {
  const given = CURSORS.filter((cursor) => query[cursor] !== undefined);
  for (const extra of given.slice(1)) {
    context.addIssue({ code: 'custom', path: [extra], message: `cannot be combined with ${given[0]}: give one page cursor`, params: { rule: 'mutually_exclusive' } });
  }
}

export const PageLinkSchema = z
  .object({
    href: z.string().openapi({ description: 'URL of the page' }),
    type: z.enum(['prev', 'next']).optional(),
    token: z.string().optional().openapi({ description: 'the page cursor' }),
  })
  .openapi('PageLink');

export const PageLinksSchema = z.object({ self: PageLinkSchema, next: PageLinkSchema.optional(), prev: PageLinkSchema.optional() }).openapi('PageLinks');
export type PageLinks = z.infer<typeof PageLinksSchema>;

/** A page of a list endpoint: the items under `key`, the counts and the links. */
export function listResponseSchema<K extends string, T extends z.ZodType>(key: K, item: T) {
  const items = { [key]: z.array(item) } as { [P in K]: z.ZodArray<T> };
  return z.object({
    totalCount: z.number().int().openapi({ description: 'entries in the whole collection (with the filters)' }),
    currentPageCount: z.number().int().openapi({ description: 'entries on this page' }),
    links: PageLinksSchema,
    ...items,
  });
}
