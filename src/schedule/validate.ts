import { fieldsOf, floatingFromFields, floatingMs, formatLocal, parseLocalDateTime } from './local-date-time';
import { findShortInterval, isAlwaysTooShort, type MeasuredRule } from './min-interval';
import type { ScheduleSpec } from './occurrences';
import { parseRecurrenceRule, type RecurrenceRule } from './recurrence-rule';
import { candidatesPerPeriod, closeTimesInPeriod, formatOffset, MAX_CANDIDATES_PER_PERIOD } from './period-shape';
import { expandRule, longestStepRun } from './rule-expansion';
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
/**
 * The rrule periods one rule's expansion may walk while validating or previewing (~4 µs each, so
 * ~40 ms): the API's event loop is never held longer by a rule, whatever its shape. A rule that
 * needs more to show its first occurrence is refused; the gap check samples what fits.
 */
export const PERIOD_BUDGET = 5_000;
/**
 * A COUNT series is walked from its real start on every evaluation (rule-expansion.ts), also in
 * the task's workflow: its whole walk must fit the same budget as any other expansion.
 */
export const COUNT_SERIES_PERIOD_LIMIT = PERIOD_BUDGET;
const MINUTE_MS = 60_000;

function readLocal(value: string | undefined, name: 'startDateTime' | 'endDateTime', problems: ScheduleProblem[]): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = parseLocalDateTime(value);
  if (parsed.ok) return floatingFromFields(parsed.local);
  problems.push({ field: `${FIELD}.${name}`, rule: parsed.code, message: parsed.reason });
  return undefined;
}

/**
 * The per-rule verdicts known without expanding the rule (period-shape.ts), checked before any
 * expansion so that no rule's shape can make validation expensive.
 */
function periodShapeProblem(rule: RecurrenceRule, start: number, minIntervalSeconds: number): Omit<ScheduleProblem, 'field'> | undefined {
  if (isAlwaysTooShort(rule, minIntervalSeconds)) {
    return { rule: 'INTERVAL_TOO_SHORT', message: `fires more often than once every ${minIntervalSeconds} s` };
  }
  const close = closeTimesInPeriod(rule, start, minIntervalSeconds);
  if (close) {
    const at = (offset: number) => formatOffset(close.span, offset);
    return {
      rule: 'INTERVAL_TOO_SHORT',
      message: `fires at ${at(close.earlier)} and ${at(close.later)} of every ${close.span} it fires in, less than ${minIntervalSeconds} s apart`,
    };
  }
  const candidates = candidatesPerPeriod(rule);
  if (candidates > MAX_CANDIDATES_PER_PERIOD) {
    return {
      rule: 'RRULE_TOO_COMPLEX',
      message:
        `selects among ${candidates.toLocaleString('en-US')} date-times in each period (days × BYHOUR × BYMINUTE × BYSECOND); ` +
        `at most ${MAX_CANDIDATES_PER_PERIOD.toLocaleString('en-US')} are allowed`,
    };
  }
  const run = longestStepRun(rule, start);
  if (run > PERIOD_BUDGET) {
    return {
      rule: 'RRULE_TOO_COMPLEX',
      message:
        `its INTERVAL steps up to ${run.toLocaleString('en-US')} times in a row past the times its BYHOUR/BYMINUTE/BYSECOND allow; ` +
        `at most ${PERIOD_BUDGET.toLocaleString('en-US')} are allowed (an INTERVAL that divides the hour or the day repeats the same times every day)`,
    };
  }
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
 * calendar year before now, in the task's zone). Then, per rule and without expanding it
 * (period-shape.ts): INTERVAL_TOO_SHORT when its time set alone is too dense, RRULE_TOO_COMPLEX when
 * one period holds more candidates than MAX_CANDIDATES_PER_PERIOD, or when a MINUTELY/SECONDLY rule's
 * INTERVAL steps more than PERIOD_BUDGET times in a row past the hours/minutes it fires in (see
 * longestStepRun: the expansion would take that many periods to find its next time). Only a schedule that passes all
 * that is expanded for INTERVAL_TOO_SHORT (see min-interval.ts) and RRULE_NEVER_FIRES (a rule with no occurrence between
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

  const measured: MeasuredRule[] = [];
  rules.forEach((rule, index) => {
    const field = `${FIELD}.recurrence[${index}]`;
    const shapeProblem = periodShapeProblem(rule, seriesStart, minIntervalSeconds);
    if (shapeProblem) {
      problems.push({ field, ...shapeProblem });
      return;
    }
    let fires = false;
    const window = { start: seriesStart, after: seriesStart - 1, maxPeriods: PERIOD_BUDGET, ...(end === undefined ? {} : { end }) };
    const { exhausted } = expandRule(rule, window, () => ((fires = true), false));
    if (!fires) {
      problems.push({
        field,
        rule: 'RRULE_NEVER_FIRES',
        message: exhausted
          ? `produces no occurrence within its first ${PERIOD_BUDGET.toLocaleString('en-US')} periods`
          : end === undefined
            ? 'never produces an occurrence'
            : 'produces no occurrence between the start and endDateTime',
      });
      return;
    }
    if (rule.count === undefined) {
      measured.push({ rule, ...(end === undefined ? {} : { end }) });
      return;
    }
    let last = seriesStart;
    if (expandRule(rule, { ...window, maxPeriods: COUNT_SERIES_PERIOD_LIMIT }, (floating) => ((last = floating), true)).exhausted) {
      problems.push({
        field,
        rule: 'RRULE_TOO_COMPLEX',
        message:
          `needs more than ${COUNT_SERIES_PERIOD_LIMIT.toLocaleString('en-US')} periods for its ${rule.count} occurrences (COUNT counts from the start); ` +
          'use a lower COUNT, a coarser FREQ or endDateTime',
      });
    } else {
      measured.push({ rule, end: last });
    }
  });
  if (problems.length > 0) return problems;

  const short = findShortInterval(measured, seriesStart, minIntervalSeconds, PERIOD_BUDGET);
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
