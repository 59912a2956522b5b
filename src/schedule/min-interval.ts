import { Frequency } from 'rrule';
import { fieldsOf, floatingMs } from './local-date-time';
import type { RecurrenceRule } from './recurrence-rule';
import { expandRule } from './rule-expansion';

/**
 * The minimum-interval check (INTERVAL_TOO_SHORT), in two parts.
 *
 * 1. By reasoning, per rule: a SECONDLY rule whose INTERVAL is below the minimum is too short
 *    whatever its other parts (with the default 60 s minimum, SECONDLY needs INTERVAL ≥ 60; a
 *    deployment that lowers the minimum — the real-time tests do — may use short SECONDLY rules).
 * 2. By measurement, on the union: the first SAMPLE_SIZE occurrences of all rules together, or those
 *    of the first year from the series start if fewer, in wall-clock time; two consecutive distinct
 *    ones closer than the minimum fail. Reasoning from FREQ/INTERVAL alone cannot do this part:
 *    BYSECOND/BYMINUTE/BYHOUR lists add occurrences inside a period (FREQ=HOURLY;BYMINUTE=0,1 fires
 *    twice a minute apart), limits remove some (FREQ=MINUTELY;BYMINUTE=0,30 with INTERVAL=1 is 30
 *    minutes apart, not 1), BYSETPOS picks among them, and two rules can fire close to each other.
 *    Within a period a rule's times repeat, so the first periods show a rule's own shortest gap;
 *    a year covers the calendar for coincidences between rules.
 *    Measured in wall-clock time, not instants, so the verdict does not depend on whether a DST
 *    change happens to fall in the sample (a time shifted out of a spring-forward gap can land next
 *    to another; that is a one-off of the clock, not a property of the schedule).
 * Not seen: a coincidence of two rules that first happens more than a year after the start (a
 * leap-day rule against a daily one at nearly the same time). The runtime tolerates that: runs of
 * a task never overlap, a due occurrence while one runs is recorded as skipped.
 */
export const SAMPLE_SIZE = 1_000;

export interface ShortInterval {
  earlier: number;
  later: number;
  /** the rules firing at both times (each too short on its own), else all firing at either */
  rules: number[];
}

export function isAlwaysTooShort(rule: RecurrenceRule, minIntervalSeconds: number): boolean {
  return rule.freq === Frequency.SECONDLY && rule.interval < minIntervalSeconds;
}

function oneYearAfter(floating: number): number {
  const f = fieldsOf(floating);
  return floatingMs(f.year + 1, f.month, f.day, f.hour, f.minute, f.second);
}

/** The union's first distinct wall-clock times (see SAMPLE_SIZE), each with the rules firing then. */
export function sampleUnion(rules: RecurrenceRule[], start: number, end: number | undefined, maxPeriods?: number): { floating: number; rules: number[] }[] {
  const horizon = Math.min(oneYearAfter(start), end ?? Infinity);
  const byTime = new Map<number, number[]>();
  rules.forEach((rule, index) => {
    let taken = 0;
    expandRule(rule, { start, after: start - 1, end: horizon, maxPeriods }, (floating) => {
      byTime.set(floating, [...(byTime.get(floating) ?? []), index]);
      return ++taken < SAMPLE_SIZE;
    });
  });
  return [...byTime]
    .map(([floating, firing]) => ({ floating, rules: firing }))
    .sort((a, b) => a.floating - b.floating)
    .slice(0, SAMPLE_SIZE);
}

export function findShortInterval(
  rules: RecurrenceRule[],
  start: number,
  end: number | undefined,
  minIntervalSeconds: number,
  maxPeriods?: number,
): ShortInterval | undefined {
  const sample = sampleUnion(rules, start, end, maxPeriods);
  for (let i = 1; i < sample.length; i++) {
    const earlier = sample[i - 1]!;
    const later = sample[i]!;
    if (later.floating - earlier.floating >= minIntervalSeconds * 1000) continue;
    const both = earlier.rules.filter((rule) => later.rules.includes(rule));
    const either = [...new Set([...earlier.rules, ...later.rules])].sort((a, b) => a - b);
    return { earlier: earlier.floating, later: later.floating, rules: both.length > 0 ? both : either };
  }
  return undefined;
}
