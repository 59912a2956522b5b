import assert from 'node:assert/strict';
import { nextOccurrences, type ScheduleSpec } from '../../../src/schedule';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const UNIT_MS: Record<string, number> = { HOURLY: 3_600_000, MINUTELY: 60_000 };
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/**
 * A brute-force reading of a sub-daily rule without BYxxx expansions: step INTERVAL units from the
 * start and keep the steps every limit part accepts (RFC 5545 §3.3.10: for HOURLY/MINUTELY every
 * BY part at or above the frequency limits). In UTC, where wall-clock time is the instant.
 */
function bruteForce(rule: string, start: number, after: number, count: number): string[] {
  const parts = Object.fromEntries(rule.split(';').map((part) => part.split('=') as [string, string]));
  const list = (name: string) => parts[name]?.split(',');
  const step = UNIT_MS[parts.FREQ!]! * Number(parts.INTERVAL ?? 1);
  const accepts = (d: Date) =>
    (!list('BYMONTH') || list('BYMONTH')!.map(Number).includes(d.getUTCMonth() + 1)) &&
    (!list('BYMONTHDAY') || list('BYMONTHDAY')!.map(Number).includes(d.getUTCDate())) &&
    (!list('BYDAY') || list('BYDAY')!.includes(WEEKDAYS[d.getUTCDay()]!)) &&
    (!list('BYHOUR') || list('BYHOUR')!.map(Number).includes(d.getUTCHours())) &&
    (!list('BYMINUTE') || list('BYMINUTE')!.map(Number).includes(d.getUTCMinutes()));
  const found: string[] = [];
  const giveUp = after + 10 * 366 * 86_400_000;
  for (let t = start; found.length < count && t < giveUp; t += step) if (t > after && accepts(new Date(t))) found.push(new Date(t).toISOString());
  return found;
}

describe('schedule: sub-daily rules with limits (against a brute-force stepper)', () => {
  const rules = [
    'FREQ=MINUTELY;INTERVAL=90;BYHOUR=1,2,20', // rrule 2.8.1 alone: 01:30 then 01:00 the next day
    'FREQ=MINUTELY;INTERVAL=20;BYHOUR=9;BYDAY=MO', // rrule 2.8.1 alone: every third Monday
    'FREQ=MINUTELY;INTERVAL=7;BYHOUR=3;BYMINUTE=0,1,2,3,4,5,6',
    'FREQ=MINUTELY;INTERVAL=45;BYMINUTE=15',
    'FREQ=MINUTELY;INTERVAL=120;BYHOUR=8,14;BYMONTHDAY=1,15',
    'FREQ=MINUTELY;INTERVAL=1441;BYHOUR=0', // one minute later every day: hour 0 for 60 days every ~4 years
    'FREQ=HOURLY;INTERVAL=5;BYHOUR=9,14;BYDAY=MO,TH',
    'FREQ=HOURLY;INTERVAL=10;BYMONTH=2',
  ];
  const start = Date.UTC(2025, 0, 6, 0, 0); // a Monday
  for (const rule of rules) {
    for (const after of [Date.UTC(2025, 0, 1), Date.UTC(2026, 1, 10, 5, 17)]) {
      it(`${rule}, after ${new Date(after).toISOString()}`, () => {
        const spec: ScheduleSpec = { recurrence: [rule], timezone: 'UTC', startDateTime: '2025-01-06T00:00:00' };
        const expected = bruteForce(rule, start, after, 20);
        assert.equal(expected.length, 20);
        assert.deepEqual(iso(nextOccurrences(spec, new Date(after), 20)), expected);
      });
    }
  }

  it('a value repeated in BYMINUTE or BYSECOND is one occurrence, and COUNT counts it once', () => {
    const hourly: ScheduleSpec = { recurrence: ['FREQ=HOURLY;BYMINUTE=40,10,10;COUNT=4'], timezone: 'UTC', startDateTime: '2026-01-01T00:00:00' };
    assert.deepEqual(iso(nextOccurrences(hourly, new Date('2025-12-31T00:00:00Z'), 10)), [
      '2026-01-01T00:10:00.000Z',
      '2026-01-01T00:40:00.000Z',
      '2026-01-01T01:10:00.000Z',
      '2026-01-01T01:40:00.000Z',
    ]);
    const minutely: ScheduleSpec = { recurrence: ['FREQ=MINUTELY;INTERVAL=5;BYSECOND=30,30;COUNT=2'], timezone: 'UTC', startDateTime: '2026-01-01T00:00:00' };
    assert.deepEqual(iso(nextOccurrences(minutely, new Date('2025-12-31T00:00:00Z'), 10)), ['2026-01-01T00:00:30.000Z', '2026-01-01T00:05:30.000Z']);
  });

  describe('rules that can never fire end at once instead of searching forever', () => {
    const never = [
      ['FREQ=HOURLY;INTERVAL=2;BYHOUR=1', '2026-01-01T08:00:00'], // even hours only
      ['FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1', '2026-01-01T08:00:00'], // even minutes only
      ['FREQ=MINUTELY;INTERVAL=120;BYHOUR=9', '2026-01-01T08:00:00'], // even hours only
      ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '2026-01-01T08:00:00'],
      ['FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31', '2026-01-01T08:00:00'],
      ['FREQ=DAILY;INTERVAL=7;BYDAY=MO', '2026-01-01T08:00:00'], // every 7 days from a Thursday
    ];
    for (const [rule, startDateTime] of never) {
      it(rule!, () => {
        assert.deepEqual(nextOccurrences({ recurrence: [rule!], timezone: 'UTC', startDateTime }, new Date('2025-12-31T00:00:00Z'), 3), []);
      });
    }

    it('a rule that fires rarely is still found (Feb 29 on a Monday, every 28 years here)', () => {
      const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO'], timezone: 'UTC', startDateTime: '2026-01-01T08:00:00' };
      assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-01-01T00:00:00Z'), 2)), ['2044-02-29T08:00:00.000Z', '2072-02-29T08:00:00.000Z']);
    });
  });
});
