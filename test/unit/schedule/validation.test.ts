import assert from 'node:assert/strict';
import { validateSchedule, type ScheduleSpec } from '../../../src/schedule';

const now = new Date('2026-06-15T12:00:00Z');
const valid: ScheduleSpec = { recurrence: ['RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0'], timezone: 'Europe/Paris', startDateTime: '2026-06-01T09:00:00' };

function check(change: Partial<ScheduleSpec>, options: { minIntervalSeconds?: number; maxRules?: number } = {}) {
  return validateSchedule({ ...valid, ...change }, { now, minIntervalSeconds: options.minIntervalSeconds ?? 60, ...(options.maxRules ? { maxRules: options.maxRules } : {}) });
}
const codes = (change: Partial<ScheduleSpec>, options?: { minIntervalSeconds?: number; maxRules?: number }) => check(change, options).map((problem) => `${problem.field} ${problem.rule}`);
const recurrence = (...rules: string[]) => ({ recurrence: rules });

describe('schedule: validateSchedule', () => {
  it('accepts the valid schedule the other cases start from', () => {
    assert.deepEqual(check({}), []);
  });

  describe('RECURRENCE_COUNT: 1 to maxRules rules', () => {
    it('refuses none and more than 5', () => {
      assert.deepEqual(codes(recurrence()), ['scheduleOptions.recurrence RECURRENCE_COUNT']);
      assert.deepEqual(codes(recurrence(...Array.from({ length: 6 }, (_, i) => `FREQ=WEEKLY;BYDAY=MO;BYHOUR=${i}`))), ['scheduleOptions.recurrence RECURRENCE_COUNT']);
      assert.deepEqual(codes(recurrence('FREQ=DAILY', 'FREQ=WEEKLY'), { maxRules: 1 }), ['scheduleOptions.recurrence RECURRENCE_COUNT']);
    });
    it('accepts 1 and 5', () => {
      assert.deepEqual(codes(recurrence('FREQ=DAILY')), []);
      assert.deepEqual(codes(recurrence(...Array.from({ length: 5 }, (_, i) => `FREQ=WEEKLY;BYDAY=MO;BYHOUR=${i}`))), []);
    });
  });

  describe('RRULE_INVALID', () => {
    const refused = [
      'FREQ=FORTNIGHTLY',
      'BYDAY=MO',
      'FREQ=DAILY;INTERVAL=0',
      'FREQ=DAILY;INTERVAL=two',
      'FREQ=DAILY;COUNT=0',
      'FREQ=DAILY;COUNT=2;COUNT=3',
      'FREQ=DAILY;BYHOUR=24',
      'FREQ=DAILY;BYMINUTE=60',
      'FREQ=MONTHLY;BYMONTHDAY=0',
      'FREQ=MONTHLY;BYMONTHDAY=32',
      'FREQ=YEARLY;BYMONTH=13',
      'FREQ=WEEKLY;BYDAY=XX',
      'FREQ=DAILY;BYDAY=1MO',
      'FREQ=WEEKLY;BYMONTHDAY=1',
      'FREQ=MONTHLY;BYYEARDAY=1',
      'FREQ=MONTHLY;BYWEEKNO=1',
      'FREQ=DAILY;BYSETPOS=1',
      'FREQ=DAILY;WKST=XY',
      'FREQ=DAILY;BYEASTER=0',
      'FREQ=DAILY;TZID=Europe/Paris',
      'FREQ=DAILY;X-NAME=1',
      'FREQ=DAILY;',
      'FREQ=DAILY BYHOUR=9',
      'RRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY',
      'VEVENT:FREQ=DAILY',
      '',
    ];
    for (const rule of refused) {
      it(`refuses ${JSON.stringify(rule)}`, () => {
        assert.deepEqual(codes(recurrence('FREQ=WEEKLY;BYDAY=MO', rule)), ['scheduleOptions.recurrence[1] RRULE_INVALID']);
      });
    }
    const accepted = ['FREQ=DAILY', 'RRULE:FREQ=DAILY', 'rrule:freq=daily;byhour=9', ' RRULE:FREQ=MONTHLY;BYDAY=-1FR ', 'FREQ=MONTHLY;BYMONTHDAY=-31', 'FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH;WKST=SU', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'FREQ=DAILY;COUNT=10;INTERVAL=2'];
    for (const rule of accepted) {
      it(`accepts ${JSON.stringify(rule)}`, () => {
        assert.deepEqual(codes(recurrence('FREQ=WEEKLY;BYDAY=MO', rule)), []);
      });
    }
  });

  describe('RRULE_FORBIDDEN_PART: DTSTART, DTEND, UNTIL, RDATE, EXDATE, EXRULE', () => {
    const refused: [string, string][] = [
      ['FREQ=DAILY;UNTIL=20270101T000000Z', 'UNTIL'],
      ['RRULE:FREQ=DAILY;UNTIL=20270101', 'UNTIL'],
      ['DTSTART:20260601T090000\nRRULE:FREQ=DAILY', 'DTSTART'],
      ['DTSTART;TZID=Europe/Paris:20260601T090000', 'DTSTART'],
      ['FREQ=DAILY;DTSTART=20260601T090000', 'DTSTART'],
      ['DTEND:20260601T100000', 'DTEND'],
      ['RDATE:20260605T090000', 'RDATE'],
      ['EXDATE;TZID=Europe/Paris:20260605T090000', 'EXDATE'],
      ['RRULE:FREQ=DAILY\nEXDATE:20260605T090000', 'EXDATE'],
      ['EXRULE:FREQ=WEEKLY;BYDAY=SA,SU', 'EXRULE'],
    ];
    for (const [rule, part] of refused) {
      it(`refuses ${JSON.stringify(rule)}, naming ${part}`, () => {
        const problems = check(recurrence('FREQ=WEEKLY;BYDAY=MO', 'FREQ=WEEKLY;BYDAY=TU', rule));
        assert.deepEqual(problems.map((problem) => `${problem.field} ${problem.rule}`), ['scheduleOptions.recurrence[2] RRULE_FORBIDDEN_PART']);
        assert.match(problems[0]!.message, new RegExp(`\\b${part}\\b`));
      });
    }
    it('accepts the same rules without the part (the end going to endDateTime)', () => {
      assert.deepEqual(codes({ recurrence: ['RRULE:FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=SA,SU'], endDateTime: '2027-01-01T00:00:00' }), []);
    });
  });

  describe('TIMEZONE_INVALID', () => {
    for (const timezone of ['Mars/Olympus', '', '+01:00', 'Europe/Pariss']) {
      it(`refuses ${JSON.stringify(timezone)}`, () => {
        assert.deepEqual(codes({ timezone }), ['scheduleOptions.timezone TIMEZONE_INVALID']);
      });
    }
    it('accepts IANA names, also links like the reference example Canada/Pacific', () => {
      for (const timezone of ['Europe/Paris', 'Canada/Pacific', 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe']) assert.deepEqual(codes({ timezone }), [], timezone);
    });
  });

  describe('DATETIME_HAS_OFFSET and DATETIME_INVALID', () => {
    for (const value of ['2026-06-02T16:04:05Z', '2026-06-02T16:04:05+01', '2026-06-02T16:04:05+01:00', '2026-06-02T16:04:05-0500', '2026-06-02T16:04Z']) {
      it(`refuses ${value} as start and as end: an offset`, () => {
        assert.deepEqual(codes({ startDateTime: value }), ['scheduleOptions.startDateTime DATETIME_HAS_OFFSET']);
        assert.deepEqual(codes({ endDateTime: value }), ['scheduleOptions.endDateTime DATETIME_HAS_OFFSET']);
      });
    }
    for (const value of ['2026-02-30T10:00:00', '2026-06-02T24:00:00', '2026-06-02 16:04:05', '2026-06-02', 'tomorrow', '2026-06-02T16:04:05.123']) {
      it(`refuses ${JSON.stringify(value)} as start and as end: unreadable`, () => {
        assert.deepEqual(codes({ startDateTime: value }), ['scheduleOptions.startDateTime DATETIME_INVALID']);
        assert.deepEqual(codes({ endDateTime: value }), ['scheduleOptions.endDateTime DATETIME_INVALID']);
      });
    }
    it('accepts local date-times with or without seconds, and the empty string as "not set"', () => {
      assert.deepEqual(codes({ startDateTime: '2026-06-02T16:04:05', endDateTime: '2027-01-02T16:04' }), []);
      assert.deepEqual(codes({ startDateTime: '', endDateTime: '' }), []);
    });
  });

  describe('END_BEFORE_START', () => {
    it('refuses an end before or at the start', () => {
      assert.deepEqual(codes({ endDateTime: '2026-05-31T09:00:00' }), ['scheduleOptions.endDateTime END_BEFORE_START']);
      assert.deepEqual(codes({ endDateTime: '2026-06-01T09:00:00' }), ['scheduleOptions.endDateTime END_BEFORE_START']);
    });
    it('refuses an end already past when there is no start (the series starts now)', () => {
      assert.deepEqual(codes({ startDateTime: undefined, endDateTime: '2026-06-15T13:59:00' }), ['scheduleOptions.endDateTime END_BEFORE_START']);
    });
    it('accepts an end after the start, or after now without a start', () => {
      assert.deepEqual(codes({ endDateTime: '2026-06-01T09:00:01' }), []);
      assert.deepEqual(codes({ startDateTime: undefined, endDateTime: '2026-06-20T00:00:00' }), []);
    });
  });

  describe('START_TOO_OLD: not more than one year before now, in the task zone', () => {
    it('refuses a start more than a year back', () => {
      assert.deepEqual(codes({ startDateTime: '2025-06-15T13:59:00' }), ['scheduleOptions.startDateTime START_TOO_OLD']);
      assert.deepEqual(codes({ startDateTime: '1996-01-01T09:00:00' }), ['scheduleOptions.startDateTime START_TOO_OLD']);
    });
    it('accepts a start within the year, and one in the future', () => {
      assert.deepEqual(codes({ startDateTime: '2025-06-15T14:01:00' }), []); // now is 14:00 in Paris
      assert.deepEqual(codes({ startDateTime: '2027-01-01T09:00:00' }), []);
    });
  });

  describe('INTERVAL_TOO_SHORT', () => {
    it('refuses FREQ=SECONDLY with an INTERVAL under the minimum, whatever its other parts', () => {
      assert.deepEqual(codes(recurrence('FREQ=SECONDLY')), ['scheduleOptions.recurrence[0] INTERVAL_TOO_SHORT']);
      assert.deepEqual(codes(recurrence('FREQ=WEEKLY', 'FREQ=SECONDLY;INTERVAL=59;BYHOUR=9')), ['scheduleOptions.recurrence[1] INTERVAL_TOO_SHORT']);
      assert.deepEqual(codes(recurrence('FREQ=SECONDLY;INTERVAL=3600')), []);
      assert.deepEqual(codes(recurrence('FREQ=SECONDLY;INTERVAL=5'), { minIntervalSeconds: 5 }), []);
    });
    it('accepts FREQ=MINUTELY;INTERVAL=1 with a 60 s minimum', () => {
      assert.deepEqual(codes(recurrence('FREQ=MINUTELY;INTERVAL=1')), []);
    });
    it('follows the configured minimum', () => {
      assert.deepEqual(codes(recurrence('FREQ=MINUTELY;INTERVAL=4'), { minIntervalSeconds: 300 }), ['scheduleOptions.recurrence[0] INTERVAL_TOO_SHORT']);
      assert.deepEqual(codes(recurrence('FREQ=MINUTELY;INTERVAL=5'), { minIntervalSeconds: 300 }), []);
    });
    it('measures the BY parts: extra times inside a period are refused, limits that space them out are accepted', () => {
      assert.deepEqual(codes(recurrence('FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0,30')), ['scheduleOptions.recurrence[0] INTERVAL_TOO_SHORT']);
      assert.deepEqual(codes(recurrence('FREQ=HOURLY;BYMINUTE=0,1'), { minIntervalSeconds: 120 }), ['scheduleOptions.recurrence[0] INTERVAL_TOO_SHORT']);
      assert.deepEqual(codes(recurrence('FREQ=MINUTELY;BYMINUTE=0,30'), { minIntervalSeconds: 300 }), []);
      assert.deepEqual(codes(recurrence('FREQ=DAILY;BYHOUR=9;BYMINUTE=0,1;BYSETPOS=1'), { minIntervalSeconds: 300 }), []);
    });
    it('measures the union: two rules firing close together are refused, naming both', () => {
      const problems = check(recurrence('FREQ=DAILY;BYHOUR=9;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=9;BYMINUTE=0;BYSECOND=30'));
      assert.deepEqual(problems.map((problem) => `${problem.field} ${problem.rule}`), ['scheduleOptions.recurrence INTERVAL_TOO_SHORT']);
      assert.match(problems[0]!.message, /recurrence\[0\] and recurrence\[1\]/);
      assert.deepEqual(codes(recurrence('FREQ=DAILY;BYHOUR=9;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=9;BYMINUTE=1')), []);
    });
    it('finds a daily time close to a dense rule past the dense rule\'s first thousand occurrences', () => {
      const problems = check({ recurrence: ['FREQ=MINUTELY', 'FREQ=DAILY;BYHOUR=12;BYMINUTE=0;BYSECOND=30'], startDateTime: '2026-06-01T13:00:00' });
      assert.deepEqual(problems.map((problem) => `${problem.field} ${problem.rule}`), ['scheduleOptions.recurrence INTERVAL_TOO_SHORT']);
      assert.match(problems[0]!.message, /2026-06-02T12:00:00 and 2026-06-02T12:00:30/);
      assert.deepEqual(codes({ recurrence: ['FREQ=MINUTELY', 'FREQ=DAILY;BYHOUR=12;BYMINUTE=0;BYSECOND=0'], startDateTime: '2026-06-01T13:00:00' }), [], 'the same time is one occurrence');
    });
    it('finds a leap-day coincidence more than a year after the start', () => {
      const daily = 'FREQ=DAILY;BYHOUR=12;BYMINUTE=0;BYSECOND=0';
      const problems = check({ recurrence: [daily, 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=12;BYMINUTE=0;BYSECOND=30'], startDateTime: '2026-06-01T13:00:00' });
      assert.match(problems[0]!.message, /2028-02-29T12:00:00 and 2028-02-29T12:00:30/);
      assert.match(check({ recurrence: [daily, 'FREQ=YEARLY;BYYEARDAY=366;BYHOUR=12;BYMINUTE=0;BYSECOND=30'], startDateTime: '2026-06-01T13:00:00' })[0]!.message, /2028-12-31T12:00:00 and 2028-12-31T12:00:30/);
    });
    it('finds the close times a BYSETPOS rule picks across a year boundary', () => {
      const problems = check({ recurrence: ['FREQ=YEARLY;BYMONTH=1,12;BYMONTHDAY=1,31;BYHOUR=0,23;BYMINUTE=0,59;BYSECOND=10,30;BYSETPOS=1,-1'], startDateTime: '2026-06-01T13:00:00' });
      assert.match(problems[0]!.message, /2026-12-31T23:59:30 and 2027-01-01T00:00:10/);
    });
    it('stops a COUNT rule\'s lookups at its last occurrence', () => {
      // The minutely series ends on 2026-06-01T13:59; the daily time close to a minutely one comes the next day.
      assert.deepEqual(codes({ recurrence: ['FREQ=MINUTELY;COUNT=60', 'FREQ=DAILY;BYHOUR=12;BYMINUTE=0;BYSECOND=30'], startDateTime: '2026-06-01T13:00:00' }), []);
      assert.deepEqual(codes({ recurrence: ['FREQ=MINUTELY;COUNT=1440', 'FREQ=DAILY;BYHOUR=12;BYMINUTE=0;BYSECOND=30'], startDateTime: '2026-06-01T13:00:00' }), ['scheduleOptions.recurrence INTERVAL_TOO_SHORT']);
    });
    it('finds a coincidence of two rules months after the start', () => {
      assert.deepEqual(codes(recurrence('FREQ=DAILY;BYHOUR=9;BYMINUTE=0', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0;BYSECOND=20')), ['scheduleOptions.recurrence INTERVAL_TOO_SHORT']);
      assert.deepEqual(codes(recurrence('FREQ=DAILY;BYHOUR=9;BYMINUTE=0', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0')), []);
    });
  });

  describe('RRULE_NEVER_FIRES', () => {
    it('refuses a rule with no occurrence at all, or none before the end', () => {
      assert.deepEqual(codes(recurrence('FREQ=DAILY', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30')), ['scheduleOptions.recurrence[1] RRULE_NEVER_FIRES']);
      assert.deepEqual(codes({ recurrence: ['FREQ=HOURLY;INTERVAL=2;BYHOUR=1'], startDateTime: '2026-06-01T08:00:00' }), ['scheduleOptions.recurrence[0] RRULE_NEVER_FIRES']); // even hours only
      assert.deepEqual(codes({ recurrence: ['FREQ=DAILY;BYHOUR=9'], startDateTime: '2026-06-01T10:00:00', endDateTime: '2026-06-02T08:59:59' }), ['scheduleOptions.recurrence[0] RRULE_NEVER_FIRES']);
    });
    it('accepts a rule that fires only in leap years, or only in the hours its INTERVAL reaches', () => {
      assert.deepEqual(codes(recurrence('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29')), []);
      assert.deepEqual(codes({ recurrence: ['FREQ=HOURLY;INTERVAL=2;BYHOUR=1'], startDateTime: '2026-06-01T09:00:00' }), []); // odd hours
      assert.deepEqual(codes({ recurrence: ['FREQ=DAILY;BYHOUR=9'], startDateTime: '2026-06-01T10:00:00', endDateTime: '2026-06-02T09:00:00' }), []);
    });
  });

  describe('bounded cost: verdicts from the rule\'s shape before any expansion', () => {
    const every = (n: number) => Array.from({ length: n }, (_, i) => i).join(',');
    const fullDay = `BYHOUR=${every(24)};BYMINUTE=${every(60)};BYSECOND=${every(60)}`;
    it('refuses a yearly rule firing every second of a day as INTERVAL_TOO_SHORT, naming two times of its day', () => {
      const problems = check(recurrence(`FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;${fullDay}`));
      assert.deepEqual(problems.map((problem) => `${problem.field} ${problem.rule}`), ['scheduleOptions.recurrence[0] INTERVAL_TOO_SHORT']);
      assert.match(problems[0]!.message, /fires at 00:00:00 and 00:00:01 of every day it fires in/);
    });
    it('reads the time set within the hour for HOURLY and within the minute for MINUTELY', () => {
      assert.match(check(recurrence('FREQ=HOURLY;BYMINUTE=15;BYSECOND=0,30'))[0]!.message, /fires at 15:00 and 15:30 of every hour/);
      assert.match(check(recurrence('FREQ=MINUTELY;BYSECOND=10,20'))[0]!.message, /fires at :10 and :20 of every minute/);
    });
    it('refuses RRULE_TOO_COMPLEX when BYSETPOS would pick among more date-times per period than allowed', () => {
      assert.deepEqual(codes(recurrence(`FREQ=YEARLY;${fullDay};BYSETPOS=1`)), ['scheduleOptions.recurrence[0] RRULE_TOO_COMPLEX']);
      assert.deepEqual(codes(recurrence(`FREQ=DAILY;${fullDay};BYSETPOS=1`)), [], 'one day of seconds is within the bound');
    });
    it('accepts a yearly rule that fires every minute: the most a period may hold', () => {
      assert.deepEqual(codes(recurrence(`FREQ=YEARLY;BYHOUR=${every(24)};BYMINUTE=${every(60)}`)), []);
    });
    it('refuses a COUNT series whose walk from its start is longer than a workflow may take', () => {
      assert.deepEqual(codes(recurrence('FREQ=SECONDLY;INTERVAL=60;BYHOUR=3;BYMINUTE=0;COUNT=10000')), ['scheduleOptions.recurrence[0] RRULE_TOO_COMPLEX']);
      assert.deepEqual(codes(recurrence('FREQ=SECONDLY;INTERVAL=60;BYHOUR=3;BYMINUTE=0;COUNT=2')), [], 'two days of 1,440 minutes each');
      assert.deepEqual(codes(recurrence('FREQ=SECONDLY;INTERVAL=60;BYHOUR=3;BYMINUTE=0;COUNT=3')), ['scheduleOptions.recurrence[0] RRULE_TOO_COMPLEX']);
      assert.deepEqual(codes(recurrence('FREQ=MINUTELY;COUNT=10000')), ['scheduleOptions.recurrence[0] RRULE_TOO_COMPLEX'], 'a week of minutes is 10,000 periods');
      assert.deepEqual(codes(recurrence('FREQ=MINUTELY;COUNT=4000')), []);
    });
    it('refuses a MINUTELY/SECONDLY rule whose INTERVAL steps past its hours for more than 5,000 steps in a row', () => {
      // A day less a second: from 03:00:00 the time drifts back a second a day; 03:00 comes back in ~236 years.
      const [problem, ...more] = check(recurrence('FREQ=SECONDLY;INTERVAL=86399;BYHOUR=3;BYMINUTE=0'));
      assert.deepEqual([problem?.field, problem?.rule, more.length], ['scheduleOptions.recurrence[0]', 'RRULE_TOO_COMPLEX', 0]);
      assert.match(problem!.message, /steps up to 86,340 times in a row past the times its BYHOUR\/BYMINUTE\/BYSECOND allow; at most 5,000/);
      // The same drift within BYSECOND (which rrule steps over itself), and a run of 3,574 steps, are fine.
      assert.deepEqual(codes(recurrence('FREQ=SECONDLY;INTERVAL=61;BYHOUR=3;BYMINUTE=0;BYSECOND=0')), []);
      assert.deepEqual(codes(recurrence('FREQ=SECONDLY;INTERVAL=3601;BYHOUR=3;BYMINUTE=0')), []);
      assert.deepEqual(codes(recurrence('FREQ=MINUTELY;INTERVAL=1441;BYHOUR=0')), [], 'a MINUTELY cycle is at most 1,440 steps');
    });
    it('refuses a rule with no occurrence in its first periods, saying how many were looked at', () => {
      const [problem] = check(recurrence('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'));
      assert.equal(problem?.rule, 'RRULE_NEVER_FIRES');
      assert.match(problem!.message, /within its first 5,000 periods/);
    });
  });

  it('reports every field problem at once', () => {
    assert.deepEqual(codes({ recurrence: ['FREQ=DAILY;UNTIL=20270101', 'FREQ=NEVER'], timezone: 'Nowhere/City', startDateTime: '2026-06-01T09:00:00Z', endDateTime: 'soon' }), [
      'scheduleOptions.recurrence[0] RRULE_FORBIDDEN_PART',
      'scheduleOptions.recurrence[1] RRULE_INVALID',
      'scheduleOptions.timezone TIMEZONE_INVALID',
      'scheduleOptions.startDateTime DATETIME_HAS_OFFSET',
      'scheduleOptions.endDateTime DATETIME_INVALID',
    ]);
  });
});
