import { fieldsOf, floatingFromFields, floatingMs, formatLocal, parseLocalDateTime } from './local-date-time';
import { findShortInterval, isAlwaysTooShort } from './min-interval';
import type { ScheduleSpec } from './occurrences';
import { parseRecurrenceRule, type RecurrenceRule } from './recurrence-rule';
import { expandRule } from './rule-expansion';
import { isValidTimezone, wallClockAt, zoneOf } from './zone';

export interface ScheduleProblem {
  /** the API field, e.g. `scheduleOptions.recurrence[2]` */
  field: string;
  /** a stable code, e.g. `RRULE_FORBIDDEN_PART` */
  rule: string;
  message: string;
}

export interface ValidationOptions {
  now: Date;
  /** default 60 */
  minIntervalSeconds: number;
  /** default 5 */
  maxRules?: number;
}

const FIELD = 'scheduleOptions';
const MINUTE_MS = 60_000;

function readLocal(value: string | undefined, name: 'startDateTime' | 'endDateTime', problems: ScheduleProblem[]): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = parseLocalDateTime(value);
  if (parsed.ok) return floatingFromFields(parsed.local);
  problems.push({ field: `${FIELD}.${name}`, rule: parsed.code, message: parsed.reason });
  return undefined;
}

function oneYearBefore(floating: number): number {
  const f = fieldsOf(floating);
  return floatingMs(f.year - 1, f.month, f.day, f.hour, f.minute, f.second);
}

/**
 * Every problem of a schedule, each naming the API field and a stable rule code; empty when valid.
 *
 * Field checks (all reported together): RECURRENCE_COUNT (1..maxRules rules), RRULE_INVALID,
 * RRULE_FORBIDDEN_PART, TIMEZONE_INVALID, DATETIME_HAS_OFFSET, DATETIME_INVALID, END_BEFORE_START
 * (end not after the start, or after now when there is no start), START_TOO_OLD (more than one
 * calendar year before now, in the task's zone). Only a schedule that passes them is expanded for
 * INTERVAL_TOO_SHORT (see min-interval.ts) and RRULE_NEVER_FIRES (a rule with no occurrence between
 * start and end, e.g. FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30).
 */
export function validateSchedule(spec: ScheduleSpec, options: ValidationOptions): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const maxRules = options.maxRules ?? 5;
  const minIntervalSeconds = options.minIntervalSeconds ?? 60;
  const recurrence: unknown[] = Array.isArray(spec.recurrence) ? spec.recurrence : [];
  if (recurrence.length < 1 || recurrence.length > maxRules) {
    problems.push({ field: `${FIELD}.recurrence`, rule: 'RECURRENCE_COUNT', message: `must hold 1 to ${maxRules} RRULEs, not ${recurrence.length}` });
  }
  const rules: RecurrenceRule[] = [];
  recurrence.forEach((text, index) => {
    const parsed = parseRecurrenceRule(text as string);
    if (parsed.ok) rules.push(parsed.rule);
    else problems.push({ field: `${FIELD}.recurrence[${index}]`, rule: parsed.code, message: parsed.message });
  });
  const zoneValid = isValidTimezone(spec.timezone);
  if (!zoneValid) problems.push({ field: `${FIELD}.timezone`, rule: 'TIMEZONE_INVALID', message: `"${String(spec.timezone)}" is not an IANA timezone` });
  const start = readLocal(spec.startDateTime, 'startDateTime', problems);
  const end = readLocal(spec.endDateTime, 'endDateTime', problems);
  if (!zoneValid) {
    if (start !== undefined && end !== undefined && end <= start) {
      problems.push({ field: `${FIELD}.endDateTime`, rule: 'END_BEFORE_START', message: 'must be after startDateTime' });
    }
    return problems;
  }

  const nowMs = options.now instanceof Date ? options.now.getTime() : NaN;
  if (!Number.isFinite(nowMs)) throw new RangeError('validateSchedule needs a valid `now`');
  const now = wallClockAt(nowMs, zoneOf(spec.timezone));
  const seriesStart = start ?? Math.floor(now / MINUTE_MS) * MINUTE_MS;
  if (end !== undefined && end <= seriesStart) {
    problems.push({
      field: `${FIELD}.endDateTime`,
      rule: 'END_BEFORE_START',
      message: start !== undefined ? 'must be after startDateTime' : `must be after the current local time (${formatLocal(now)}) when startDateTime is not set`,
    });
  }
  if (start !== undefined && start < oneYearBefore(now)) {
    problems.push({ field: `${FIELD}.startDateTime`, rule: 'START_TOO_OLD', message: `must not be more than one year before now (${formatLocal(now)} local time)` });
  }
  if (problems.length > 0) return problems;

  rules.forEach((rule, index) => {
    const field = `${FIELD}.recurrence[${index}]`;
    if (isAlwaysTooShort(rule, minIntervalSeconds)) {
      problems.push({ field, rule: 'INTERVAL_TOO_SHORT', message: `fires more often than once every ${minIntervalSeconds} s` });
      return;
    }
    let fires = false;
    expandRule(rule, { start: seriesStart, after: seriesStart - 1, ...(end === undefined ? {} : { end }) }, () => ((fires = true), false));
    if (!fires) {
      problems.push({ field, rule: 'RRULE_NEVER_FIRES', message: end === undefined ? 'never produces an occurrence' : 'produces no occurrence between the start and endDateTime' });
    }
  });
  if (problems.length > 0) return problems;

  const short = findShortInterval(rules, seriesStart, end, minIntervalSeconds);
  if (short) {
    const single = short.rules.length === 1;
    problems.push({
      field: single ? `${FIELD}.recurrence[${short.rules[0]}]` : `${FIELD}.recurrence`,
      rule: 'INTERVAL_TOO_SHORT',
      message:
        `${single ? 'fires' : `${short.rules.map((rule) => `recurrence[${rule}]`).join(' and ')} fire`} at ` +
        `${formatLocal(short.earlier)} and ${formatLocal(short.later)}, less than ${minIntervalSeconds} s apart`,
    });
  }
  return problems;
}
