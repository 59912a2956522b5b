import { Frequency, RRule, type Options } from 'rrule';

/** RRULE parts and lines the product does not accept (start/end come from the task's own fields). */
export const FORBIDDEN_PARTS = ['DTSTART', 'DTEND', 'UNTIL', 'RDATE', 'EXDATE', 'EXRULE'] as const;

export type ParsedRule = { ok: true; options: Partial<Options> } | { ok: false; rule: 'RRULE_FORBIDDEN_PART' | 'RRULE_INVALID'; message: string };

/** Parses one recurrence entry: an RRULE with or without the `RRULE:` prefix, and nothing else. */
export function parseRule(text: string): ParsedRule {
  const lines = text.trim().split(/\r?\n/).filter(Boolean);
  if (lines.length !== 1) {
    const other = lines.find((line) => !/^RRULE:/i.test(line));
    const name = other?.split(/[:;]/)[0]?.toUpperCase();
    if (name && (FORBIDDEN_PARTS as readonly string[]).includes(name)) {
      return { ok: false, rule: 'RRULE_FORBIDDEN_PART', message: `${name} is not allowed: use startDateTime/endDateTime` };
    }
    return { ok: false, rule: 'RRULE_INVALID', message: 'must be exactly one RRULE line' };
  }
  const line = lines[0]!;
  const prefix = /^([A-Z-]+):/i.exec(line)?.[1]?.toUpperCase();
  if (prefix && prefix !== 'RRULE') {
    return (FORBIDDEN_PARTS as readonly string[]).includes(prefix)
      ? { ok: false, rule: 'RRULE_FORBIDDEN_PART', message: `${prefix} is not allowed: use startDateTime/endDateTime` }
      : { ok: false, rule: 'RRULE_INVALID', message: `${prefix} is not an RRULE` };
  }
  const body = line.replace(/^RRULE:/i, '');
  const parts = body.split(';').map((part) => part.split('=')[0]!.toUpperCase());
  const forbidden = parts.find((part) => (FORBIDDEN_PARTS as readonly string[]).includes(part));
  if (forbidden) return { ok: false, rule: 'RRULE_FORBIDDEN_PART', message: `${forbidden} is not allowed: use endDateTime` };
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
  } catch (error) {
    return { ok: false, rule: 'RRULE_INVALID', message: (error as Error).message };
  }
  if (options.freq === undefined || Frequency[options.freq] === undefined) {
    return { ok: false, rule: 'RRULE_INVALID', message: 'FREQ is missing or not one of SECONDLY…YEARLY' };
  }
  const listed: unknown[] = Object.values(options).flatMap((value): unknown[] => (Array.isArray(value) ? value : [value]));
  if (listed.some((value) => value === null || (typeof value === 'number' && Number.isNaN(value)))) {
    return { ok: false, rule: 'RRULE_INVALID', message: `cannot read "${body}"` };
  }
  try {
    new RRule({ ...options, dtstart: new Date(Date.UTC(2000, 0, 1)), count: 1 }).all();
  } catch (error) {
    return { ok: false, rule: 'RRULE_INVALID', message: (error as Error).message };
  }
  return { ok: true, options };
}
