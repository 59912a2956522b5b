import assert from 'node:assert/strict';
import { Settings } from 'luxon';
import { nextOccurrences, type ScheduleSpec } from '../../../src/schedule';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
/** An instant written as local time plus the offset the zone has then (known facts, not computed by the module). */
const at = (localWithOffset: string) => new Date(localWithOffset).toISOString();
const justBefore = (localWithOffset: string) => new Date(new Date(localWithOffset).getTime() - 1000);

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

describe('schedule: daylight-saving transitions', () => {
  // 2026 transitions: the first day on the new offset, and the offsets before and after.
  const transitions = [
    { zone: 'Europe/Paris', day: '2026-03-29', before: '+01:00', after: '+02:00' },
    { zone: 'Europe/Paris', day: '2026-10-25', before: '+02:00', after: '+01:00' },
    { zone: 'America/New_York', day: '2026-03-08', before: '-05:00', after: '-04:00' },
    { zone: 'America/New_York', day: '2026-11-01', before: '-04:00', after: '-05:00' },
    { zone: 'Australia/Sydney', day: '2026-04-05', before: '+11:00', after: '+10:00' },
    { zone: 'Australia/Sydney', day: '2026-10-04', before: '+10:00', after: '+11:00' },
  ];
  for (const { zone, day, before, after } of transitions) {
    it(`daily 09:00 in ${zone} stays 09:00 local across ${day} (${before} → ${after})`, () => {
      const first = addDays(day, -3);
      const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY'], timezone: zone, startDateTime: `${first}T09:00:00` };
      const expected = [-3, -2, -1, 0, 1, 2, 3].map((offset) => at(`${addDays(day, offset)}T09:00:00${offset < 0 ? before : after}`));
      assert.deepEqual(iso(nextOccurrences(spec, justBefore(`${first}T09:00:00${before}`), 7)), expected);
    });
  }

  it('02:30 on the New York spring-forward day (does not exist) fires at 03:30 EDT', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY'], timezone: 'America/New_York', startDateTime: '2026-03-06T02:30:00' };
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-03-06T00:00:00Z'), 4)), [
      at('2026-03-06T02:30:00-05:00'),
      at('2026-03-07T02:30:00-05:00'),
      at('2026-03-08T03:30:00-04:00'),
      at('2026-03-09T02:30:00-04:00'),
    ]);
  });

  it('asked just after the jump, the shifted 02:30 is still ahead (03:30 EDT that day)', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY'], timezone: 'America/New_York', startDateTime: '2026-03-06T02:30:00' };
    assert.deepEqual(iso(nextOccurrences(spec, new Date(at('2026-03-08T03:00:00-04:00')), 1)), [at('2026-03-08T03:30:00-04:00')]);
  });

  it('a 30-minute gap (Lord Howe Island) shifts by 30 minutes', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY'], timezone: 'Australia/Lord_Howe', startDateTime: '2026-10-03T02:15:00' };
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-10-01T00:00:00Z'), 3)), [
      at('2026-10-03T02:15:00+10:30'),
      at('2026-10-04T02:45:00+11:00'),
      at('2026-10-05T02:15:00+11:00'),
    ]);
  });

  it('01:30 on the New York fall-back day (occurs twice) fires once, at the first (EDT) instance', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY'], timezone: 'America/New_York', startDateTime: '2026-10-31T01:30:00' };
    const expected = [at('2026-10-31T01:30:00-04:00'), at('2026-11-01T01:30:00-04:00'), at('2026-11-02T01:30:00-05:00')];
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-10-30T00:00:00Z'), 3)), expected);
    assert.deepEqual(iso(nextOccurrences(spec, new Date(expected[1]!), 1)), [expected[2]], 'the second 01:30 (EST) is not an occurrence');
  });

  it('02:30 on the Sydney fall-back day fires at the first (AEDT) instance', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY'], timezone: 'Australia/Sydney', startDateTime: '2026-04-05T02:30:00' };
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-04-01T00:00:00Z'), 2)), [at('2026-04-05T02:30:00+11:00'), at('2026-04-06T02:30:00+10:00')]);
  });

  it("the fall-back choice does not follow luxon's clock-dependent guess (same result with luxon's now in winter or summer)", () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=DAILY'], timezone: 'America/New_York', startDateTime: '2026-11-01T01:30:00' };
    const saved = Settings.now;
    try {
      for (const clock of [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)]) {
        Settings.now = () => clock;
        assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-10-31T00:00:00Z'), 1)), [at('2026-11-01T01:30:00-04:00')]);
      }
    } finally {
      Settings.now = saved;
    }
  });

  it('HOURLY through fall-back steps in wall-clock time: no duplicate instant, a two-hour gap over the repeated hour', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=HOURLY'], timezone: 'America/New_York', startDateTime: '2026-10-31T23:30:00' };
    const occurrences = iso(nextOccurrences(spec, new Date('2026-11-01T00:00:00Z'), 5));
    assert.deepEqual(occurrences, [
      at('2026-10-31T23:30:00-04:00'),
      at('2026-11-01T00:30:00-04:00'),
      at('2026-11-01T01:30:00-04:00'),
      at('2026-11-01T02:30:00-05:00'),
      at('2026-11-01T03:30:00-05:00'),
    ]);
    assert.equal(new Set(occurrences).size, occurrences.length);
    const gaps = occurrences.slice(1).map((value, index) => (Date.parse(value) - Date.parse(occurrences[index]!)) / 3_600_000);
    assert.deepEqual(gaps, [1, 1, 2, 1]);
  });

  it('HOURLY through spring-forward: the missing 02:30 becomes 03:30 EDT, the same instant as 03:30, fired once', () => {
    const spec: ScheduleSpec = { recurrence: ['FREQ=HOURLY'], timezone: 'America/New_York', startDateTime: '2026-03-08T00:30:00' };
    assert.deepEqual(iso(nextOccurrences(spec, new Date('2026-03-08T00:00:00Z'), 4)), [
      at('2026-03-08T00:30:00-05:00'),
      at('2026-03-08T01:30:00-05:00'),
      at('2026-03-08T03:30:00-04:00'),
      at('2026-03-08T04:30:00-04:00'),
    ]);
  });

  describe('MINUTELY across spring-forward (America/New_York, 2026-03-08)', () => {
    const every15: ScheduleSpec = { recurrence: ['FREQ=MINUTELY;INTERVAL=15'], timezone: 'America/New_York', startDateTime: '2026-03-08T01:30:00' };

    it('every 15 minutes: the gap times 02:00–02:45 fire at 03:00–03:45 EDT, each once, in order', () => {
      assert.deepEqual(iso(nextOccurrences(every15, new Date('2026-03-08T06:00:00Z'), 8)), [
        at('2026-03-08T01:30:00-05:00'),
        at('2026-03-08T01:45:00-05:00'),
        at('2026-03-08T03:00:00-04:00'),
        at('2026-03-08T03:15:00-04:00'),
        at('2026-03-08T03:30:00-04:00'),
        at('2026-03-08T03:45:00-04:00'),
        at('2026-03-08T04:00:00-04:00'),
        at('2026-03-08T04:15:00-04:00'),
      ]);
    });

    it('asked from inside the shifted hour, nothing is skipped or repeated', () => {
      assert.deepEqual(iso(nextOccurrences(every15, new Date(at('2026-03-08T03:20:00-04:00')), 3)), [
        at('2026-03-08T03:30:00-04:00'),
        at('2026-03-08T03:45:00-04:00'),
        at('2026-03-08T04:00:00-04:00'),
      ]);
    });

    it('every 25 minutes: times shifted out of the gap interleave with real ones, in instant order', () => {
      // wall clock: 01:40, 02:05, 02:30, 02:55 (gap, +1 h), 03:20, 03:45, 04:10 …
      const every25: ScheduleSpec = { recurrence: ['FREQ=MINUTELY;INTERVAL=25'], timezone: 'America/New_York', startDateTime: '2026-03-08T00:00:00' };
      assert.deepEqual(iso(nextOccurrences(every25, new Date(at('2026-03-08T01:50:00-05:00')), 3)), [
        at('2026-03-08T03:05:00-04:00'),
        at('2026-03-08T03:20:00-04:00'),
        at('2026-03-08T03:30:00-04:00'),
      ]);
      assert.deepEqual(iso(nextOccurrences(every25, new Date(at('2026-03-08T03:10:00-04:00')), 5)), [
        at('2026-03-08T03:20:00-04:00'),
        at('2026-03-08T03:30:00-04:00'),
        at('2026-03-08T03:45:00-04:00'),
        at('2026-03-08T03:55:00-04:00'),
        at('2026-03-08T04:10:00-04:00'),
      ]);
    });

    it('every minute: 01:59 EST is followed by 03:00 EDT one minute later', () => {
      const spec: ScheduleSpec = { recurrence: ['FREQ=MINUTELY'], timezone: 'America/New_York', startDateTime: '2026-03-01T00:00:00' };
      assert.deepEqual(iso(nextOccurrences(spec, new Date(at('2026-03-08T01:57:30-05:00')), 4)), [
        at('2026-03-08T01:58:00-05:00'),
        at('2026-03-08T01:59:00-05:00'),
        at('2026-03-08T03:00:00-04:00'),
        at('2026-03-08T03:01:00-04:00'),
      ]);
    });
  });
});
