import { z } from './zod';

/** A local date-time without offset ("2026-01-02T16:04:05"); an empty string means "not set". */
export const LocalDateTime = z
  .string()
  .refine((value) => value === '' || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value), {
    message: 'must be a local date-time without offset, like 2026-01-02T16:04:05',
    params: { rule: 'DATETIME_FORMAT' },
  })
  .openapi({ example: '2026-01-02T16:04:05' });

export const Instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-20T12:00:55.000Z' });
export const Selection = z
  .object({
    name: z.string(),
    values: z.array(z.string()).optional(),
    isNumeric: z.boolean().optional(),
    stateName: z.string().optional(),
    displayName: z.string().optional(),
    displayValues: z.array(z.string()).optional(),
  })
  .loose();
export const State = z
  .object({ fields: z.array(z.unknown()).optional(), queryItems: z.array(z.unknown()).optional(), selections: z.array(Selection).optional() })
  .loose();
export const Link = z.object({ href: z.string() });
export const PageLink = z.object({ href: z.string(), type: z.enum(['prev', 'next']).optional(), token: z.string().optional() });
export const PageLinks = z.object({ self: PageLink, next: PageLink.optional(), prev: PageLink.optional() });
export const JsonObject = z.record(z.string(), z.unknown());
