import { Frequency, RRule, Weekday, type Options } from 'rrule';
import type { RecurrenceRule } from './recurrence-rule';
import { addUnits, fastForwardStart, unitStart } from './fast-forward';
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
 * - BYSETPOS picked here from rrule's candidates, period by period (see PeriodPicker): rrule's own
 *   BYSETPOS gives extra and repeated occurrences.
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

function distinct(values: number[] | undefined): number[] | undefined {
  return values && [...new Set(values)].sort((a, b) => a - b);
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
    // Distinct and ascending: rrule builds a sub-daily period's times from these lists as written,
    // so a repeated BYMINUTE value was a repeated occurrence, counted twice by COUNT.
    bysecond: distinct(rule.bysecond) ?? (freq < Frequency.SECONDLY ? [s.getUTCSeconds()] : null),
    byminute: distinct(rule.byminute) ?? (freq < Frequency.MINUTELY ? [s.getUTCMinutes()] : null),
    byhour: distinct(rule.byhour) ?? (freq < Frequency.HOURLY ? [s.getUTCHours()] : null),
    byweekday: rule.byday?.map((day) => new Weekday(day.weekday, day.n)) ?? null,
    bymonthday: rule.bymonthday ?? null,
    byyearday: rule.byyearday ?? null,
    byweekno: rule.byweekno ?? null,
    bymonth: rule.bymonth ?? null,
    bysetpos: null, // applied here (PeriodPicker)
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

/**
 * A MINUTELY or SECONDLY rule whose BYHOUR (SECONDLY: also BYMINUTE) is applied here walks every
 * step rrule makes in between (rrule itself skips only the steps BYMINUTE, for SECONDLY BYSECOND,
 * refuses): the most such steps in a row without a time the rule fires at, over the whole cycle of
 * its steps through the day (0 when nothing is applied here). Days its day parts refuse are not
 * counted (rrule passes each in one step). With an INTERVAL that does not divide the day the times
 * drift from day to day and a run can be long: SECONDLY;INTERVAL=86399;BYHOUR=3;BYMINUTE=0 from
 * 03:00 drifts back a second a day and is in 03:00–03:00:59 again 86,340 steps later.
 */
export function longestStepRun(rule: RecurrenceRule, start: number): number {
  if (rule.freq !== Frequency.MINUTELY && rule.freq !== Frequency.SECONDLY) return 0;
  const secondly = rule.freq === Frequency.SECONDLY;
  const byminute = secondly ? rule.byminute : undefined;
  if (!rule.byhour && !byminute) return 0;
  const stepSeconds = UNIT_SECONDS[rule.freq]! * rule.interval;
  const cycle = DAY_SECONDS / gcd(stepSeconds, DAY_SECONDS);
  const s = new Date(start);
  let secondOfDay = s.getUTCHours() * 3600 + s.getUTCMinutes() * 60 + (secondly ? s.getUTCSeconds() : 0);
  let run = 0;
  let longest = 0;
  // Two cycles: every run between two firing steps, also the one across the cycle's end, is seen whole.
  for (let k = 0; k < 2 * cycle; k++, secondOfDay = (secondOfDay + stepSeconds) % DAY_SECONDS) {
    const minute = Math.floor(secondOfDay / 60) % 60;
    const walked = secondly ? !rule.bysecond || rule.bysecond.includes(secondOfDay % 60) : !rule.byminute || rule.byminute.includes(minute);
    if (!walked) continue;
    const fires = (!rule.byhour || rule.byhour.includes(Math.floor(secondOfDay / 3600))) && (!byminute || byminute.includes(minute));
    if (fires) {
      longest = Math.max(longest, run);
      run = 0;
    } else run++;
  }
  return longest;
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
 * A DAILY-or-coarser rule fires at the times of day of its BYHOUR×BYMINUTE×BYSECOND product on each
 * of its days (BYSETPOS then picks among those day × time candidates): the times in ms from midnight,
 * ascending and distinct, for expandRule to add to the days rrule expands at midnight. Undefined for
 * sub-daily rules, which rrule steps through itself.
 */
function dayTimes(rule: RecurrenceRule, start: number): number[] | undefined {
  if (rule.freq > Frequency.DAILY) return undefined;
  return periodTimes(rule, start).offsets.map((second) => second * 1000);
}

/**
 * RFC 5545 BYSETPOS over a period of `size` candidates in time order: the indexes of the n-th
 * (counted from the end when negative), ascending, each once. A position past the set picks nothing.
 */
export function setPositions(positions: number[], size: number): number[] {
  const picked = new Set<number>();
  for (const position of positions) {
    const index = position > 0 ? position - 1 : size + position;
    if (index >= 0 && index < size) picked.add(index);
  }
  return [...picked].sort((a, b) => a - b);
}

/**
 * BYSETPOS is applied here, not by rrule: rrule 2.8.1 picks the first candidate for a negative
 * position past the set (BYSETPOS=-5 of four), picks midnight for a negative position in a sub-daily
 * period it has no times for (the first one, when the start's hour is not in BYHOUR), keeps a
 * candidate picked twice (BYSETPOS=1,-1 of one) twice, and counts positions over its time set in the
 * order the BYxxx lists were written (BYHOUR=17,9;BYSETPOS=1 picked 17:00). rrule yields the
 * candidates, this groups them by period (the FREQ unit holding them) and picks.
 */
class PeriodPicker {
  private key: number | undefined;
  private candidates: number[] = [];

  constructor(
    private readonly rule: RecurrenceRule,
    /** DAILY and coarser: the candidates are days, combined with these times of day */
    private readonly times: number[] | undefined,
    private readonly emit: (floating: number) => boolean,
  ) {}

  /** One candidate of rrule's, in its order: false ends the expansion. */
  add(floating: number): boolean {
    const key = unitStart(this.rule.freq, floating, this.rule.wkst);
    if (key !== this.key && !this.flush()) return false;
    this.key = key;
    this.candidates.push(floating);
    return true;
  }

  /** The held period's picks, in order: false ends the expansion. */
  flush(): boolean {
    const { times } = this;
    const candidates = times ? this.candidates : [...new Set(this.candidates)].sort((a, b) => a - b);
    this.candidates = [];
    const perCandidate = times?.length ?? 1;
    for (const index of setPositions(this.rule.bysetpos!, candidates.length * perCandidate)) {
      const floating = candidates[Math.floor(index / perCandidate)]! + (times ? times[index % perCandidate]! : 0);
      if (!this.emit(floating)) return false;
    }
    return true;
  }
}

/** The last floating ms of the FREQ unit holding `floating`. */
function unitEnd(rule: RecurrenceRule, floating: number): number {
  return addUnits(rule.freq, unitStart(rule.freq, floating, rule.wkst), 1) - 1;
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
  // BYSETPOS needs each period whole: rrule starts at the start of the period holding DTSTART and
  // runs to the end of the one holding the end; what lies outside is dropped below. The first week
  // of a WEEKLY rule is the exception: its set starts on DTSTART's day, as in python-dateutil (and
  // rrule): their week periods run from the day they start on to the end of that week.
  const setpos = Boolean(rule.bysetpos);
  const periodFrom = !setpos ? dtstart : rule.freq === Frequency.WEEKLY ? Math.floor(dtstart / DAY_MS) * DAY_MS : unitStart(rule.freq, dtstart, rule.wkst);
  // With the times added below, rrule walks midnights from the midnight of DTSTART's day (same period).
  const rruleStart = times ? Math.floor(periodFrom / DAY_MS) * DAY_MS : periodFrom;
  const dayOptions = times ? { byhour: [0], byminute: [0], bysecond: [0] } : {};
  const until = window.end === undefined ? null : new Date(setpos ? unitEnd(rule, window.end) : window.end);
  const rrule = new RRule({ ...options, ...dayOptions, dtstart: new Date(rruleStart), until }, true);
  const barren: PeriodCounter = { reads: 0, total: 0, maxTotal: 2 * (window.maxPeriods ?? Infinity) };
  guardPeriods(rrule, barren);
  // Occurrences before `after` are skipped without a visit (nor a COUNT step when there is no COUNT:
  // then nothing before `after` is counted).
  const firstWanted = rule.count === undefined ? Math.max(dtstart, window.after + 1) : dtstart;
  let counted = 0;
  /** One occurrence in order: false ends the expansion. */
  const take = (floating: number): boolean => {
    if (floating < firstWanted) return true;
    if (window.end !== undefined && floating > window.end) return false;
    barren.reads = 0;
    if (rule.count !== undefined && ++counted > rule.count) return false;
    return floating <= window.after || visit(floating);
  };
  const picker = setpos ? new PeriodPicker(rule, times, take) : undefined;
  /** One of rrule's dates: a day to add the times to, or a sub-daily candidate. */
  const onDate = (date: Date): boolean => {
    const floating = date.getTime();
    if (plan.keep && !plan.keep(floating)) return true; // sub-daily limits (see planSubDaily)
    if (picker) return picker.add(floating);
    if (!times) {
      barren.reads = 0; // also for a candidate before the window
      return take(floating);
    }
    if (floating + DAY_MS <= firstWanted) return true; // the whole day is before the window
    for (const time of times) if (!take(floating + time)) return false;
    return true;
  };
  let stopped = false;
  try {
    rrule.all((date) => onDate(date) || ((stopped = true), false));
  } catch (error) {
    if (!(error instanceof PeriodBudgetSpent) && !(error instanceof BarrenLimitReached)) throw error;
    // Thrown between periods: the period the picker holds is whole.
    if (picker) picker.flush();
    return { exhausted: error instanceof PeriodBudgetSpent };
  }
  if (picker && !stopped) picker.flush();
  return done;
}
