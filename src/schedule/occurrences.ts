import { Frequency, RRule, type Options } from 'rrule';
import { floatingAt, floatingFromFields, instantOf, parseLocalDateTime } from './local-time';
import { parseRule } from './rules';

export interface ScheduleSpec {
  recurrence: string[];
  timezone: string;
  startDateTime?: string;
  endDateTime?: string;
}

const DAY_MS = 86_400_000;
const PERIOD_MS: Partial<Record<Frequency, number>> = {
  [Frequency.WEEKLY]: 7 * DAY_MS,
  [Frequency.DAILY]: DAY_MS,
  [Frequency.HOURLY]: 3_600_000,
  [Frequency.MINUTELY]: 60_000,
  [Frequency.SECONDLY]: 1_000,
};

function rrWeekday(date: Date): number {
  return (date.getUTCDay() + 6) % 7; // rrule: 0 = Monday
}

/**
 * The BY parts a rule takes implicitly from its start (RFC 5545 / dateutil semantics), made
 * explicit, so that the rule means the same from any later start aligned to its period.
 */
function withImplicitParts(options: Partial<Options>, start: Date): Partial<Options> {
  const o: Partial<Options> = { ...options };
  const freq = o.freq!;
  if (o.bysecond == null && freq < Frequency.SECONDLY) o.bysecond = [start.getUTCSeconds()];
  if (o.byminute == null && freq < Frequency.MINUTELY) o.byminute = [start.getUTCMinutes()];
  if (o.byhour == null && freq < Frequency.HOURLY) o.byhour = [start.getUTCHours()];
  const hasDay = o.byweekno != null || o.byyearday != null || o.bymonthday != null || o.byweekday != null;
  if (!hasDay) {
    if (freq === Frequency.YEARLY) {
      if (o.bymonth == null) o.bymonth = [start.getUTCMonth() + 1];
      o.bymonthday = [start.getUTCDate()];
    } else if (freq === Frequency.MONTHLY) {
      o.bymonthday = [start.getUTCDate()];
    } else if (freq === Frequency.WEEKLY) {
      o.byweekday = [rrWeekday(start)];
    }
  }
  return o;
}

/**
 * A later start for the same series: whole periods (FREQ × INTERVAL) after the original one, at the
 * beginning of a period, at least one period before `target`. Lets a series that began decades ago
 * be evaluated near today without walking every occurrence since. Not used with COUNT.
 */
function fastForwardStart(options: Partial<Options>, start: Date, target: Date): Date {
  const n = options.interval && options.interval > 0 ? options.interval : 1;
  const periodsToJump = (elapsed: number) => Math.max(0, Math.floor(elapsed / n) - 1) * n;
  const freq = options.freq!;
  if (freq === Frequency.YEARLY) {
    const years = periodsToJump(target.getUTCFullYear() - start.getUTCFullYear());
    return years > 0 ? new Date(Date.UTC(start.getUTCFullYear() + years, 0, 1)) : start;
  }
  if (freq === Frequency.MONTHLY) {
    const months = periodsToJump((target.getUTCFullYear() - start.getUTCFullYear()) * 12 + target.getUTCMonth() - start.getUTCMonth());
    return months > 0 ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1)) : start;
  }
  const period = PERIOD_MS[freq]!;
  let periodStart = Math.floor(start.getTime() / period) * period;
  if (freq === Frequency.WEEKLY) {
    const dayStart = Math.floor(start.getTime() / DAY_MS) * DAY_MS;
    const weekStart = typeof options.wkst === 'number' ? options.wkst : 0;
    periodStart = dayStart - ((rrWeekday(start) - weekStart + 7) % 7) * DAY_MS;
  }
  const jumped = periodsToJump(Math.floor((target.getTime() - periodStart) / period));
  return jumped > 0 ? new Date(periodStart + jumped * period) : start;
}

function floatingStart(spec: ScheduleSpec, anchor: Date): Date {
  if (spec.startDateTime) {
    const parsed = parseLocalDateTime(spec.startDateTime);
    if (!parsed.ok) throw new Error(`startDateTime ${spec.startDateTime} is not a local date-time`);
    return floatingFromFields(parsed.local);
  }
  const floating = floatingAt(anchor, spec.timezone);
  return new Date(Math.floor(floating.getTime() / 60_000) * 60_000);
}

function floatingEnd(spec: ScheduleSpec): Date | undefined {
  if (!spec.endDateTime) return undefined;
  const parsed = parseLocalDateTime(spec.endDateTime);
  if (!parsed.ok) throw new Error(`endDateTime ${spec.endDateTime} is not a local date-time`);
  return floatingFromFields(parsed.local);
}

function ruleOccurrencesAfter(text: string, spec: ScheduleSpec, start: Date, end: Date | undefined, after: Date, count: number): number[] {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(`invalid recurrence "${text}": ${parsed.message}`);
  const options = withImplicitParts(parsed.options, start);
  const target = new Date(floatingAt(after, spec.timezone).getTime() - DAY_MS);
  const dtstart = options.count ? start : fastForwardStart(options, start, target);
  const rule = new RRule({ ...options, dtstart, tzid: null, ...(end ? { until: end } : {}) });
  const found = new Set<number>();
  rule.all((floating) => {
    const instant = instantOf(floating, spec.timezone).getTime();
    if (instant > after.getTime()) found.add(instant);
    return found.size < count;
  });
  return [...found];
}

/**
 * The first `count` occurrences strictly after `after`, ascending, without duplicates (fewer when the
 * series ends). `anchor` is the series start when the spec has no startDateTime (defaults to `after`).
 */
export function nextOccurrences(spec: ScheduleSpec, after: Date, count: number, anchor: Date = after): Date[] {
  if (count <= 0 || spec.recurrence.length === 0) return [];
  const start = floatingStart(spec, anchor);
  const end = floatingEnd(spec);
  const union = new Set<number>();
  for (const text of spec.recurrence) {
    for (const instant of ruleOccurrencesAfter(text, spec, start, end, after, count)) union.add(instant);
  }
  return [...union]
    .sort((a, b) => a - b)
    .slice(0, count)
    .map((instant) => new Date(instant));
}

export function nextOccurrence(spec: ScheduleSpec, after: Date, anchor?: Date): Date | undefined {
  return nextOccurrences(spec, after, 1, anchor)[0];
}
