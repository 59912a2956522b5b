import assert from 'node:assert/strict';
import { nextOccurrences, validateSchedule, type ScheduleSpec } from '../../../src/schedule';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const utc = (rule: string, startDateTime: string, endDateTime?: string): ScheduleSpec => ({
  recurrence: [rule],
  timezone: 'UTC',
  startDateTime,
  ...(endDateTime ? { endDateTime } : {}),
});
const from = (text: string) => new Date(text);

/**
 * BYSETPOS (RFC 5545 §3.3.10): within each period (the FREQ unit), the n-th of the date-times the
 * other parts give, from the end when negative; a position past the set selects nothing, and a
 * date-time selected twice is one occurrence. Each case here was wrong with rrule's own BYSETPOS.
 */
describe('schedule: BYSETPOS', () => {
  it('counts positions in time order whatever the order of the BYxxx lists', () => {
    assert.deepEqual(iso(nextOccurrences(utc('FREQ=DAILY;BYHOUR=17,9;BYSETPOS=1', '2026-01-01T00:00:00'), from('2025-12-31T00:00:00Z'), 2)), [
      '2026-01-01T09:00:00.000Z',
      '2026-01-02T09:00:00.000Z',
    ]);
    assert.deepEqual(iso(nextOccurrences(utc('FREQ=DAILY;BYHOUR=9;BYMINUTE=30,0;BYSETPOS=-1', '2026-01-01T00:00:00'), from('2025-12-31T00:00:00Z'), 1)), ['2026-01-01T09:30:00.000Z']);
  });

  it('a negative position past the set selects nothing (DAILY with three times, -4)', () => {
    assert.deepEqual(iso(nextOccurrences(utc('FREQ=DAILY;BYHOUR=9,12,15;BYSETPOS=2,-4', '2026-01-01T00:00:00'), from('2025-12-31T00:00:00Z'), 3)), [
      '2026-01-01T12:00:00.000Z',
      '2026-01-02T12:00:00.000Z',
      '2026-01-03T12:00:00.000Z',
    ]);
    const never = validateSchedule(utc('FREQ=MONTHLY;BYDAY=MO;BYHOUR=9,17;BYSETPOS=-11', '2026-01-01T00:00:00'), { now: from('2026-01-01T00:00:00Z'), minIntervalSeconds: 60 });
    assert.deepEqual(never.map((problem) => problem.rule), ['RRULE_NEVER_FIRES'], 'at most 5 Mondays × 2 times a month');
  });

  it('a date-time picked by two positions is one occurrence, and COUNT counts it once', () => {
    // January 2026 has four Mondays: position 1 is the 5th, -6 is past the set (rrule picked the 5th again).
    assert.deepEqual(iso(nextOccurrences(utc('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,-6;COUNT=3', '2026-01-01T08:00:00'), from('2025-12-31T00:00:00Z'), 5)), [
      '2026-01-05T08:00:00.000Z',
      '2026-02-02T08:00:00.000Z',
      '2026-03-02T08:00:00.000Z',
    ]);
    // The last Friday is also the first of the last Fridays: one occurrence a month, three months.
    assert.deepEqual(iso(nextOccurrences(utc('FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=1,-1;COUNT=3', '2026-01-01T08:00:00'), from('2025-12-31T00:00:00Z'), 5)), [
      '2026-01-30T08:00:00.000Z',
      '2026-02-27T08:00:00.000Z',
      '2026-03-27T08:00:00.000Z',
    ]);
  });

  it('HOURLY: a period whose hour is not in BYHOUR has no candidates (rrule picked its midnight)', () => {
    assert.deepEqual(iso(nextOccurrences(utc('FREQ=HOURLY;BYHOUR=9;BYMINUTE=0,30;BYSETPOS=-1', '2026-01-01T00:00:00'), from('2025-12-31T00:00:00Z'), 2)), [
      '2026-01-01T09:30:00.000Z',
      '2026-01-02T09:30:00.000Z',
    ]);
  });

  it('positions count over the whole period, also the part before the start; the end cuts after the pick', () => {
    // The last weekday of each month, from a start after it in January and with an end before it in March.
    const spec = utc('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', '2026-01-31T00:00:00', '2026-03-30T23:00:00');
    assert.deepEqual(iso(nextOccurrences(spec, from('2026-01-01T00:00:00Z'), 5)), ['2026-02-27T00:00:00.000Z']);
    // The second date-time of the day is 12:00 also when the series starts at 10:00.
    assert.deepEqual(iso(nextOccurrences(utc('FREQ=DAILY;BYHOUR=9,12,15;BYSETPOS=2', '2026-01-01T10:00:00'), from('2025-12-31T00:00:00Z'), 1)), ['2026-01-01T12:00:00.000Z']);
    assert.deepEqual(iso(nextOccurrences(utc('FREQ=DAILY;BYHOUR=9,12,15;BYSETPOS=1', '2026-01-01T10:00:00'), from('2025-12-31T00:00:00Z'), 1)), ['2026-01-02T09:00:00.000Z']);
  });

  it('asked decades of periods later (fast-forward), the picks are the same as from the start', () => {
    const spec = utc('FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=8,18;BYSETPOS=2,-2', '2026-01-05T00:00:00');
    const all = nextOccurrences(spec, from('2026-01-01T00:00:00Z'), 200);
    const late = nextOccurrences(spec, all[149]!, 50);
    assert.deepEqual(iso(late), iso(all.slice(150)));
    assert.deepEqual(iso(all.slice(0, 2)), ['2026-01-05T18:00:00.000Z', '2026-01-09T08:00:00.000Z']);
  });
});
