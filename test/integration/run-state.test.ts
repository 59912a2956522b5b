import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import type { SharingTask } from '../../src/sharing-tasks/schemas';
import { createTemporalClient } from '../../src/temporal/connection';
import { TaskWorkflows } from '../../src/temporal/task-workflows';
import { statusQuery } from '../../workflows/definitions';
import type { TaskWorkflowStatus } from '../../src/contract/task-workflow';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';

/**
 * The task workflow owns a task's run state (next run, the system's disable, the status runs set)
 * and applies changes in revision order; the API answers a change once the workflow shows it applied.
 */
describe('run state owned by the task workflow, changes in revision order', function () {
  this.timeout(120_000);
  let service: TestService;
  let client: Client;
  let workflows: TaskWorkflows;
  let token: string;

  before(async () => {
    service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1', MAX_CONSECUTIVE_FAILURES: '1' });
    client = createTemporalClient(service.config.temporal);
    workflows = new TaskWorkflows(client, service.config.temporal.taskQueue, service.config.staging);
    token = service.token({ tenant: 'tenant-rev', userId: 'rev', roles: ['TenantAdmin'] });
  });
  after(async () => {
    await client?.connection.close();
    await service?.stop();
  });

  const path = (task: { id: string }) => `/api/v1/sharing-tasks/${task.id}`;
  const get = async (task: { id: string }): Promise<SharingTask & { enabled: boolean }> => {
    const response = await service.request(token, 'GET', path(task));
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };
  const status = (task: SharingTask): Promise<TaskWorkflowStatus> => client.workflow.getHandle(workflows.workflowId(task)).query(statusQuery);
  async function create(overrides: Record<string, unknown>): Promise<SharingTask> {
    const response = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest(overrides));
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }
  async function patch(task: SharingTask, operations: unknown[]): Promise<void> {
    const response = await service.request(token, 'PATCH', path(task), operations);
    assert.equal(response.status, 204, JSON.stringify(response.body));
  }

  it('answers a pause once applied: an immediate GET agrees with the workflow\'s query, and so does the resume', async () => {
    const task = await create({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=2'] } });
    assert.equal(task.revision, 1);
    assert.ok(task.nextScheduledRun, 'the create answers the next run its workflow recorded');

    await patch(task, [{ op: 'replace', path: '/enabled', value: false }]);
    const paused = await get(task);
    const pausedStatus = await status(task);
    assert.equal(paused.revision, 2);
    assert.equal(pausedStatus.appliedRevision, 2);
    assert.equal(pausedStatus.recordedRevision, 2);
    assert.equal(paused.appliedRevision, 2);
    assert.equal(paused.enabled, false);
    assert.equal(pausedStatus.enabled, false);
    assert.equal(paused.nextScheduledRun, undefined);
    assert.equal(pausedStatus.nextOccurrence, undefined);

    await patch(task, [{ op: 'replace', path: '/enabled', value: true }]);
    const resumed = await get(task);
    const resumedStatus = await status(task);
    assert.equal(resumedStatus.recordedRevision, 3);
    assert.equal(resumed.enabled, true);
    assert.ok(resumed.nextScheduledRun);
    assert.equal(resumed.nextScheduledRun, resumedStatus.nextOccurrence);
  });

  it('never lets a change read before the system disabled a task re-enable it; an explicit resume does', async () => {
    // Nobody to deliver to: the creation run fails, and with MAX_CONSECUTIVE_FAILURES=1 the system disables the task.
    const task = await create({
      recipients: { userIds: ['nobody'] },
      executeOnCreation: true,
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
    });
    const readBefore = await service.stores.tasks.get(task.tenant, task.id);
    assert.equal(readBefore!.enabledBySystem, true);
    await eventually(async () => ((await status(task)).systemDisabled ? true : undefined), 30_000, 'the system to disable the task');
    assert.equal((await get(task)).statusCode, 'MAX_FAILURES_REACHED');

    // What a PATCH of /name that read the task before the disable sends, at the revision it claimed.
    const revision = readBefore!.revision! + 1;
    assert.equal(await service.stores.revisions.claim(task.tenant, task.id, revision, new Date()), true);
    await service.stores.tasks.update(task.tenant, task.id, { name: 'renamed from a stale read', revision });
    await workflows.taskUpdated({ ...readBefore!, name: 'renamed from a stale read', revision });
    await eventually(async () => ((await status(task)).recordedRevision === revision ? true : undefined), 10_000, 'the stale change to be applied');
    const afterStale = await status(task);
    assert.equal(afterStale.enabled, false, 'the stale change re-enabled the task');
    assert.equal(afterStale.nextOccurrence, undefined);
    const stored = await get(task);
    assert.equal(stored.enabled, false);
    assert.equal(stored.enabledBySystem, false);
    assert.equal(stored.statusCode, 'MAX_FAILURES_REACHED');
    assert.equal(stored.nextScheduledRun, undefined);

    // A PATCH through the API of something else leaves the disable too.
    await patch(task, [{ op: 'replace', path: '/description', value: 'still disabled' }]);
    assert.equal((await get(task)).statusCode, 'MAX_FAILURES_REACHED');
    assert.equal((await status(task)).enabled, false);

    // PATCH /enabled true on the task as shown (disabled) resumes it, and the answer comes once that is recorded.
    await patch(task, [{ op: 'replace', path: '/enabled', value: true }]);
    const resumed = await get(task);
    assert.equal(resumed.statusCode, 'OK');
    assert.equal(resumed.enabledBySystem, true);
    assert.equal(resumed.failedExecutionsCount, 0);
    assert.ok(resumed.nextScheduledRun);
    const resumedStatus = await status(task);
    assert.equal(resumedStatus.enabled, true);
    assert.equal(resumedStatus.appliedRevision, resumed.revision);
  });

  it('the reconciler brings a workflow behind its task\'s revision up to it (a change whose signal never arrived)', async () => {
    const task = await create({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } });
    // A pause stored, its signal lost (the API died between the write and the signal).
    assert.equal(await service.stores.revisions.claim(task.tenant, task.id, 2, new Date()), true);
    await service.stores.tasks.update(task.tenant, task.id, { enabledByUser: false, revision: 2 });
    assert.equal((await status(task)).enabled, true);

    const { updated } = await service.worker!.runtime.reconciler.reconcile();
    assert.ok(updated >= 1, `updated ${updated}`);
    await eventually(async () => ((await status(task)).recordedRevision === 2 ? true : undefined), 10_000, 'the repaired workflow to apply revision 2');
    assert.equal((await status(task)).enabled, false);
    const stored = await get(task);
    assert.equal(stored.appliedRevision, 2);
    assert.equal(stored.nextScheduledRun, undefined);
  });

  it('the reconciler ends a workflow whose task was deleted behind the API\'s back', async () => {
    const task = await create({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } });
    await service.stores.tasks.delete(task.tenant, task.id);
    const { terminated } = await service.worker!.runtime.reconciler.reconcile();
    assert.ok(terminated >= 1);
    assert.equal(await workflows.isRunning(task), false);
  });

  it('orders concurrent changes: each gets its own revision, and the workflow ends at the last', async () => {
    const task = await create({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } });
    const names = ['a', 'b', 'c', 'd'];
    const answers = await Promise.all(names.map((name) => service.request(token, 'PATCH', path(task), [{ op: 'replace', path: '/name', value: name }])));
    assert.deepEqual(answers.map((answer) => answer.status), [204, 204, 204, 204], JSON.stringify(answers.map((answer) => answer.body)));
    const stored = await get(task);
    assert.equal(stored.revision, 1 + names.length);
    assert.equal((await status(task)).appliedRevision, stored.revision);
  });
});
