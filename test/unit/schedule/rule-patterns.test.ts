import assert from 'node:assert/strict';
import { nextOccurrence, nextOccurrences, type ScheduleSpec } from '../../../src/schedule';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const utc = (recurrence: string[], startDateTime: string, extra: Partial<ScheduleSpec> = {}): ScheduleSpec => ({ recurrence, timezone: 'UTC', startDateTime, ...extra });
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
/** Weekday of a calendar date, 0 = Sunday (independent of the module: plain UTC Date arithmetic). */
const weekday = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

describe('schedule: rule patterns', () => {
  it('BYSETPOS=-1 over weekdays: the last weekday of each month', () => {
    const spec = utc(['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'], '2026-01-01T18:00:00');
    const expected: string[] = [];
    for (let month = 1; month <= 12; month++) {
      let day = daysInMonth(2026, month);
      while ([0, 6].includes(weekday(2026, month, day))) day--;
      expected.push(`2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    }
    assert.deepEqual(nextOccurrences(spec, new Date('2025-12-31T00:00:00Z'), 12).map(dayOf), expected);
    assert.deepEqual(expected.slice(0, 6), ['2026-01-30', '2026-02-27', '2026-03-31', '2026-04-30', '2026-05-29', '2026-06-30']);
  });

  it('BYSETPOS with two positions: first and last Monday of the month', () => {
    const spec = utc(['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,-1'], '2026-01-01T08:00:00');
    assert.deepEqual(nextOccurrences(spec, new Date('2025-12-31T00:00:00Z'), 6).map(dayOf), ['2026-01-05', '2026-01-26', '2026-02-02', '2026-02-23', '2026-03-02', '2026-03-30']);
  });

  it('negative BYMONTHDAY counts from the end of each month, leap February included', () => {
    const last = utc(['FREQ=MONTHLY;BYMONTHDAY=-1'], '2027-11-01T12:00:00');
    assert.deepEqual(nextOccurrences(last, new Date('2027-11-01T00:00:00Z'), 5).map(dayOf), ['2027-11-30', '2027-12-31', '2028-01-31', '2028-02-29', '2028-03-31']);
    const secondToLast = utc(['FREQ=MONTHLY;BYMONTHDAY=-2'], '2027-02-01T12:00:00');
    assert.deepEqual(nextOccurrences(secondToLast, new Date('2027-01-01T00:00:00Z'), 1).map(dayOf), ['2027-02-27']);
    assert.deepEqual(nextOccurrences(secondToLast, new Date('2028-02-01T00:00:00Z'), 1).map(dayOf), ['2028-02-28']);
  });

  it('BYWEEKNO=53 fires only in ISO years with 53 weeks', () => {
    // ISO years with 53 weeks start on a Thursday, or are leap years starting on a Wednesday: 2020, 2026, 2032, 2037.
    const spec = utc(['FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH'], '2020-01-01T09:00:00');
    assert.deepEqual(nextOccurrences(spec, new Date('2019-12-31T00:00:00Z'), 4).map(dayOf), ['2020-12-31', '2026-12-31', '2032-12-30', '2037-12-31']);
    assert.deepEqual([4, 4, 4, 4], [[2020, 12, 31], [2026, 12, 31], [2032, 12, 30], [2037, 12, 31]].map(([y, m, d]) => weekday(y!, m!, d!)));
  });

  it('WKST changes which days an every-other-week rule picks, also decades after the start', () => {
    // RFC 5545's WKST example, started in 1997 and asked in 2026. Periods are two weeks long from
    // the week holding 1997-08-05 (Tuesday): the Tuesdays are 1997-08-05 + 14k days in both cases;
    // the Sundays close the Monday-week (1997-08-10 + 14k) or open the Sunday-week (1997-08-17 + 14k).
    const base = Date.UTC(1997, 7, 5);
    const dayNumber = (date: Date) => Math.round((Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - base) / 86_400_000);
    for (const [wkst, sundayOffset] of [['MO', 5], ['SU', 12]] as const) {
      const spec: ScheduleSpec = { recurrence: [`FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=${wkst}`], timezone: 'America/New_York', startDateTime: '1997-08-05T09:00:00' };
      const occurrences = nextOccurrences(spec, new Date('2026-01-01T00:00:00Z'), 8);
      assert.equal(occurrences.length, 8);
      for (const occurrence of occurrences) {
        const n = dayNumber(new Date(occurrence.getTime() - 4 * 3_600_000)); // local date (09:00 local is 13:00–14:00Z)
        const isTuesday = occurrence.getUTCDay() === 2 && n % 14 === 0;
        const isSunday = occurrence.getUTCDay() === 0 && (n - sundayOffset) % 14 === 0;
        assert.ok(isTuesday || isSunday, `${wkst}: ${occurrence.toISOString()} is not in the rule`);
      }
      const days = occurrences.map(dayNumber);
      for (let i = 1; i < days.length; i++) assert.ok(days[i]! - days[i - 1]! <= 12, `${wkst}: no period skipped`);
    }
  });

  it('monthly on the last Friday', () => {
    const spec: ScheduleSpec = { recurrence: ['RRULE:FREQ=MONTHLY;BYDAY=-1FR'], timezone: 'Europe/Paris', startDateTime: '2026-01-01T17:00:00' };
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-01-01T00:00:00Z'), 6)), [
      '2026-01-30T16:00:00.000Z',
      '2026-02-27T16:00:00.000Z',
      '2026-03-27T16:00:00.000Z',
      '2026-04-24T15:00:00.000Z',
      '2026-05-29T15:00:00.000Z',
      '2026-06-26T15:00:00.000Z',
    ]);
  });

  it('weekly on Monday, Wednesday and Friday', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=WEEKLY;BYDAY=MO,WE,FR'], timezone: 'Europe/Paris', startDateTime: '2026-01-05T10:00:00' };
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-01-01T00:00:00Z'), 6)), [
      '2026-01-05T09:00:00.000Z',
      '2026-01-07T09:00:00.000Z',
      '2026-01-09T09:00:00.000Z',
      '2026-01-12T09:00:00.000Z',
      '2026-01-14T09:00:00.000Z',
      '2026-01-16T09:00:00.000Z',
    ]);
  });

  it('a union of 5 overlapping rules: each instant once, ascending', () => {
    const spec: ScheduleSpec = {
      recurrence: [
        'FREQ=DAILY;BYHOUR=9;BYMINUTE=0', // every day 09:00
        'FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9,17;BYMINUTE=0', // Mon/Wed 09:00 (again) and 17:00
        'FREQ=MONTHLY;BYMONTHDAY=1,2;BYHOUR=9,12;BYMINUTE=0', // 1st/2nd 09:00 (again) and 12:00
        'FREQ=HOURLY;INTERVAL=8;BYMINUTE=30', // from the 01:00 start: 01:30, 09:30, 17:30
        'FREQ=DAILY;BYHOUR=17;BYMINUTE=0,30', // 17:00 (again on Mon/Wed), 17:30 (again)
      ],
      timezone: 'Europe/Paris',
      startDateTime: '2026-06-01T01:00:00', // a Monday; 01:00 itself matches no rule
    };
    const local = (day: string, times: string[]) => times.map((time) => new Date(`2026-06-${day}T${time}:00+02:00`).toISOString());
    const expected = [
      ...local('01', ['01:30', '09:00', '09:30', '12:00', '17:00', '17:30']),
      ...local('02', ['01:30', '09:00', '09:30', '12:00', '17:00', '17:30']),
      ...local('03', ['01:30', '09:00', '09:30', '17:00', '17:30']),
      ...local('04', ['01:30', '09:00', '09:30', '17:00', '17:30']),
    ];
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-05-31T00:00:00Z'), expected.length)), expected);
  });

  it('endDateTime is inclusive, in local time', () => {
    const until = (endDateTime: string) => nextOccurrences({ recurrence: ['FREQ=DAILY'], timezone: 'Europe/Paris', startDateTime: '2026-06-01T09:00:00', endDateTime }, new Date('2026-06-01T00:00:00Z'), 10);
    assert.deepEqual(until('2026-06-05T09:00:00').map(dayOf), ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05']);
    assert.deepEqual(until('2026-06-05T08:59:59').map(dayOf), ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04']);
    assert.equal(nextOccurrence({ recurrence: ['FREQ=DAILY'], timezone: 'Europe/Paris', startDateTime: '2026-06-01T09:00:00', endDateTime: '2026-06-05T09:00:00' }, new Date('2026-06-05T07:00:00Z')), undefined);
  });

  it('COUNT counts from the start, not from `after`', () => {
    const spec = utc(['FREQ=DAILY;COUNT=5'], '2026-06-01T09:00:00');
    assert.deepEqual(nextOccurrences(spec, new Date('2026-06-03T10:00:00Z'), 10).map(dayOf), ['2026-06-04', '2026-06-05']);
    const longAgo = utc(['FREQ=DAILY;COUNT=3'], '1996-06-01T09:00:00');
    assert.deepEqual(nextOccurrences(longAgo, new Date('2026-01-01T00:00:00Z'), 10), []);
  });

  it('COUNT counts occurrences, not the candidates of a sub-daily rule that a limit removes', () => {
    const spec = utc(['FREQ=MINUTELY;INTERVAL=90;BYHOUR=1;COUNT=3'], '2026-01-01T00:00:00');
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2025-12-31T00:00:00Z'), 10)), ['2026-01-01T01:30:00.000Z', '2026-01-02T01:30:00.000Z', '2026-01-03T01:30:00.000Z']);
  });

  it('the start is an occurrence only if it matches the rules', () => {
    assert.deepEqual(iso(nextOccurrences(utc(['FREQ=WEEKLY;BYDAY=FR'], '2026-01-05T09:00:00'), new Date('2026-01-01T00:00:00Z'), 1)), ['2026-01-09T09:00:00.000Z']);
    assert.deepEqual(iso(nextOccurrences(utc(['FREQ=WEEKLY;BYDAY=MO'], '2026-01-05T09:00:00'), new Date('2026-01-01T00:00:00Z'), 1)), ['2026-01-05T09:00:00.000Z']);
  });

  it('results are strictly after `after`', () => {
    const spec = utc(['FREQ=DAILY'], '2026-01-01T09:00:00');
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-01-02T09:00:00Z'), 1)), ['2026-01-03T09:00:00.000Z']);
  });

  describe('without startDateTime: anchored at `now`', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY'], timezone: 'Europe/Paris' };
    const now = new Date('2026-06-10T08:15:42Z'); // 10:15:42 in Paris

    it('takes the time of day from `now`, to the minute, and stays put as `after` moves on', () => {
      assert.deepEqual(iso(nextOccurrences(spec, now, 2, now)), ['2026-06-11T08:15:00.000Z', '2026-06-12T08:15:00.000Z']);
      assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-07-01T12:00:00Z'), 1, now)), ['2026-07-02T08:15:00.000Z']);
      assert.deepEqual(iso(nextOccurrences({ ...spec, startDateTime: '' }, now, 1, now)), ['2026-06-11T08:15:00.000Z']);
    });

    it('uses `after` as the anchor when `now` is omitted', () => {
      assert.deepEqual(iso(nextOccurrences(spec, now, 1)), ['2026-06-11T08:15:00.000Z']);
    });
  });

  it('asks for nothing, gets nothing; refuses what validation refuses', () => {
    const spec = utc(['FREQ=DAILY'], '2026-01-01T09:00:00');
    assert.deepEqual(nextOccurrences(spec, new Date('2026-01-01T00:00:00Z'), 0), []);
    assert.throws(() => nextOccurrences({ ...spec, timezone: 'Mars/Olympus' }, new Date(0), 1), RangeError);
    assert.throws(() => nextOccurrences({ ...spec, recurrence: ['FREQ=DAILY;UNTIL=20270101T000000Z'] }, new Date(0), 1), RangeError);
    assert.throws(() => nextOccurrences({ ...spec, startDateTime: '2026-01-01T09:00:00Z' }, new Date(0), 1), RangeError);
  });
});
