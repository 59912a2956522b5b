import { Frequency, RRule, Weekday, type Options } from 'rrule';
import type { RecurrenceRule } from './recurrence-rule';
import { fastForwardStart } from './fast-forward';
import { periodTimes } from './period-shape';

/**
 * Expands one rule in floating (wall-clock) time with rrule, never with rrule's `tzid`.
 *
 * Around rrule 2.8.1 this adds what makes it safe to call from a workflow on any validated input:
 * - fast-forward: a series without COUNT starts from a period boundary just before the window,
 *   whole FREQ×INTERVAL periods after the real start (see fast-forward.ts), so a start decades
 *   back costs no more than one from yesterday. COUNT series are walked from their real start.
 * - sub-daily limits: rrule's MINUTELY/SECONDLY stepping with BYHOUR (and SECONDLY with BYMINUTE)
 *   skips hours with the overflow of a single step, which yields wrong times when INTERVAL does not
 *   divide 60 (MINUTELY;INTERVAL=90;BYHOUR=1 from 00:00 gives 01:30 and then 01:00 the next day)
 *   and whole days when a BYDAY filter is present (MINUTELY;INTERVAL=20;BYHOUR=9;BYDAY=MO fires
 *   every third Monday). Those limit parts are applied here, as filters on rrule's output.
 * - never-firing time filters: rrule loops forever looking for an hour/minute/second its step can
 *   never reach (HOURLY;INTERVAL=2;BYHOUR=1 from an even hour). The reachable times of day are
 *   checked first; such a rule has no occurrences.
 * - never-firing day filters (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30): rrule only checks UNTIL on an
 *   occurrence, so without one it walks to year 9999 (seconds of CPU). The walk is stopped after
 *   BARREN_PERIOD_LIMIT consecutive periods without an occurrence: a rule that has not fired for
 *   that long (55 years of a daily rule) is treated as over.
 * - times of day combined here: for DAILY and coarser rules rrule emits every day × time of its
 *   period from the period's first day, whatever DTSTART is, so a YEARLY rule with BYHOUR×BYMINUTE
 *   lists (every minute of the year) walked ~500,000 occurrences per evaluation in December
 *   (0.35 s a rule; five rules in a workflow activation passed Temporal's 5 s isolate timeout,
 *   which aborts the whole worker process). rrule now expands the days only; the times are added
 *   here, so an evaluation costs the period's days plus one day's times (see dayTimes).
 */
export const BARREN_PERIOD_LIMIT = 20_000;

export interface ExpansionWindow {
  /** the series start, floating ms (whole seconds) */
  start: number;
  /** only occurrences strictly after this floating time are visited */
  after: number;
  /** inclusive floating end of the series (endDateTime) */
  end?: number;
  /**
   * At most this many of rrule's periods are walked (a cost bound for the API, whose callers may
   * not block for long): the expansion then stops early and says so. Workflows pass none.
   */
  maxPeriods?: number;
}

export interface ExpansionResult {
  /** stopped by `maxPeriods` before the series, or the visit, was over */
  exhausted: boolean;
}

const DAY_SECONDS = 86_400;
const DAY_MS = DAY_SECONDS * 1000;
const UNIT_SECONDS: Partial<Record<Frequency, number>> = {
  [Frequency.HOURLY]: 3_600,
  [Frequency.MINUTELY]: 60,
  [Frequency.SECONDLY]: 1,
};

class BarrenLimitReached extends Error {}
class PeriodBudgetSpent extends Error {}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function weekdayOf(floating: number): number {
  return (new Date(floating).getUTCDay() + 6) % 7; // rrule numbering: 0 = Monday
}

/**
 * The rule as rrule options, with every part rrule would take from DTSTART made explicit (RFC 5545:
 * "information not contained in the rule … is derived from DTSTART"), so the rule keeps its meaning
 * when evaluated from a later, fast-forwarded start.
 */
