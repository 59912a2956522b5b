import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nextOccurrences, validateSchedule, type ScheduleSpec } from '../../../src/schedule';

/**
 * Random rule sets, as the API accepts them, against python-dateutil (PyPI, pinned; RFC 5545, and
 * it agrees with libical on the cases here). Each case goes to validateSchedule first; a schedule it
 * refuses is not compared (a refusal names the field and the rule: that is an allowed answer). An
 * accepted one must give, for the first OCCURRENCES instants after a chosen time, exactly what
 * dateutil gives on the product's documented semantics (dateutil-oracle.py): rules expanded in
 * wall-clock time, a time in a DST gap fired shifted forward by the gap, a repeated time fired at its
 * first instance, equal instants once. The API takes RRULEs only (RDATE, EXDATE and EXRULE are refused,
 * validation.test.ts), so the sets are unions of one to five RRULEs with startDateTime and endDateTime.
 *
 *   SCHEDULE_CROSSCHECK_CASES=20000 SCHEDULE_CROSSCHECK_SEED=7 [SCHEDULE_CROSSCHECK_FREQS=MINUTELY,SECONDLY] npx mocha --no-config --require tsx/cjs test/unit/schedule/dateutil-crosscheck.test.ts
 *
 * The virtualenv (test/.venv, git-ignored) is made on first use with pip from PyPI.
 */
const DATEUTIL_VERSION = '2.9.0.post0';
const TZDATA_VERSION = '2025.2';
const REPO_ROOT = join(__dirname, '..', '..', '..');
const VENV = join(REPO_ROOT, 'test', '.venv');
const PYTHON = join(VENV, 'bin', 'python');
const ORACLE = join(__dirname, 'dateutil-oracle.py');

