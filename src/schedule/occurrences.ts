import type { IANAZone } from 'luxon';
import { floatingFromFields, parseLocalDateTime } from './local-date-time';
import { parseRecurrenceRule, type RecurrenceRule } from './recurrence-rule';
import { expandRule } from './rule-expansion';
import { instantOf, wallClockAt, wallClockFloor, zoneOf } from './zone';

export interface ScheduleSpec {
  /** 1–5 RRULEs (with or without `RRULE:`), united */
  recurrence: string[];
  /** IANA zone the rules are read in */
  timezone: string;
  /** local `YYYY-MM-DDTHH:mm[:ss]`; absent or '' = the series is anchored at `now` (see seriesStart) */
  startDateTime?: string;
  /** local, inclusive; absent or '' = never ending */
  endDateTime?: string;
}

const MINUTE_MS = 60_000;

export interface PreparedSchedule {
  rules: RecurrenceRule[];
  zone: IANAZone;
  /** floating ms */
  start: number;
  /** floating ms, inclusive */
  end?: number;
}

function localField(value: string | undefined, name: string): number | undefined {
  if (!value) return undefined;
  const parsed = parseLocalDateTime(value);
  if (!parsed.ok) throw new RangeError(`${name} ${parsed.reason}`);
  return floatingFromFields(parsed.local);
}

/**
 * The series start in floating time. With a startDateTime, that. Without one, the wall-clock time
 * at `anchor` (truncated to the minute, so a rule takes its implicit second — and for DAILY and
 * coarser its time of day — from a whole minute). The anchor must be the same on every evaluation
 * of a series or the series moves: the workflow passes the instant it stored when the task's
 * schedule was set (its start time), never a fresh "now".
 */
export function seriesStart(spec: ScheduleSpec, zone: IANAZone, anchor: Date): number {
  const start = localField(spec.startDateTime, 'startDateTime');
  if (start !== undefined) return start;
  const anchorMs = anchor.getTime();
  if (!Number.isFinite(anchorMs)) throw new RangeError('the series anchor (now) is not a valid date');
  return Math.floor(wallClockAt(anchorMs, zone) / MINUTE_MS) * MINUTE_MS;
}

/** Reads and checks a spec; throws RangeError on anything validateSchedule would report. */
export function prepareSchedule(spec: ScheduleSpec, anchor: Date): PreparedSchedule {
  const zone = zoneOf(spec.timezone);
  const rules = spec.recurrence.map((text, index) => {
    const parsed = parseRecurrenceRule(text);
    if (!parsed.ok) throw new RangeError(`recurrence[${index}]: ${parsed.message}`);
    return parsed.rule;
  });
  const end = localField(spec.endDateTime, 'endDateTime');
  return { rules, zone, start: seriesStart(spec, zone, anchor), ...(end === undefined ? {} : { end }) };
}

/**
 * The first `count` distinct instants of one rule strictly after `after`; wall-clock times at or
 * before `floor` cannot be after it (see wallClockFloor) and are skipped without zone arithmetic.
 */
function ruleInstantsAfter(schedule: PreparedSchedule, rule: RecurrenceRule, after: number, floor: number, count: number, maxPeriods?: number): number[] {
  const found = new Set<number>();
  expandRule(rule, { start: schedule.start, after: floor, end: schedule.end, maxPeriods }, (floating) => {
    const { instant, shifted } = instantOf(floating, schedule.zone);
    if (instant > after) found.add(instant);
    if (found.size < count || shifted) return true;
    // Wall-clock order is instant order except that a time shifted out of a DST gap can land after
    // the next real times; past a time that was not shifted, nothing earlier can come.
    const kth = [...found].sort((a, b) => a - b)[count - 1]!;
    return instant < kth;
  });
  return [...found];
}

/**
 * The first `count` occurrences strictly after `after`, ascending, without duplicates; fewer when
 * the series ends, or when a rule is so sparse that `maxPeriods` (per rule; for callers that must
 * answer quickly) ends its expansion first. `now` anchors a series without startDateTime (default:
 * `after`). Throws a RangeError for a spec validateSchedule would refuse.
 */
export function nextOccurrences(spec: ScheduleSpec, after: Date, count: number, now: Date = after, maxPeriods?: number): Date[] {
  const afterMs = after.getTime();
  if (!Number.isFinite(afterMs)) throw new RangeError('after is not a valid date');
  if (Number.isNaN(count) || count === Infinity) throw new RangeError(`count must be a finite number, not ${count}`);
  const wanted = Math.floor(count);
  if (wanted < 1) return [];
  const schedule = prepareSchedule(spec, now);
  const floor = wallClockFloor(afterMs, schedule.zone);
  const union = new Set<number>();
  for (const rule of schedule.rules) {
    for (const instant of ruleInstantsAfter(schedule, rule, afterMs, floor, wanted, maxPeriods)) union.add(instant);
  }
  return [...union]
    .sort((a, b) => a - b)
    .slice(0, wanted)
    .map((instant) => new Date(instant));
}

export function nextOccurrence(spec: ScheduleSpec, after: Date, now?: Date): Date | undefined {
  return nextOccurrences(spec, after, 1, now)[0];
}

/**
 * The occurrences strictly after `after` and at or before `until`, ascending, at most `limit`.
 * Read in pages that grow fourfold, so the usual answer (none, or one) costs one small expansion,
 * not `limit` of them.
 */
export function occurrencesUntil(spec: ScheduleSpec, after: Date, until: Date, limit: number, now: Date = after): Date[] {
  const found: Date[] = [];
  let from = after;
  for (let page = 1; found.length < limit; page *= 4) {
    const wanted = Math.min(page, limit - found.length);
    const batch = nextOccurrences(spec, from, wanted, now);
    for (const instant of batch) {
      if (instant > until) return found;
      found.push(instant);
    }
    if (batch.length < wanted) return found; // the series ended
    from = batch[batch.length - 1]!;
  }
  return found;
}
