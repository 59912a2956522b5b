import { isValidTimezone } from '../../schedule';
import { freeForm, jsonArray, JsonObjectSchema } from './free-form';
import { singleLine } from './text';
import { z } from './zod';

export { JsonObjectSchema };

/** `YYYY-MM-DDTHH:mm[:ss]`: what the schedule module reads; `''` means "not set" (the reference). */
const LOCAL_DATE_TIME = /^(?:|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)$/;

/** A local date-time without offset ("2026-01-02T16:04:05"), in the task's timezone; `''` means "not set". */
export const LocalDateTimeSchema = z
  .string()
  .regex(LOCAL_DATE_TIME, 'must be a local date-time without offset, like 2026-01-02T16:04:05 (or "" for not set)')
  .openapi({ example: '2026-01-02T16:04:05', description: 'local date-time in the task timezone, without offset; "" means not set' });

/** An instant with `Z` or an offset (RFC 3339). */
export const InstantSchema = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-20T12:00:55.000Z' });

/** An IANA zone name (`Europe/Paris`); `''` means "not set" (the caller's default applies). */
export const TimezoneSchema = z
  .string()
  .refine((zone) => zone === '' || isValidTimezone(zone), { message: 'is not an IANA timezone', params: { rule: 'TIMEZONE_INVALID' } })
  .openapi({ example: 'Europe/Paris', description: 'IANA timezone; when absent or "", the caller\'s (from the token), else UTC' });

/**
 * Lets a cross-field refinement run even when some field already failed, so that one response
 * lists every problem. Such a refinement sees the input as given: it must read it defensively.
 */
export const onEveryObject = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

const MAX_SELECTIONS = 1_000;
const MAX_SELECTED_VALUES = 10_000;

export const SelectionSchema = z
  .object({
    name: singleLine().max(1000).optional(),
    values: z.array(z.string()).max(MAX_SELECTED_VALUES).optional(),
    isNumeric: z.boolean().optional(),
    stateName: singleLine().max(1000).optional(),
    displayName: singleLine().max(1000).optional(),
    displayValues: z.array(z.string()).max(MAX_SELECTED_VALUES).optional(),
  })
  .loose()
  .openapi('Selection');

export const StateSchema = freeForm(
  z
    .object({
      fields: jsonArray('selected fields that led to discovery of a monitored Insight Advisor chart').optional(),
      queryItems: jsonArray('query that led to discovery of a monitored Insight Advisor chart').optional(),
      selections: z.array(SelectionSchema).max(MAX_SELECTIONS).optional(),
    })
    .loose(),
  'state of the selections and jsOpts (client state, stored as given)',
).openapi('State');
export type State = z.infer<typeof StateSchema>;

export const LinkSchema = z.object({ href: z.string() }).openapi('Link');
export type Link = z.infer<typeof LinkSchema>;