function explicitOptions(rule: RecurrenceRule, start: number): Partial<Options> {
  const s = new Date(start);
  const { freq } = rule;
  const options: Partial<Options> = {
    freq,
    interval: rule.interval,
    wkst: rule.wkst,
    count: null, // counted in expandRule, after the limits rrule is not trusted with
    tzid: null,
    bysecond: rule.bysecond ?? (freq < Frequency.SECONDLY ? [s.getUTCSeconds()] : null),
    byminute: rule.byminute ?? (freq < Frequency.MINUTELY ? [s.getUTCMinutes()] : null),
    byhour: rule.byhour ?? (freq < Frequency.HOURLY ? [s.getUTCHours()] : null),
    byweekday: rule.byday?.map((day) => new Weekday(day.weekday, day.n)) ?? null,
    bymonthday: rule.bymonthday ?? null,
    byyearday: rule.byyearday ?? null,
    byweekno: rule.byweekno ?? null,
    bymonth: rule.bymonth ?? null,
    bysetpos: rule.bysetpos ?? null,
  };
  const hasDayPart = Boolean(rule.byweekno || rule.byyearday || rule.bymonthday || rule.byday);
  if (!hasDayPart && freq === Frequency.YEARLY) {
    options.bymonth = rule.bymonth ?? [s.getUTCMonth() + 1];
    options.bymonthday = [s.getUTCDate()];
  } else if (!hasDayPart && freq === Frequency.MONTHLY) {
    options.bymonthday = [s.getUTCDate()];
  } else if (!hasDayPart && freq === Frequency.WEEKLY) {
    options.byweekday = [weekdayOf(start)];
  }
  return options;
}

interface SubDailyPlan {
  neverFires: boolean;
  /** limit parts taken away from rrule, applied to its output */
  keep?: (floating: number) => boolean;
}

/** See the module comment: which sub-daily limits rrule can be trusted with, and reachability. */
function planSubDaily(rule: RecurrenceRule, start: number, options: Partial<Options>): SubDailyPlan {
  const unit = UNIT_SECONDS[rule.freq];
  if (unit === undefined) return { neverFires: false };
  const s = new Date(start);
  const startOfPeriod = {
    [Frequency.HOURLY]: s.getUTCHours() * 3600,
    [Frequency.MINUTELY]: s.getUTCHours() * 3600 + s.getUTCMinutes() * 60,
    [Frequency.SECONDLY]: s.getUTCHours() * 3600 + s.getUTCMinutes() * 60 + s.getUTCSeconds(),
  }[rule.freq as Frequency.HOURLY | Frequency.MINUTELY | Frequency.SECONDLY];
  const limitsMinute = rule.freq !== Frequency.HOURLY;
  const limitsSecond = rule.freq === Frequency.SECONDLY;
  const matches = (secondOfDay: number) =>
    (!rule.byhour || rule.byhour.includes(Math.floor(secondOfDay / 3600))) &&
    (!limitsMinute || !rule.byminute || rule.byminute.includes(Math.floor(secondOfDay / 60) % 60)) &&
    (!limitsSecond || !rule.bysecond || rule.bysecond.includes(secondOfDay % 60));
  // Periods start at startOfPeriod + k·step (mod one day): the residue class of gcd(step, day).
  const step = gcd(unit * rule.interval, DAY_SECONDS);
  let reachable = false;
  for (let t = startOfPeriod % step; t < DAY_SECONDS && !reachable; t += step) reachable = matches(t);
  if (!reachable) return { neverFires: true };

  if (rule.freq === Frequency.HOURLY) return { neverFires: false };
  const byhour = rule.byhour;
  const byminute = rule.freq === Frequency.SECONDLY ? rule.byminute : undefined;
  if (!byhour && !byminute) return { neverFires: false };
  options.byhour = null;
  if (byminute) options.byminute = null;
  return {
    neverFires: false,
    keep: (floating) => {
      const d = new Date(floating);
      return (!byhour || byhour.includes(d.getUTCHours())) && (!byminute || byminute.includes(d.getUTCMinutes()));
    },
  };
}

