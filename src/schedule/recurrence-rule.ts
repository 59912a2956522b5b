import { Frequency } from 'rrule';

/**
 * One recurrence entry of a task, read strictly by the RFC 5545 §3.3.10 grammar (RECUR value) into
 * plain data. rrule's own `parseString` is not used: it accepts things the RFC does not (BYEASTER,
 * DTSTART/TZID inside the rule, BYMONTHDAY=0 silently meaning "every day", non-numeric values
 * passed through as strings) and it cannot say which part is wrong.
 */
export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  count?: number;
  bysecond?: number[];
  byminute?: number[];
  byhour?: number[];
  /** weekday 0 = Monday … 6 = Sunday (rrule's numbering); n = ordinal (`-1FR`), absent for plain `FR` */
  byday?: { weekday: number; n?: number }[];
  bymonthday?: number[];
  byyearday?: number[];
  byweekno?: number[];
  bymonth?: number[];
  bysetpos?: number[];
  /** 0 = Monday (the RFC default) … 6 = Sunday */
  wkst: number;
}

export type RuleProblemCode = 'RRULE_FORBIDDEN_PART' | 'RRULE_INVALID';
export type ParsedRecurrence = { ok: true; rule: RecurrenceRule } | { ok: false; code: RuleProblemCode; message: string };

/** Properties and rule parts the product refuses: start and end come from the task's own fields. */
export const FORBIDDEN_PARTS = ['DTSTART', 'DTEND', 'UNTIL', 'RDATE', 'EXDATE', 'EXRULE'] as const;

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const FREQUENCIES: Record<string, Frequency> = {
  SECONDLY: Frequency.SECONDLY,
  MINUTELY: Frequency.MINUTELY,
  HOURLY: Frequency.HOURLY,
  DAILY: Frequency.DAILY,
  WEEKLY: Frequency.WEEKLY,
  MONTHLY: Frequency.MONTHLY,
  YEARLY: Frequency.YEARLY,
};

/** Seconds in one FREQ unit (months and years at their shortest), for the INTERVAL bound below. */
const UNIT_SECONDS: Record<Frequency, number> = {
  [Frequency.SECONDLY]: 1,
  [Frequency.MINUTELY]: 60,
  [Frequency.HOURLY]: 3_600,
  [Frequency.DAILY]: 86_400,
  [Frequency.WEEKLY]: 604_800,
  [Frequency.MONTHLY]: 28 * 86_400,
  [Frequency.YEARLY]: 365 * 86_400,
};
/**
 * An INTERVAL longer than a century is refused: such a rule cannot mean anything for a report, and
 * rrule walks an oversized step month by month (DAILY;INTERVAL=10^9 takes seconds).
 */
const MAX_PERIOD_SECONDS = 100 * 366 * 86_400;
/**
 * COUNT series are evaluated from their real start (see rule-expansion.ts), so each evaluation
 * costs up to COUNT steps; the cap keeps that to a few milliseconds.
 */
export const MAX_COUNT = 10_000;

const INTEGER_LISTS = {
  BYSECOND: { key: 'bysecond', min: 0, max: 59, signed: false },
  BYMINUTE: { key: 'byminute', min: 0, max: 59, signed: false },
  BYHOUR: { key: 'byhour', min: 0, max: 23, signed: false },
  BYMONTHDAY: { key: 'bymonthday', min: 1, max: 31, signed: true },
  BYYEARDAY: { key: 'byyearday', min: 1, max: 366, signed: true },
  BYWEEKNO: { key: 'byweekno', min: 1, max: 53, signed: true },
  BYMONTH: { key: 'bymonth', min: 1, max: 12, signed: false },
  BYSETPOS: { key: 'bysetpos', min: 1, max: 366, signed: true },
} as const;

function invalid(message: string): ParsedRecurrence {
  return { ok: false, code: 'RRULE_INVALID', message };
}

function forbidden(name: string): ParsedRecurrence {
  const instead = name === 'UNTIL' || name === 'DTEND' ? 'use endDateTime' : name === 'DTSTART' ? 'use startDateTime' : 'only RRULE is supported';
  return { ok: false, code: 'RRULE_FORBIDDEN_PART', message: `${name} is not allowed: ${instead}` };
}

function isForbidden(name: string): boolean {
  return (FORBIDDEN_PARTS as readonly string[]).includes(name);
}

function integerList(name: keyof typeof INTEGER_LISTS, value: string): number[] | string {
  const { min, max, signed } = INTEGER_LISTS[name];
  const pattern = signed ? /^[+-]?\d{1,3}$/ : /^\d{1,2}$/;
  const values: number[] = [];
  for (const item of value.split(',')) {
    const number = Number(item);
    if (!pattern.test(item) || Math.abs(number) < min || Math.abs(number) > max || (!signed && number < min)) {
      return `${name} takes ${signed ? `±${min}…${max}` : `${min}…${max}`}, not "${item}"`;
    }
    values.push(number);
  }
  return values;
}

function positiveInteger(name: string, value: string, max: number): number | string {
  if (!/^\d{1,12}$/.test(value) || Number(value) < 1) return `${name} must be a positive integer, not "${value}"`;
  if (Number(value) > max) return `${name} must be at most ${max}`;
  return Number(value);
}

