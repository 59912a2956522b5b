import { Frequency } from 'rrule';
import type { RecurrenceRule } from './recurrence-rule';

/**
 * What one period of a rule can produce, known from the rule's parts alone, without expanding it.
 *
 * rrule builds each period from its days and, within every day, from the rule's time set: the
 * product of BYHOUR × BYMINUTE × BYSECOND for DAILY and coarser rules (BYMINUTE × BYSECOND within
 * the hour for HOURLY, BYSECOND within the minute for MINUTELY), each missing part taken from the
 * series start. It walks every candidate day × time of a period, also the ones before the start
 * and the ones BYSETPOS discards, so a yearly rule with full BYHOUR/BYMINUTE/BYSECOND lists costs
 * 366 × 86,400 steps per period: seconds of CPU on the API's event loop. The checks here run first
 * and refuse such rules at a cost that does not depend on the rule's shape.
 */

/** Days in one period at most, per FREQ (sub-daily periods lie within one day). */
const DAYS_PER_PERIOD: Record<Frequency, number> = {
  [Frequency.YEARLY]: 366,
  [Frequency.MONTHLY]: 31,
  [Frequency.WEEKLY]: 7,
  [Frequency.DAILY]: 1,
  [Frequency.HOURLY]: 1,
  [Frequency.MINUTELY]: 1,
  [Frequency.SECONDLY]: 1,
};

/**
 * The most candidate date-times one period may hold: every minute of a leap year (a yearly rule
 * that fires each minute, ~10 ms to walk). Anything beyond needs BYSETPOS or a sub-minute gap.
 */
export const MAX_CANDIDATES_PER_PERIOD = 366 * 24 * 60;

export interface PeriodTimes {
  /** the span the time set repeats in: a day (DAILY and coarser), an hour or a minute */
  span: 'day' | 'hour' | 'minute' | 'second';
  /** ascending offsets in seconds from the start of that span */
  offsets: number[];
}

/** The time set every firing day (hour, minute) of the rule uses; see the module comment. */
export function periodTimes(rule: RecurrenceRule, start: number): PeriodTimes {
  const s = new Date(start);
  const distinct = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);
  const hours = distinct(rule.byhour ?? [s.getUTCHours()]);
  const minutes = distinct(rule.byminute ?? [s.getUTCMinutes()]);
  const seconds = distinct(rule.bysecond ?? [s.getUTCSeconds()]);
  switch (rule.freq) {
    case Frequency.SECONDLY:
      return { span: 'second', offsets: [0] };
    case Frequency.MINUTELY:
      return { span: 'minute', offsets: product([], [], seconds) };
    case Frequency.HOURLY:
      return { span: 'hour', offsets: product([], minutes, seconds) };
    default:
      return { span: 'day', offsets: product(hours, minutes, seconds) };
  }
}

/**
 * Seconds of the span at each hour × minute × second (an empty list: that unit is not part of the
 * span), ascending: each list is distinct and ascending and each unit below the one above it, so the
 * nested order is time order (up to 86,400 values, built without a sort).
 */
function product(hours: number[], minutes: number[], seconds: number[]): number[] {
  const offsets: number[] = [];
  for (const hour of hours.length > 0 ? hours : [0]) {
    for (const minute of minutes.length > 0 ? minutes : [0]) {
      for (const second of seconds) offsets.push(hour * 3600 + minute * 60 + second);
    }
  }
  return offsets;
}

/** How many candidate date-times rrule walks for one period of the rule, at most (no list is built). */
export function candidatesPerPeriod(rule: RecurrenceRule): number {
  const size = (list: number[] | undefined, applies: boolean) => (applies && list ? new Set(list).size : 1);
  const { freq } = rule;
  return (
    DAYS_PER_PERIOD[freq] *
    size(rule.byhour, freq <= Frequency.DAILY) *
    size(rule.byminute, freq <= Frequency.HOURLY) *
    size(rule.bysecond, freq <= Frequency.MINUTELY)
  );
}

/**
 * Two times of the time set closer than the minimum, when every firing day (hour, minute) fires at
 * all of them — that is, unless BYSETPOS picks among them. Offsets in seconds of the span.
 */
export function closeTimesInPeriod(rule: RecurrenceRule, start: number, minIntervalSeconds: number): { span: PeriodTimes['span']; earlier: number; later: number } | undefined {
  if (rule.bysetpos) return undefined;
  const { span, offsets } = periodTimes(rule, start);
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i]! - offsets[i - 1]! < minIntervalSeconds) return { span, earlier: offsets[i - 1]!, later: offsets[i]! };
  }
  return undefined;
}

/** An offset of a time set as the clock shows it: 09:00:30 within a day, 05:30 (mm:ss) within an hour, :30 within a minute. */
export function formatOffset(span: PeriodTimes['span'], offset: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const [h, m, s] = [Math.floor(offset / 3600), Math.floor(offset / 60) % 60, offset % 60];
  if (span === 'day') return `${two(h)}:${two(m)}:${two(s)}`;
  if (span === 'hour') return `${two(m)}:${two(s)}`;
  return `:${two(s)}`;
}