interface PeriodCounter {
  /** reads since the last occurrence */
  reads: number;
  /** reads in all */
  total: number;
  maxTotal: number;
}

/** Counts rrule's periods through its reads of `options.interval` (two per period in 2.8.1). */
function guardPeriods(rule: RRule, state: PeriodCounter): void {
  const options = rule.options as unknown as Record<string, unknown>;
  const interval = options.interval;
  Object.defineProperty(options, 'interval', {
    configurable: true,
    enumerable: true,
    get() {
      if (++state.reads > 2 * BARREN_PERIOD_LIMIT) throw new BarrenLimitReached();
      if (++state.total > state.maxTotal) throw new PeriodBudgetSpent();
      return interval;
    },
  });
}

/**
 * A DAILY-or-coarser rule without BYSETPOS fires at every time of day of its BYHOUR×BYMINUTE×BYSECOND
 * product on each of its days: those times in ms from midnight, ascending, for expandRule to add to
 * days rrule expands at midnight. Undefined when rrule must expand the times itself (sub-daily
 * stepping, or BYSETPOS choosing among the period's day-times).
 */
function dayTimes(rule: RecurrenceRule, start: number): number[] | undefined {
  if (rule.freq > Frequency.DAILY || rule.bysetpos) return undefined;
  return periodTimes(rule, start).offsets.map((second) => second * 1000);
}

/**
 * Visits the rule's occurrences strictly after `window.after`, in ascending floating time, until
 * `visit` returns false, the series ends (COUNT, `window.end`) or it stops firing (see above).
 */
export function expandRule(rule: RecurrenceRule, window: ExpansionWindow, visit: (floating: number) => boolean): ExpansionResult {
  const done = { exhausted: false };
  if (window.end !== undefined && window.end < window.start) return done;
  const options = explicitOptions(rule, window.start);
  const plan = planSubDaily(rule, window.start, options);
  if (plan.neverFires) return done;
  const dtstart = rule.count === undefined ? fastForwardStart(rule, window.start, window.after) : window.start;
  const times = dayTimes(rule, window.start);
  // With the times added below, rrule walks midnights from the midnight of DTSTART's day (same period).
  const rruleStart = times ? Math.floor(dtstart / DAY_MS) * DAY_MS : dtstart;
  const dayOptions = times ? { byhour: [0], byminute: [0], bysecond: [0] } : {};
  const until = window.end === undefined ? null : new Date(window.end);
  const rrule = new RRule({ ...options, ...dayOptions, dtstart: new Date(rruleStart), until }, true);
  const barren: PeriodCounter = { reads: 0, total: 0, maxTotal: 2 * (window.maxPeriods ?? Infinity) };
  guardPeriods(rrule, barren);
  let counted = 0;
  /** One occurrence in order: false ends the expansion. */
  const take = (floating: number): boolean => {
    if (plan.keep && !plan.keep(floating)) return true;
    barren.reads = 0;
    if (rule.count !== undefined && ++counted > rule.count) return false;
    return floating <= window.after || visit(floating);
  };
  try {
    rrule.all((date) => {
      const day = date.getTime();
      if (!times) return take(day);
      // Times before `after` on its own day are skipped without a visit (nor a COUNT step when
      // there is no COUNT: then nothing before `after` is counted).
      const firstWanted = rule.count === undefined ? Math.max(dtstart, window.after + 1) : dtstart;
      if (day + DAY_MS <= firstWanted) return true; // the whole day is before the window
      for (const time of times) {
        const floating = day + time;
        if (floating < firstWanted) continue;
        if (window.end !== undefined && floating > window.end) return false;
        if (!take(floating)) return false;
      }
      return true;
    });
  } catch (error) {
    if (error instanceof PeriodBudgetSpent) return { exhausted: true };
    if (!(error instanceof BarrenLimitReached)) throw error;
  }
  return done;
}
