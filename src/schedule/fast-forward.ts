import { Frequency } from 'rrule';
import { floatingMs } from './local-date-time';
import type { RecurrenceRule } from './recurrence-rule';

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;
const FIXED_UNIT_MS: Partial<Record<Frequency, number>> = {
  [Frequency.SECONDLY]: SECOND_MS,
  [Frequency.MINUTELY]: 60 * SECOND_MS,
  [Frequency.HOURLY]: 3_600 * SECOND_MS,
  [Frequency.DAILY]: DAY_MS,
  [Frequency.WEEKLY]: 7 * DAY_MS,
};

/** Start of the FREQ unit holding `floating`: its second, minute, hour, day, WKST-week, month, year. */
export function unitStart(freq: Frequency, floating: number, wkst: number): number {
  const d = new Date(floating);
  switch (freq) {
    case Frequency.YEARLY:
      return floatingMs(d.getUTCFullYear(), 1, 1);
    case Frequency.MONTHLY:
      return floatingMs(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case Frequency.WEEKLY: {
      const day = Math.floor(floating / DAY_MS) * DAY_MS;
      const weekday = (d.getUTCDay() + 6) % 7; // 0 = Monday, like WKST
      return day - ((weekday - wkst + 7) % 7) * DAY_MS;
    }
    default: {
      const unit = FIXED_UNIT_MS[freq]!;
      return Math.floor(floating / unit) * unit;
    }
  }
}

/** Whole FREQ units from the unit holding `from` to the unit holding `to`. */
function unitsBetween(freq: Frequency, from: number, to: number): number {
  const a = new Date(from);
  const b = new Date(to);
  if (freq === Frequency.YEARLY) return b.getUTCFullYear() - a.getUTCFullYear();
  if (freq === Frequency.MONTHLY) return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  return Math.floor((to - from) / FIXED_UNIT_MS[freq]!);
}

export function addUnits(freq: Frequency, unitStartMs: number, units: number): number {
  const d = new Date(unitStartMs);
  if (freq === Frequency.YEARLY) return floatingMs(d.getUTCFullYear() + units, 1, 1);
  if (freq === Frequency.MONTHLY) return floatingMs(d.getUTCFullYear(), d.getUTCMonth() + 1 + units, 1);
  return unitStartMs + units * FIXED_UNIT_MS[freq]!;
}

/**
 * A later DTSTART for a rule without COUNT that yields the same occurrences from `target` on.
 *
 * rrule iterates period by period from DTSTART, and a period's occurrences depend only on the
 * period itself (its days and times, BYSETPOS within it, BYWEEKNO within its year) once every part
 * rrule would take from DTSTART is explicit (rule-expansion.ts makes them so). Periods are FREQ
 * units counted from the one holding the real start (for WEEKLY: WKST-weeks), a new one every
 * INTERVAL units. So DTSTART may move to the start of any unit k·INTERVAL units later: the
 * time-of-day phase of sub-daily rules and the week/month/year parity of INTERVAL>1 rules are kept,
 * and the periods skipped all end before `target`. The result is the start of the last such period
 * at or before `target` (or the real start when `target` is still in the first period).
 */
export function fastForwardStart(rule: RecurrenceRule, start: number, target: number): number {
  if (target <= start) return start;
  const first = unitStart(rule.freq, start, rule.wkst);
  const periods = Math.floor(unitsBetween(rule.freq, first, target) / rule.interval);
  if (periods < 1) return start;
  return addUnits(rule.freq, first, periods * rule.interval);
}
