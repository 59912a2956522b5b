import assert from 'node:assert/strict';
import { RRule } from 'rrule';
import { nextOccurrences, type ScheduleSpec } from '../../../src/schedule';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Series that started decades ago: the module starts them from a later, period-aligned point
 * (fast-forward); these compare with evaluations that do not.
 */
describe('schedule: series started decades ago', () => {
  it('a MINUTELY rule started 30 years ago gives the next minutes (in a DST zone, across its transition)', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=MINUTELY'], timezone: 'Europe/Paris', startDateTime: '1996-03-01T00:00:00' };
    const after = new Date('2026-03-29T00:55:30Z'); // 01:55:30 CET; at 02:00 the clock jumps to 03:00 CEST
    const expected = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2026, 2, 29, 0, 56 + i)).toISOString());
    assert.deepEqual(iso(nextOccurrences(spec, after, 10)), expected);
  });

  it('MINUTELY;INTERVAL=7 from 1996 keeps its phase: minutes since the start divisible by 7', () => {
    const start = Date.UTC(1996, 0, 1, 0, 0);
    const spec: ScheduleSpec = { recurrence: ['FREQ=MINUTELY;INTERVAL=7'], timezone: 'UTC', startDateTime: '1996-01-01T00:00:00' };
    const after = Date.UTC(2026, 5, 15, 10, 0, 30);
    const firstMinute = Math.ceil((after - start) / (7 * MINUTE)) * 7 * MINUTE + start;
    const expected = Array.from({ length: 5 }, (_, i) => new Date(firstMinute + i * 7 * MINUTE).toISOString());
    assert.deepEqual(iso(nextOccurrences(spec, new Date(after), 5)), expected);
  });

  it('DAILY;INTERVAL=3 from 1996 keeps its phase: days since the start divisible by 3', () => {
    const start = Date.UTC(1996, 0, 1, 9);
    const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY;INTERVAL=3'], timezone: 'UTC', startDateTime: '1996-01-01T09:00:00' };
    const after = Date.UTC(2026, 5, 15, 12);
    const first = Math.ceil((after - start) / (3 * DAY)) * 3 * DAY + start;
    assert.deepEqual(iso(nextOccurrences(spec, new Date(after), 4)), [0, 1, 2, 3].map((i) => new Date(first + i * 3 * DAY).toISOString()));
  });

  // rrule evaluated from the real 1996 start (no fast-forward; UTC, where wall-clock time is the instant).
  const rules = [
    'FREQ=YEARLY',
    'FREQ=YEARLY;INTERVAL=2;BYMONTH=3,10',
    'FREQ=MONTHLY;INTERVAL=7',
    'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
    'FREQ=YEARLY;INTERVAL=3;BYYEARDAY=1,100,200',
    'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
    'FREQ=YEARLY;INTERVAL=2;BYMONTH=1,2;BYDAY=1MO,-1FR',
    'FREQ=YEARLY;BYWEEKNO=1,53;BYDAY=MO;WKST=SU',
    'FREQ=MONTHLY;INTERVAL=18;BYMONTHDAY=10,11,12',
    'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2',
    'FREQ=MONTHLY;INTERVAL=2;BYDAY=1SU,-1SU',
    'FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=-1;BYHOUR=8,20',
    'FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,SU',
    'FREQ=WEEKLY;INTERVAL=3;WKST=TH;BYDAY=MO,FR',
    'FREQ=WEEKLY;INTERVAL=2',
    'FREQ=WEEKLY;INTERVAL=2;WKST=SA;BYDAY=SA,SU,MO',
    'FREQ=DAILY;INTERVAL=10',
    'FREQ=DAILY;INTERVAL=4;BYMONTH=3,9;BYHOUR=6,18;BYMINUTE=15',
    'FREQ=HOURLY;INTERVAL=7',
    'FREQ=HOURLY;INTERVAL=5;BYHOUR=9,14;BYDAY=MO,TH',
    'FREQ=HOURLY;INTERVAL=3;BYMINUTE=10,50;BYSETPOS=-1',
  ];
  // Two starts: a Tuesday, and a Sunday late in the day (where weeks by WKST=MO and WKST=SU differ).
  const starts = ['1996-05-14T07:35:20', '1996-05-12T23:59:59'];
  for (const text of rules) {
    for (const startDateTime of starts) {
      it(`${text} from ${startDateTime} matches rrule run from the real start`, () => {
        const start = new Date(`${startDateTime}Z`);
        const after = new Date(Date.UTC(2026, 1, 17, 11, 0, 0));
        const reference: Date[] = [];
        new RRule({ ...RRule.parseString(text), dtstart: start, tzid: null }, true).all((date) => {
          if (date > after) reference.push(date);
          return reference.length < 12;
        });
        const spec: ScheduleSpec = { recurrence: [text], timezone: 'UTC', startDateTime };
        assert.equal(reference.length, 12);
        assert.deepEqual(iso(nextOccurrences(spec, after, 12)), iso(reference));
      });
    }
  }
});
