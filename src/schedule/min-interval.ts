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
 * 2. By measurement, in wall-clock time. Reasoning from FREQ/INTERVAL alone cannot do this part:
 *    BYSECOND/BYMINUTE/BYHOUR lists add occurrences inside a period (FREQ=HOURLY;BYMINUTE=0,1 fires
 *    twice a minute apart), limits remove some (FREQ=MINUTELY;BYMINUTE=0,30 with INTERVAL=1 is 30
 *    minutes apart, not 1), BYSETPOS picks among them, and two rules can fire close to each other.
 *    - Each rule on its own: its first SAMPLE_SIZE occurrences within HORIZON_YEARS of the start.
 *      Within a period a rule's times repeat, so the first periods show its own shortest gap.
 *    - Each pair of rules: where both samples reach, their times are merged; where only the
 *      sparser one reaches (a daily rule's sample spans years, a minutely one's hours), each of its
 *      times up to CROSS_QUERIES_PER_PAIR is looked up in the denser rule by a bounded expansion
 *      around it. The horizon is a leap-year cycle, so BYMONTHDAY=29 in February and BYYEARDAY=366
 *      meet the rules they come close to.
 *    Measured in wall-clock time, not instants, so the verdict does not depend on whether a DST
 *    change happens to fall in the sample (a time shifted out of a spring-forward gap can land next
 *    to another; that is a one-off of the clock, not a property of the schedule).
 * Not seen: a coincidence that first happens beyond the horizon or the lookups (a rule for Friday
 * the 13th against one for the 13th of a month whose next Friday is years away). The runtime
 * tolerates that: runs of a task never overlap, a due occurrence while one runs is recorded as skipped.
 */
export const SAMPLE_SIZE = 1_000;
export const HORIZON_YEARS = 4;
export const CROSS_QUERIES_PER_PAIR = 64;

export interface ShortInterval {
  earlier: number;
  later: number;
  /** the one rule firing at both times, or the two rules, in index order */
  rules: number[];
}

/** A rule as the check sees it: its parsed form and the last floating time its series may reach. */
export interface MeasuredRule {
  rule: RecurrenceRule;
  /** endDateTime, or the last occurrence of a COUNT series; none when the series is unbounded */
  end?: number;
}

export function isAlwaysTooShort(rule: RecurrenceRule, minIntervalSeconds: number): boolean {
  return rule.freq === Frequency.SECONDLY && rule.interval < minIntervalSeconds;
}

function yearsAfter(floating: number, years: number): number {
  const f = fieldsOf(floating);
  return floatingMs(f.year + years, f.month, f.day, f.hour, f.minute, f.second);
}

interface RuleSample {
  times: number[];
  /** every occurrence up to here is in `times` */
  reach: number;
}

function sampleRule({ rule, end }: MeasuredRule, start: number, horizon: number, maxPeriods?: number): RuleSample {
  const until = Math.min(horizon, end ?? Infinity);
  const times: number[] = [];
  const { exhausted } = expandRule(rule, { start, after: start - 1, end: until, maxPeriods }, (floating) => {
    times.push(floating);
    return times.length < SAMPLE_SIZE;
  });
  const cut = exhausted || times.length === SAMPLE_SIZE;
  return { times, reach: cut ? (times.at(-1) ?? start) : until };
}

function shortGapWithin(times: number[], minMs: number): [number, number] | undefined {
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > 0 && gap < minMs) return [times[i - 1]!, times[i]!];
  }
  return undefined;
}

/** Two times of different samples closer than the minimum, both at or before `reach` (coincident times are one occurrence). */
function shortGapBetween(a: number[], b: number[], reach: number, minMs: number): [number, number] | undefined {
  let j = 0;
  for (const t of a) {
    if (t > reach) break;
    while (j < b.length && b[j]! <= t - minMs) j++;
    for (let k = j; k < b.length && b[k]! < t + minMs && b[k]! <= reach; k++) {
      if (b[k] !== t) return t < b[k]! ? [t, b[k]!] : [b[k]!, t];
    }
  }
  return undefined;
}

/** An occurrence of `measured` within the minimum of `t` (other than `t` itself), found by a bounded expansion around it. */
function neighbourOf(measured: MeasuredRule, start: number, t: number, minMs: number, maxPeriods?: number): number | undefined {
  const end = Math.min(t + minMs - 1, measured.end ?? Infinity);
  // A COUNT series' occurrences up to its last one are the unbounded rule's: searched without COUNT,
  // the lookup is fast-forwarded instead of walking the series from its start.
  const rule = { ...measured.rule, count: undefined };
  let found: number | undefined;
  expandRule(rule, { start, after: t - minMs, end, maxPeriods }, (floating) => {
    if (floating === t) return true;
    found = floating;
    return false;
  });
  return found;
}

export function findShortInterval(
  rules: MeasuredRule[],
  start: number,
  minIntervalSeconds: number,
  maxPeriods?: number,
): ShortInterval | undefined {
  const minMs = minIntervalSeconds * 1000;
  const horizon = yearsAfter(start, HORIZON_YEARS);
  const samples = rules.map((rule) => sampleRule(rule, start, horizon, maxPeriods));
  for (const [index, sample] of samples.entries()) {
    const gap = shortGapWithin(sample.times, minMs);
    if (gap) return { earlier: gap[0], later: gap[1], rules: [index] };
  }
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const both = Math.min(samples[i]!.reach, samples[j]!.reach);
      const gap = shortGapBetween(samples[i]!.times, samples[j]!.times, both, minMs);
      if (gap) return { earlier: gap[0], later: gap[1], rules: [i, j] };
      const [sparse, dense] = samples[i]!.reach > samples[j]!.reach ? [i, j] : [j, i];
      const beyond = samples[sparse]!.times.filter((t) => t > both).slice(0, CROSS_QUERIES_PER_PAIR);
      for (const t of beyond) {
        const near = neighbourOf(rules[dense]!, start, t, minMs, maxPeriods);
        if (near !== undefined) return { earlier: Math.min(t, near), later: Math.max(t, near), rules: [i, j] };
      }
    }
  }
  return undefined;
}
