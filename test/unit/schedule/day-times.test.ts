import assert from 'node:assert/strict';
import { nextOccurrence, nextOccurrences, occurrencesUntil, validateSchedule, type ScheduleSpec } from '../../../src/schedule';

const list = (count: number) => Array.from({ length: count }, (_, i) => i).join(',');
/** Every minute of the year, written as a YEARLY rule: valid (60 s apart), the worst shape for rrule. */
const EVERY_MINUTE_YEARLY = `FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=${list(24)};BYMINUTE=${list(60)}`;

function elapsedMs(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

/**
 * DAILY and coarser rules with several times of day. rrule emits every day × time of a period from
 * the period's first day, so these cost what the period holds before `after`; the schedule module
 * expands the days with rrule and adds the times itself (rule-expansion.ts). The cost once crashed
 * the worker: five such rules in December made one workflow activation pass Temporal's 5 s limit.
 */
describe('schedule: rules with many times of day', () => {
  const spec: ScheduleSpec = { recurrence: Array(5).fill(EVERY_MINUTE_YEARLY), timezone: 'Europe/Paris' };
  const lateInTheYear = new Date('2026-12-31T20:00:30Z');

  it('five every-minute YEARLY rules are valid and give the next minute', () => {
    assert.deepEqual(validateSchedule(spec, { now: lateInTheYear, minIntervalSeconds: 60 }), []);
    assert.equal(nextOccurrence(spec, lateInTheYear)?.toISOString(), '2026-12-31T20:01:00.000Z');
  });

  it('cost milliseconds to evaluate at the end of the year, not the ~2 s of walking the year minute by minute', () => {
    nextOccurrence(spec, lateInTheYear); // warm up the modules
    const next = elapsedMs(() => nextOccurrence(spec, lateInTheYear));
    const missed = elapsedMs(() => occurrencesUntil(spec, new Date('2026-12-31T08:00:00Z'), lateInTheYear, 1_000, lateInTheYear));
    const validation = elapsedMs(() => validateSchedule(spec, { now: lateInTheYear, minIntervalSeconds: 60 }));
    assert.ok(next < 150, `next occurrence took ${next.toFixed(0)} ms`);
    assert.ok(missed < 500, `1,000 missed occurrences took ${missed.toFixed(0)} ms`);
    assert.ok(validation < 500, `validation took ${validation.toFixed(0)} ms`);
  });

  it('refuses the every-second YEARLY rule in milliseconds (it took 30 s)', () => {
    const everySecond: ScheduleSpec = { recurrence: [`${EVERY_MINUTE_YEARLY};BYSECOND=${list(60)}`], timezone: 'UTC' };
    let problems: ReturnType<typeof validateSchedule> = [];
    const took = elapsedMs(() => (problems = validateSchedule(everySecond, { now: lateInTheYear, minIntervalSeconds: 60 })));
    assert.deepEqual(problems.map((problem) => problem.rule), ['INTERVAL_TOO_SHORT']);
    assert.ok(took < 1_000, `validation took ${took.toFixed(0)} ms`);
  });

  it('orders the times of a day whatever the order of the lists, so COUNT counts in time order', () => {
    // Two a month at 08:36:08 and 08:36:44 from June 2025: the 39th is 1 January 2027 at 08:36:08.
    const counted: ScheduleSpec = { recurrence: ['FREQ=DAILY;BYMONTHDAY=1;BYSECOND=44,8;COUNT=39'], timezone: 'UTC', startDateTime: '2025-05-21T08:36:04' };
    const all = nextOccurrences(counted, new Date('2025-01-01T00:00:00Z'), 100);
    assert.equal(all.length, 39);
    assert.deepEqual(all.slice(-2).map((date) => date.toISOString()), ['2026-12-01T08:36:44.000Z', '2027-01-01T08:36:08.000Z']);
  });

  it('keeps a period`s first day and its times after the start, and the end inclusive', () => {
    const bounded: ScheduleSpec = {
      recurrence: ['FREQ=WEEKLY;BYDAY=WE;BYHOUR=9,17;BYMINUTE=0,30'],
      timezone: 'UTC',
      startDateTime: '2026-12-02T09:15:00', // a Wednesday, after its 09:00
      endDateTime: '2026-12-09T09:30:00',
    };
    assert.deepEqual(
      nextOccurrences(bounded, new Date('2026-11-01T00:00:00Z'), 10, new Date('2026-11-01T00:00:00Z')).map((date) => date.toISOString()),
      ['2026-12-02T09:30:00.000Z', '2026-12-02T17:00:00.000Z', '2026-12-02T17:30:00.000Z', '2026-12-09T09:00:00.000Z', '2026-12-09T09:30:00.000Z'],
    );
  });
});