function weekdayList(value: string): RecurrenceRule['byday'] | string {
  const days: NonNullable<RecurrenceRule['byday']> = [];
  for (const item of value.split(',')) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    const n = match?.[1] === undefined ? undefined : Number(match[1]);
    if (!match || (n !== undefined && (n === 0 || Math.abs(n) > 53))) {
      return `BYDAY takes weekdays like MO, 1MO or -1FR (ordinal ±1…53), not "${item}"`;
    }
    days.push({ weekday: WEEKDAYS.indexOf(match[2] as (typeof WEEKDAYS)[number]), ...(n === undefined ? {} : { n }) });
  }
  return days;
}

/** Splits off an iCalendar property name (`RRULE:`, `EXDATE;TZID=…:`), if the entry starts with one. */
function propertyName(line: string): string | undefined {
  const match = /^([A-Z][A-Z0-9-]*)[:;]/.exec(line);
  return match && !line.slice(0, match[0].length).includes('=') ? match[1] : undefined;
}

/**
 * Reads one recurrence entry: a single RRULE, with or without the `RRULE:` prefix, names and values
 * case-insensitive. Anything else — another property, a second line, a forbidden or unknown part,
 * a repeated part, a value out of its RFC range, a combination the RFC excludes — is a problem
 * naming what is wrong.
 */
export function parseRecurrenceRule(text: string): ParsedRecurrence {
  if (typeof text !== 'string') return invalid('must be a string');
  const lines = text
    .trim()
    .split(/\r?\n/)
    .map((line) => line.trim().toUpperCase())
    .filter((line) => line.length > 0);
  if (lines.length === 0) return invalid('is empty');
  const names = lines.map(propertyName);
  const other = names.find((name) => name !== undefined && name !== 'RRULE');
  if (other !== undefined) return isForbidden(other) ? forbidden(other) : invalid(`${other} is not an RRULE`);
  if (lines.length > 1) return invalid('must be exactly one RRULE (one line)');

  const body = lines[0]!.replace(/^RRULE:/, '');
  const seen = new Set<string>();
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const match = /^([A-Z][A-Z0-9-]*)=(.+)$/.exec(part);
    if (!match) return invalid(`"${part}" is not a NAME=VALUE rule part`);
    const [, name, value] = match as unknown as [string, string, string];
    if (isForbidden(name)) return forbidden(name);
    if (seen.has(name)) return invalid(`${name} appears more than once`);
    seen.add(name);
    parts.set(name, value);
  }

  const freqText = parts.get('FREQ');
  if (freqText === undefined) return invalid('FREQ is missing');
  const freq = FREQUENCIES[freqText];
  if (freq === undefined) return invalid(`FREQ must be one of ${Object.keys(FREQUENCIES).join(', ')}, not "${freqText}"`);
  const rule: RecurrenceRule = { freq, interval: 1, wkst: 0 };

  for (const [name, value] of parts) {
    if (name === 'FREQ') continue;
    if (name === 'INTERVAL' || name === 'COUNT') {
      const max = name === 'COUNT' ? MAX_COUNT : Math.floor(MAX_PERIOD_SECONDS / UNIT_SECONDS[freq]);
      const number = positiveInteger(name, value, max);
      if (typeof number === 'string') return invalid(number);
      if (name === 'INTERVAL') rule.interval = number;
      else rule.count = number;
    } else if (name === 'BYDAY') {
      const days = weekdayList(value);
      if (typeof days === 'string') return invalid(days);
      rule.byday = days;
    } else if (name === 'WKST') {
      const day = WEEKDAYS.indexOf(value as (typeof WEEKDAYS)[number]);
      if (day < 0) return invalid(`WKST must be one of ${WEEKDAYS.join(', ')}, not "${value}"`);
      rule.wkst = day;
    } else if (name in INTEGER_LISTS) {
      const listName = name as keyof typeof INTEGER_LISTS;
      const values = integerList(listName, value);
      if (typeof values === 'string') return invalid(values);
      rule[INTEGER_LISTS[listName].key] = values;
    } else {
      return invalid(`unknown rule part ${name}`);
    }
  }
  return checkCombinations(rule);
}

/** The RFC 5545 §3.3.10 restrictions on which parts go with which FREQ. */
function checkCombinations(rule: RecurrenceRule): ParsedRecurrence {
  const { freq } = rule;
  if (rule.byday?.some((day) => day.n !== undefined)) {
    if (freq !== Frequency.MONTHLY && freq !== Frequency.YEARLY) return invalid('BYDAY ordinals (like 1MO) need FREQ=MONTHLY or FREQ=YEARLY');
    if (freq === Frequency.YEARLY && rule.byweekno) return invalid('BYDAY ordinals (like 1MO) cannot be combined with BYWEEKNO');
  }
  if (rule.bymonthday && freq === Frequency.WEEKLY) return invalid('BYMONTHDAY cannot be used with FREQ=WEEKLY');
  if (rule.byyearday && (freq === Frequency.DAILY || freq === Frequency.WEEKLY || freq === Frequency.MONTHLY)) {
    return invalid('BYYEARDAY cannot be used with FREQ=DAILY, WEEKLY or MONTHLY');
  }
  if (rule.byweekno && freq !== Frequency.YEARLY) return invalid('BYWEEKNO needs FREQ=YEARLY');
  const hasOtherBy = [rule.bysecond, rule.byminute, rule.byhour, rule.byday, rule.bymonthday, rule.byyearday, rule.byweekno, rule.bymonth].some(Boolean);
  if (rule.bysetpos && !hasOtherBy) return invalid('BYSETPOS needs another BYxxx part to select from');
  return { ok: true, rule };
}
