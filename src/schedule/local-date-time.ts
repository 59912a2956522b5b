/**
 * Local ("floating") date-times: wall-clock fields without a zone. They are carried as a number of
 * milliseconds whose UTC fields are the local fields — the form rrule computes in — so calendar
 * arithmetic on them never meets a DST rule or the process's TZ.
 */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type ParsedLocalDateTime =
  | { ok: true; local: LocalFields }
  | { ok: false; code: 'DATETIME_HAS_OFFSET' | 'DATETIME_INVALID'; reason: string };

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Milliseconds whose UTC fields are the given fields (valid for any year, also 0–99). */
export function floatingMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC reads years 0–99 as 1900–1999; the Gregorian calendar repeats every 400 years.
  const date = new Date(Date.UTC(year + 400, month - 1, day, hour, minute, second));
  date.setUTCFullYear(date.getUTCFullYear() - 400);
  return date.getTime();
}

export function fieldsOf(floating: number): LocalFields {
  const date = new Date(floating);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

export function floatingFromFields(local: LocalFields): number {
  return floatingMs(local.year, local.month, local.day, local.hour, local.minute, local.second);
}

/** `YYYY-MM-DDTHH:mm:ss`, the form the API uses for local date-times. */
export function formatLocal(floating: number): string {
  return new Date(floating).toISOString().slice(0, 19);
}

/**
 * Reads a local date-time `YYYY-MM-DDTHH:mm[:ss]` (no offset, no fraction). A value with a UTC
 * offset or `Z` is refused as such (`DATETIME_HAS_OFFSET`), anything else unreadable or not on the
 * calendar (2026-02-30) as `DATETIME_INVALID`.
 */
export function parseLocalDateTime(value: string): ParsedLocalDateTime {
  const match = typeof value === 'string' ? LOCAL_DATE_TIME.exec(value) : null;
  if (!match) {
    return typeof value === 'string' && WITH_OFFSET.test(value)
      ? { ok: false, code: 'DATETIME_HAS_OFFSET', reason: `must be a local date-time without offset (like 2026-01-02T16:04:05), not ${value}` }
      : { ok: false, code: 'DATETIME_INVALID', reason: `must be a local date-time like 2026-01-02T16:04:05, not ${String(value)}` };
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const local = { year, month, day, hour, minute, second };
  const roundTrip = fieldsOf(floatingFromFields(local));
  const sameFields = (Object.keys(local) as (keyof LocalFields)[]).every((key) => roundTrip[key] === local[key]);
  if (!sameFields) return { ok: false, code: 'DATETIME_INVALID', reason: `${value} is not a date-time on the calendar` };
  return { ok: true, local };
}
