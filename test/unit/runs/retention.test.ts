import assert from 'node:assert/strict';
import { expiredRuns, overrideDuration, type RetainedRun } from '../../../src/runs/retention';

const run = (id: string, startTime: string, status = 'successful'): RetainedRun => ({ id, startTime, status });

describe('retention', () => {
  it('keeps the newest historySize runs', () => {
    const runs = ['e', 'd', 'c', 'b', 'a'].map((id, i) => run(id, `2027-01-0${5 - i}T09:00:00Z`));
    assert.deepEqual(expiredRuns(runs, { historySize: 3, timezone: 'UTC' }), ['b', 'a']);
  });

  it('replaces the previous successful run when the newest started within overrideInterval', () => {
    const runs = [run('new', '2027-01-05T17:00:00Z'), run('failed', '2027-01-05T12:00:00Z', 'failed'), run('morning', '2027-01-05T09:00:00Z'), run('yesterday', '2027-01-04T09:00:00Z')];
    assert.deepEqual(expiredRuns(runs, { historySize: 10, overrideInterval: 'FREQ=DAILY;INTERVAL=1', timezone: 'UTC' }), ['morning']);
  });

  it('keeps the previous run when the newest started after the interval', () => {
    const runs = [run('new', '2027-01-05T09:00:01Z'), run('old', '2027-01-04T09:00:00Z')];
    assert.deepEqual(expiredRuns(runs, { historySize: 10, overrideInterval: 'FREQ=DAILY', timezone: 'UTC' }), []);
  });

  it('counts a daily interval in the task\'s calendar: 23 hours across the spring change', () => {
    // Paris 2027-03-28: 09:00 CET on the 27th plus one calendar day is 09:00 CEST, 23 hours later.
    const runs = [run('new', '2027-03-28T07:30:00Z'), run('old', '2027-03-27T08:00:00Z')];
    assert.deepEqual(expiredRuns(runs, { historySize: 10, overrideInterval: 'FREQ=DAILY', timezone: 'Europe/Paris' }), []);
    assert.deepEqual(expiredRuns(runs, { historySize: 10, overrideInterval: 'FREQ=DAILY', timezone: 'UTC' }), ['old']);
  });

  it('reads FREQ and INTERVAL of the rule', () => {
    assert.deepEqual(overrideDuration('RRULE:FREQ=WEEKLY;INTERVAL=2'), { weeks: 2 });
    assert.deepEqual(overrideDuration('FREQ=HOURLY'), { hours: 1 });
    assert.equal(overrideDuration('INTERVAL=2'), undefined);
  });
});
