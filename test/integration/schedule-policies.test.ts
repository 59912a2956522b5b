import assert from 'node:assert/strict';
import type { ExecutionRecord } from '../../src/sharing-tasks/execution-record';
import { startBouncingSmtp } from '../support/bouncing-smtp';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';

/** The run policies on the dev server with real time: one run at a time, and expiration. */
describe('schedule policies', function () {
  this.timeout(90_000);
  let smtp: Awaited<ReturnType<typeof startBouncingSmtp>>;
  let service: TestService;
  let token: string;

  before(async () => {
    smtp = await startBouncingSmtp(() => false, { acceptDelayMs: 3_500 });
    service = await TestService.start({ SMTP_PORT: String(smtp.port), MIN_SCHEDULE_INTERVAL_SECONDS: '1' });
    token = service.token({ tenant: 'tenant-policy', userId: 'u' });
  });
  after(async () => {
    await service?.stop();
    await smtp?.stop();
  });

  const executionsOf = async (task: { tenant: string; id: string }): Promise<ExecutionRecord[]> =>
    (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 200, offset: 0 })).executions;

  it('records occurrences that come due while a run is still going as skipped, and never runs two at once', async () => {
    // Each run takes ~3.5 s (the SMTP server is slow); the rule fires every second.
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=1'] } }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body;
    const executions = await eventually(async () => {
      const all = await executionsOf(task);
      return all.filter((e) => e.status === 'successful').length >= 2 ? all : undefined;
    }, 40_000, 'two finished runs');
    const skipped = executions.filter((e) => e.status === 'invalid');
    assert.ok(skipped.length >= 2, `skipped: ${skipped.length}`);
    assert.ok(skipped.every((e) => e.errors.some((error) => error.code === 'OCCURRENCE_SKIPPED')));
    const runs = executions.filter((e) => e.status !== 'invalid' && e.endTime).sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
    for (let i = 1; i < runs.length; i++) {
      assert.ok(Date.parse(runs[i]!.startTime) >= Date.parse(runs[i - 1]!.endTime!), 'runs of one task never overlap');
    }
    await service.request(token, 'DELETE', `/api/v1/sharing-tasks/${task.id}`);
  });

  it('stops at the expiration: the series ends and the task says COMPLETED', async () => {
    const expiration = new Date(Date.now() + 6_000).toISOString();
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ expiration, scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=5'] } }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body;
    const completed = await eventually(async () => {
      const response = await service.request(token, 'GET', `/api/v1/sharing-tasks/${task.id}`);
      return response.body.statusCode === 'COMPLETED' ? response.body : undefined;
    }, 30_000, 'the task to complete');
    assert.equal(completed.nextScheduledRun, undefined);
    const executions = await executionsOf(task);
    assert.ok(executions.length >= 1);
    assert.ok(executions.every((e) => Date.parse(e.eventTime) <= Date.parse(expiration)), JSON.stringify(executions.map((e) => e.eventTime)));
  });
});
