import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import type { ExecutionRecord } from '../../src/sharing-tasks/execution-record';
import type { SharingTask } from '../../src/sharing-tasks/schemas';
import { createTemporalClient } from '../../src/temporal/connection';
import { executionWorkflowId, occurrenceKey, taskWorkflowId } from '../../workflows/definitions';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A local UTC date-time `seconds` from now, whole seconds, as startDateTime takes it. */
function localUtcIn(seconds: number): { local: string; instant: Date } {
  const instant = new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000);
  return { local: instant.toISOString().slice(0, 19), instant };
}

/**
 * Staged runs on the dev server with real time: the engine's work for a scheduled run is done
 * ahead of its instant, the run holds in the worker and begins at the instant itself.
 */
describe('staged runs', function () {
  this.timeout(90_000);
  let service: TestService;
  let client: Client;
  let token: string;

  before(async () => {
    // Lead 4–5 s (capped at half the gap to the series start, here ~6 s).
    service = await TestService.start({ RUN_STAGING_LEAD_SECONDS: '4', RUN_STAGING_WINDOW_SECONDS: '1' });
    client = createTemporalClient(service.config.temporal);
    token = service.token({ tenant: 'tenant-stage', userId: 'stager' });
  });
  after(async () => {
    await client?.connection.close();
    await service?.stop();
  });

  const executionsOf = async (task: { tenant: string; id: string }): Promise<ExecutionRecord[]> =>
    (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 20, offset: 0 })).executions;

  async function taskDueIn(seconds: number): Promise<{ task: SharingTask; due: Date; runWorkflowId: string }> {
    const { local, instant } = localUtcIn(seconds);
    const response = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'], startDateTime: local } }));
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const task: SharingTask = response.body;
    return { task, due: instant, runWorkflowId: executionWorkflowId(taskWorkflowId(task.tenant, task.id), occurrenceKey(instant)) };
  }

  it('starts the run ahead, holds it, and begins it at its instant', async () => {
    const { task, due, runWorkflowId } = await taskDueIn(12);
    await sleep(due.getTime() - Date.now() - 1_500);
    const held = await client.workflow.getHandle(runWorkflowId).describe();
    assert.equal(held.status.name, 'RUNNING', 'the run was started before its instant');
    assert.deepEqual(await executionsOf(task), [], 'nothing begins before the instant');

    const [execution] = await eventually(async () => {
      const done = (await executionsOf(task)).filter((e) => e.status === 'successful');
      return done.length > 0 ? done : undefined;
    }, 30_000, 'the staged run to finish');
    const lateMs = Date.parse(execution!.startTime) - due.getTime();
    assert.equal(execution!.eventTime, due.toISOString());
    assert.ok(lateMs >= 0 && lateMs < 1_000, `began ${lateMs} ms after its instant`);
    const history = await client.workflow.getHandle(runWorkflowId).fetchHistory();
    const scheduled = history.events!.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'performRun');
    assert.ok(scheduled, 'one performRun activity');
    assert.ok(Number(scheduled!.eventTime!.seconds) * 1000 < due.getTime() - 1_000, 'dispatched ahead of the instant');
  });

  it('a pause drops a staged run that has not reached its instant', async () => {
    const { task, due, runWorkflowId } = await taskDueIn(12);
    await eventually(async () => (await client.workflow.getHandle(runWorkflowId).describe().catch(() => undefined))?.status.name === 'RUNNING' || undefined, 15_000, 'the staged run');
    assert.ok(Date.now() < due.getTime() - 500, 'still before the instant');
    const paused = await service.request(token, 'PATCH', `/api/v1/sharing-tasks/${task.id}`, [{ op: 'replace', path: '/enabled', value: false }]);
    assert.equal(paused.status, 204);
    // The engine brings the cancellation at the held activity's next heartbeat; if that comes after
    // the instant, the run refuses to begin for a paused task. Either way nothing runs.
    await eventually(async () => {
      const description = await client.workflow.getHandle(runWorkflowId).describe();
      return description.status.name === 'RUNNING' ? undefined : description.status.name;
    }, 45_000, 'the staged run to end');
    await sleep(Math.max(0, due.getTime() + 1_000 - Date.now()));
    assert.deepEqual(await executionsOf(task), [], 'the paused occurrence never ran');
  });
});
