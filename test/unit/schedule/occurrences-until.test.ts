import assert from 'node:assert/strict';
import { nextOccurrences, occurrencesUntil, type ScheduleSpec } from '../../../src/schedule';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

/** What occurrencesUntil must equal: one large expansion, filtered (the way the workflow counted missed occurrences before). */
const byFiltering = (spec: ScheduleSpec, after: Date, until: Date, limit: number) =>
  nextOccurrences(spec, after, 5_000).filter((at) => at <= until).slice(0, limit);

describe('schedule: occurrencesUntil', () => {
  const cases: [string, ScheduleSpec, string, string, number][] = [
    ['none due yet (the usual case)', { recurrence: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0'], timezone: 'Europe/Paris', startDateTime: '2026-01-01T00:00:00' }, '2026-11-28T08:00:00Z', '2026-11-28T12:00:00Z', 1000],
    ['three days missed', { recurrence: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0'], timezone: 'Europe/Paris', startDateTime: '2026-01-01T00:00:00' }, '2026-11-25T08:00:00Z', '2026-11-28T12:00:00Z', 1000],
    ['a month of hourly occurrences, across pages', { recurrence: ['FREQ=HOURLY;BYMINUTE=30;BYSECOND=0'], timezone: 'America/New_York', startDateTime: '2026-10-01T00:00:00' }, '2026-10-20T00:00:00Z', '2026-11-20T00:00:00Z', 1000],
    ['capped at the limit', { recurrence: ['FREQ=MINUTELY;INTERVAL=5'], timezone: 'UTC', startDateTime: '2026-01-01T00:00:00' }, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z', 1000],
    ['two overlapping rules, united', { recurrence: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,12;BYMINUTE=0;BYSECOND=0'], timezone: 'UTC', startDateTime: '2026-01-01T00:00:00' }, '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', 1000],
    ['a series that ends (COUNT) before `until`', { recurrence: ['FREQ=DAILY;COUNT=7;BYHOUR=8;BYMINUTE=0;BYSECOND=0'], timezone: 'UTC', startDateTime: '2026-03-01T00:00:00' }, '2026-03-03T00:00:00Z', '2026-12-01T00:00:00Z', 1000],
  ];
  for (const [what, spec, after, until, limit] of cases) {
    it(`equals the filtered expansion: ${what}`, () => {
      const expected = byFiltering(spec, new Date(after), new Date(until), limit);
      assert.deepEqual(iso(occurrencesUntil(spec, new Date(after), new Date(until), limit)), iso(expected));
    });
  }

  it('finds what a long outage missed, capped, and nothing after `until`', () => {
    const spec = { recurrence: ['FREQ=MINUTELY;INTERVAL=5'], timezone: 'UTC', startDateTime: '2026-01-01T00:00:00' };
    const found = occurrencesUntil(spec, new Date('2026-01-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'), 1000);
    assert.equal(found.length, 1000);
    assert.equal(found[0]!.toISOString(), '2026-01-01T00:05:00.000Z');
    assert.equal(found[999]!.toISOString(), '2026-01-04T11:20:00.000Z');
    const three = occurrencesUntil(spec, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:15:00Z'), 1000);
    assert.deepEqual(iso(three), ['2026-01-01T00:05:00.000Z', '2026-01-01T00:10:00.000Z', '2026-01-01T00:15:00.000Z']);
  });
});