const CASES = Number(process.env.SCHEDULE_CROSSCHECK_CASES ?? 1500);
const SEED = Number(process.env.SCHEDULE_CROSSCHECK_SEED ?? 20261202);
const OCCURRENCES = 20;
const MIN_INTERVAL_SECONDS = 60;
const DAY_MS = 86_400_000;

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.error?.message ?? ''}${result.stderr}`);
  return result.stdout;
}

function ensureDateutil(): void {
  const check = ['-c', `import dateutil, tzdata; assert dateutil.__version__ == "${DATEUTIL_VERSION}" and tzdata.__version__ == "${TZDATA_VERSION}"`];
  if (existsSync(PYTHON) && spawnSync(PYTHON, check).status === 0) return;
  run('python3', ['-m', 'venv', VENV]);
  run(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--index-url', 'https://pypi.org/simple', `python-dateutil==${DATEUTIL_VERSION}`, `tzdata==${TZDATA_VERSION}`]);
  run(PYTHON, check);
}

/** mulberry32: small, seeded, the same sequence on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Generator {
  constructor(private readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]!;
  }
  /** 1..maxSize values, sometimes unsorted or with a repeat (the parser keeps lists as written) */
  list(values: () => number, maxSize: number): number[] {
    const list = Array.from({ length: this.int(1, maxSize) }, values);
    if (this.chance(0.1)) list.push(list[0]!);
    return this.chance(0.7) ? [...new Set(list)].sort((a, b) => a - b) : list;
  }
  signed(max: number): number {
    return (this.chance(0.3) ? -1 : 1) * this.int(1, max);
  }
}

const ZONES = {
  'Australia/Lord_Howe': ['2026-04-05', '2026-10-04', '2027-04-04', '2027-10-03'],
  'Europe/Berlin': ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'],
  'America/New_York': ['2026-03-08', '2026-11-01', '2027-03-14', '2027-11-07'],
  'Asia/Kolkata': [],
  'Pacific/Chatham': ['2026-04-05', '2026-09-27', '2027-04-04', '2027-09-26'],
  UTC: [],
} as const satisfies Record<string, readonly string[]>;
const ALL_FREQS = ['YEARLY', 'YEARLY', 'MONTHLY', 'MONTHLY', 'MONTHLY', 'WEEKLY', 'WEEKLY', 'DAILY', 'DAILY', 'DAILY', 'HOURLY', 'HOURLY', 'MINUTELY', 'MINUTELY', 'SECONDLY'] as const;
type Freq = (typeof ALL_FREQS)[number];
/** SCHEDULE_CROSSCHECK_FREQS=MINUTELY,SECONDLY draws only those */
const FREQS: readonly Freq[] = process.env.SCHEDULE_CROSSCHECK_FREQS ? (process.env.SCHEDULE_CROSSCHECK_FREQS.split(',') as Freq[]) : ALL_FREQS;
const ODD_INTERVALS: Record<Freq, number[]> = {
  YEARLY: [2, 3, 4, 7],
  MONTHLY: [2, 3, 5, 13, 18],
  WEEKLY: [2, 3, 5, 53],
  DAILY: [2, 7, 10, 31, 366],
  HOURLY: [2, 5, 7, 23, 25, 49],
  MINUTELY: [2, 7, 15, 45, 61, 90, 1439, 1441],
  SECONDLY: [60, 61, 67, 90, 120, 3600, 3601, 86_401],
};
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const SUB_DAILY = new Set<Freq>(['HOURLY', 'MINUTELY', 'SECONDLY']);

function randomRule(g: Generator): { text: string; freq: Freq } {
  const freq = g.pick(FREQS);
  const parts: string[] = [`FREQ=${freq}`];
  const interval = freq === 'SECONDLY' ? g.pick(ODD_INTERVALS.SECONDLY) : g.chance(0.6) ? 1 : g.chance(0.6) ? g.int(2, 4) : g.pick(ODD_INTERVALS[freq]);
  if (interval > 1 || g.chance(0.1)) parts.push(`INTERVAL=${interval}`);
  const by: string[] = [];
  const add = (name: string, values: (number | string)[]) => by.push(`${name}=${values.join(',')}`);
  if (g.chance(0.25)) add('BYMONTH', g.list(() => g.int(1, 12), 3));
  const byweekno = freq === 'YEARLY' && g.chance(0.15);
  if (byweekno) add('BYWEEKNO', g.list(() => g.signed(53), 2));
  if (['YEARLY', 'HOURLY', 'MINUTELY', 'SECONDLY'].includes(freq) && g.chance(0.15)) add('BYYEARDAY', g.list(() => g.signed(366), 3));
  if (freq !== 'WEEKLY' && g.chance(0.25)) add('BYMONTHDAY', g.list(() => g.signed(31), 3));
  if (g.chance(0.35)) {
    const ordinals = (freq === 'MONTHLY' || (freq === 'YEARLY' && !byweekno)) && g.chance(0.4);
    const days = Array.from({ length: g.int(1, 4) }, () => {
      const day = g.pick(WEEKDAYS);
      if (!ordinals || g.chance(0.2)) return day;
      return `${freq === 'YEARLY' && !by.some((part) => part.startsWith('BYMONTH=')) ? g.signed(53) : g.signed(5)}${day}`;
    });
    add('BYDAY', [...new Set(days)]);
  }
  if (g.chance(0.3)) add('BYHOUR', g.list(() => g.int(0, 23), 3));
  if (g.chance(0.3)) add('BYMINUTE', g.list(() => g.int(0, 59), 3));
  if (g.chance(0.12)) add('BYSECOND', g.list(() => g.int(0, 59), 2));
  if (by.length > 0 && g.chance(0.3)) add('BYSETPOS', g.list(() => (g.chance(0.8) ? g.signed(6) : g.signed(366)), 3));
  if (g.chance(0.2)) parts.push(`COUNT=${g.int(1, 60)}`);
  if (g.chance(0.15)) parts.push(`WKST=${g.pick(WEEKDAYS)}`);
  const all = [...parts, ...by];
  for (let i = all.length - 1; i > 0; i--) {
    const j = g.int(0, i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return { text: `${g.chance(0.5) ? 'RRULE:' : ''}${all.join(';')}`, freq };
}

const formatLocal = (floating: number) => new Date(floating).toISOString().slice(0, 19);

/** The zone's offset at an instant, from Intl (not the module under test), in ms. */
function offsetAt(zone: string, instant: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(instant)).find((part) => part.type === 'timeZoneName')!.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3_600_000 + Number(match[3]) * 60_000) : 0;
}

interface Case {
  id: number;
  spec: ScheduleSpec;
  now: Date;
  after: Date;
  /** floating start as the oracle reads it (the anchor when the spec has none) */
  start: string;
  horizon: string;
}

function randomCase(g: Generator, id: number): Case {
  const zone = g.pick(Object.keys(ZONES) as (keyof typeof ZONES)[]);
  const now = new Date(Date.UTC(2026, 0, 1) + g.int(0, 729) * DAY_MS + g.int(0, 86_399) * 1000);
  const nowLocal = now.getTime() + offsetAt(zone, now.getTime());
  const transitions: readonly string[] = ZONES[zone];
  let start: number;
  if (transitions.length > 0 && g.chance(0.35)) {
    const [y, m, d] = g.pick(transitions).split('-').map(Number) as [number, number, number];
    start = Date.UTC(y, m - 1, d - g.int(0, 3), g.int(0, 4), g.pick([0, 0, 15, 30, 45, g.int(0, 59)]), g.chance(0.8) ? 0 : g.int(0, 59));
  } else {
    start = Math.floor(nowLocal / 60_000) * 60_000 + g.int(-360, 360) * DAY_MS + g.int(-720, 720) * 60_000 + (g.chance(0.8) ? 0 : g.int(0, 59) * 1000);
  }
  const anchored = g.chance(0.1);
  if (anchored) start = Math.floor(nowLocal / 60_000) * 60_000;
  const rules = Array.from({ length: g.chance(0.8) ? 1 : g.int(2, 5) }, () => randomRule(g));
  const end = g.chance(0.2) ? start + g.int(1, 3 * 365 * 24) * 3_600_000 + (g.chance(0.5) ? 0 : g.int(0, 3599) * 1000) : undefined;
  const subDaily = rules.some((rule) => SUB_DAILY.has(rule.freq));
  // From just before the start, or from later (the module fast-forwards then), near the DST change for sub-daily rules.
  const laterBy = subDaily ? g.int(0, 96) * 3_600_000 + g.int(0, 3599) * 1000 : g.int(0, 4 * 365) * DAY_MS + g.int(0, 86_399) * 1000;
  const afterLocal = g.chance(0.4) ? start - 1000 : start + laterBy;
  const after = new Date(afterLocal - offsetAt(zone, afterLocal));
  const yearsAhead = rules.every((rule) => rule.freq === 'YEARLY') ? 200 : 20;
  const horizon = formatLocal(Math.max(start, afterLocal) + yearsAhead * 365 * DAY_MS);
  const spec: ScheduleSpec = {
    recurrence: rules.map((rule) => rule.text),
    timezone: zone,
    ...(anchored ? {} : { startDateTime: formatLocal(start) }),
    ...(end === undefined ? {} : { endDateTime: formatLocal(end) }),
  };
  return { id, spec, now, after, start: formatLocal(start), horizon };
}

interface OracleAnswer {
  id: number;
  instants?: number[];
  ended?: boolean;
  horizonInstant?: number;
  error?: string;
}

function askDateutil(cases: Case[]): Map<number, OracleAnswer> {
  const input = cases
    .map((c) =>
      JSON.stringify({
        id: c.id,
        timezone: c.spec.timezone,
        start: c.start,
        end: c.spec.endDateTime,
        horizon: c.horizon,
        rules: c.spec.recurrence,
        after: c.after.getTime(),
        count: OCCURRENCES,
      }),
    )
    .join('\n');
  const result = spawnSync(PYTHON, [ORACLE], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`dateutil-oracle.py failed: ${result.stderr}`);
  return new Map(
    result.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OracleAnswer)
      .map((answer) => [answer.id, answer]),
  );
}

const iso = (instants: number[]) => instants.map((instant) => new Date(instant).toISOString());

describe('schedule: random rule sets against python-dateutil (RFC 5545)', function () {
  this.timeout(600_000);

  before(function () {
    ensureDateutil();
  });

  it(`${CASES} cases (seed ${SEED}): every accepted schedule gives dateutil's first ${OCCURRENCES} occurrences`, () => {
    const g = new Generator(random(SEED));
    const cases = Array.from({ length: CASES }, (_, id) => randomCase(g, id));
    const refusedBy = new Map<string, number>();
    /** one rule of a refused case that validation says never fires at all (a claim dateutil can check) */
    const saidNever: Case[] = [];
    const accepted = cases.filter((c) => {
      const problems = validateSchedule(c.spec, { now: c.now, minIntervalSeconds: MIN_INTERVAL_SECONDS });
      for (const rule of new Set(problems.map((problem) => problem.rule))) refusedBy.set(rule, (refusedBy.get(rule) ?? 0) + 1);
      if (process.env.SCHEDULE_CROSSCHECK_VERBOSE) for (const problem of problems) console.log(`      refused ${problem.field} ${problem.rule}: ${problem.message}: ${JSON.stringify(c.spec)}`);
      for (const problem of problems) {
        const index = /recurrence\[(\d)\]$/.exec(problem.field)?.[1];
        if (problem.rule !== 'RRULE_NEVER_FIRES' || index === undefined || /within its first/.test(problem.message)) continue;
        const before = new Date(Date.UTC(1900, 0, 1));
        saidNever.push({ ...c, id: CASES + saidNever.length, spec: { ...c.spec, recurrence: [c.spec.recurrence[Number(index)]!] }, after: before });
      }
      return problems.length === 0;
    });
    const answers = askDateutil([...accepted, ...saidNever]);
    const disagreements: string[] = [];
    for (const c of saidNever) {
      const answer = answers.get(c.id)!;
      if (answer.instants?.length) {
        disagreements.push(`refused as never firing, but dateutil fires at ${iso(answer.instants.slice(0, 3)).join(' ')}: ${JSON.stringify(c.spec)}`);
      }
    }
    let compared = 0;
    let outOfTime = 0;
    for (const c of accepted) {
      const answer = answers.get(c.id)!;
      if (answer.error === 'out of time') {
        outOfTime++;
        if (process.env.SCHEDULE_CROSSCHECK_VERBOSE) console.log(`      dateutil out of time: ${JSON.stringify(c.spec)} after ${c.after.toISOString()}`);
        continue;
      }
      const actual = nextOccurrences(c.spec, c.after, OCCURRENCES, c.now).map((date) => date.getTime());
      compared++;
      const describe = (why: string, expected: number[], got: number[]) =>
        `${why}\n  ${JSON.stringify(c.spec)} after ${c.after.toISOString()} now ${c.now.toISOString()}\n` +
        `  dateutil: ${iso(expected).join(' ')}\n  module:   ${iso(got).join(' ')}`;
      if (answer.error) {
        disagreements.push(describe(`accepted, but dateutil refuses it (${answer.error})`, [], actual));
        continue;
      }
      const expected = answer.instants!;
      const complete = expected.length === OCCURRENCES || answer.ended;
      const got = complete ? actual : actual.filter((instant) => instant <= answer.horizonInstant!);
      if (JSON.stringify(got) !== JSON.stringify(expected)) disagreements.push(describe(complete ? 'different occurrences' : `different occurrences before ${c.horizon}`, expected, got));
    }
    const refused = [...refusedBy].map(([rule, n]) => `${rule} ${n}`).join(', ');
    console.log(
      `      ${CASES} cases: ${accepted.length} accepted, ${compared} compared, ${outOfTime} dateutil out of time; refused: ${refused} ` +
        `(${saidNever.length} rules said never to fire, checked); ${disagreements.length} disagree`,
    );
    assert.ok(compared > CASES / 3, `only ${compared} of ${CASES} cases compared`);
    assert.equal(disagreements.length, 0, `${disagreements.length} of ${compared} disagree, the first:\n${disagreements.slice(0, 8).join('\n')}`);
  });
});
