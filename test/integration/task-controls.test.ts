import { WorkflowNotFoundError } from '@temporalio/client';
import assert from 'node:assert/strict';
import { systemClock } from '../../src/clock';
import type { ExecutionRecord } from '../../src/sharing-tasks/execution-record';
import type { SharingTask } from '../../src/sharing-tasks/schemas';
import { createTemporalClient } from '../../src/temporal/connection';
import { TaskWorkflows } from '../../src/temporal/task-workflows';
import { buildTask } from '../../src/sharing-tasks/build-task';
import { SettingsService } from '../../src/sharing-tasks/settings-service';
import { SharingTaskService } from '../../src/sharing-tasks/sharing-task-service';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';
import {
  SharingTaskCreateRequestSchema,
} from '../../src/sharing-tasks/schemas';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every control acts on the running workflow at once, on the real dev server with real time. */
describe('task controls on the dev server', function () {
  this.timeout(120_000);
  let service: TestService;
  let token: string;

  before(async () => {
    service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1' });
    token = service.token({ tenant: 'tenant-ctl', userId: 'ctl', roles: ['TenantAdmin'] });
  });
  after(async () => service?.stop());

  const executionsOf = async (task: { tenant: string; id: string }): Promise<ExecutionRecord[]> =>
    (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 200, offset: 0 })).executions;

  async function createTask(overrides: Record<string, unknown>): Promise<SharingTask> {
    const response = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest(overrides));
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  it('runs execute-now within 2 s, independent of the schedule', async () => {
    const task = await createTask({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } });
    const asked = Date.now();
    assert.equal((await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: task.id })).status, 204);
    const run = await eventually(async () => (await executionsOf(task)).find((e) => e.trigger === 'execute-now'), 10_000, 'the execute-now run');
    assert.ok(Date.parse(run.startTime) - asked < 2_000, `started ${Date.parse(run.startTime) - asked} ms after the request`);
  });

  it('pauses (nothing fires) and resumes from now (no burst of old occurrences)', async () => {
    const task = await createTask({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=2'] } });
    const path = `/api/v1/sharing-tasks/${task.id}`;
    await eventually(async () => ((await executionsOf(task)).length > 0 ? true : undefined), 10_000, 'a first run');
    assert.equal((await service.request(token, 'PATCH', path, [{ op: 'replace', path: '/enabled', value: false }])).status, 204);
    await sleep(1_000); // a run already started may finish
    const atPause = (await executionsOf(task)).length;
    await sleep(5_000);
    assert.equal((await executionsOf(task)).length, atPause, 'a paused task fires nothing');
    const resumedAt = Date.now();
    assert.equal((await service.request(token, 'PATCH', path, [{ op: 'replace', path: '/enabled', value: true }])).status, 204);
    const afterResume = await eventually(
      async () => {
        const runs = (await executionsOf(task)).slice(atPause);
        return runs.length > 0 ? runs : undefined;
      },
      10_000,
      'a run after resuming',
    );
    assert.ok(afterResume.every((e) => Date.parse(e.eventTime) >= resumedAt - 1_000 && e.trigger === 'scheduled'), JSON.stringify(afterResume.map((e) => [e.trigger, e.eventTime])));
  });

  it('follows a PATCHed schedule at once, without a restart', async () => {
    const task = await createTask({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } });
    const patchedAt = Date.now();
    const response = await service.request(token, 'PATCH', `/api/v1/sharing-tasks/${task.id}`, [
      { op: 'replace', path: '/scheduleOptions', value: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=3'] } },
    ]);
    assert.equal(response.status, 204, JSON.stringify(response.body));
    const run = await eventually(async () => (await executionsOf(task)).find((e) => e.trigger === 'scheduled'), 10_000, 'a run on the new rule');
    assert.ok(Date.parse(run.eventTime) - patchedAt < 4_000);
    const stored = await service.stores.tasks.get(task.tenant, task.id);
    assert.ok(Date.parse(stored!.nextScheduledRun!) - Date.now() < 4_000, 'MongoDB mirrors the new next run');
  });

  it('cancel stops the recurrence; delete removes the workflow, the executions and the task', async () => {
    const task = await createTask({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=2'] } });
    const path = `/api/v1/sharing-tasks/${task.id}`;
    await eventually(async () => ((await executionsOf(task)).length > 0 ? true : undefined), 10_000, 'a first run');
    assert.equal((await service.request(token, 'POST', `${path}/actions/cancel`)).status, 204);
    await sleep(1_000);
    const atCancel = (await executionsOf(task)).length;
    await sleep(4_000);
    assert.equal((await executionsOf(task)).length, atCancel, 'a cancelled task fires nothing');

    const client = createTemporalClient(service.config.temporal);
    try {
      const workflows = new TaskWorkflows(client, service.config.temporal.taskQueue);
      assert.equal(await workflows.isRunning(task), true, 'cancel keeps the workflow, paused, so PATCH /enabled can resume it');
      assert.equal((await service.request(token, 'DELETE', path)).status, 204);
      assert.equal(await workflows.isRunning(task), false);
      assert.equal((await executionsOf(task)).length, 0);
      assert.equal(await service.stores.tasks.get(task.tenant, task.id), undefined);
    } finally {
      await client.connection.close();
    }
  });

  it('runs the tasks of a reloaded app that ask for it, recording the reload, and only those', async () => {
    const appId = `app-${Date.now()}`;
    const chart = (app: string) => [{ ...(chartTaskRequest().templates as any[])[0], chartData: { ...(chartTaskRequest().templates as any[])[0].chartData, appId: app } }];
    const onReload = await createTask({ templates: chart(appId), trigger: { executeOnAppReload: true }, scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } });
    const notOnReload = await createTask({ templates: chart(appId), scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } });
    const user = service.token({ tenant: 'tenant-ctl', userId: 'plain-user' });
    const reload = { appId, reloadId: 'reload-42', reloadTime: new Date().toISOString() };
    assert.equal((await service.request(user, 'POST', '/api/v1/sharing-tasks/actions/app-reloaded', reload)).status, 403);
    assert.equal((await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/app-reloaded', reload)).status, 204);
    const run = await eventually(async () => (await executionsOf(onReload)).find((e) => e.trigger === 'app-reload'), 25_000, 'the reload run (after the coalescing window)');
    assert.equal(run.reloadId, 'reload-42');
    assert.equal(run.reloadTime, reload.reloadTime);
    await sleep(1_000);
    assert.equal((await executionsOf(notOnReload)).length, 0);
  });

  it('the reconciler starts the workflow of a task that has none (a crash between the database write and the start)', async () => {
    const caller = { tenant: 'tenant-ctl', userId: 'ctl', roles: [] };
    const request = SharingTaskCreateRequestSchema.parse(chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=2'] } }));
    const orphan = buildTask(request, caller, { id: `orphan${Date.now().toString(16)}`, now: systemClock.now(), defaultTimezone: 'UTC' });
    await service.stores.tasks.insert(orphan);
    const client = createTemporalClient(service.config.temporal);
    try {
      const workflows = new TaskWorkflows(client, service.config.temporal.taskQueue);
      await assert.rejects(client.workflow.getHandle(workflows.workflowId(orphan)).describe(), WorkflowNotFoundError);
      const { started } = await service.worker!.runtime.reconciler.reconcile();
      assert.ok(started >= 1);
      assert.equal(await workflows.isRunning(orphan), true);
      await eventually(async () => ((await executionsOf(orphan)).length > 0 ? true : undefined), 10_000, 'the repaired task to run');
    } finally {
      await client.connection.close();
    }
  });

  it('a create the reconciler overtakes (its round between the API\'s write and its start) answers the task: one workflow, one creation run', async () => {
    const client = createTemporalClient(service.config.temporal);
    const reconciler = service.worker!.runtime.reconciler;
    /** The real workflows client, with a reconciler round at the worst moment of a create. */
    class OvertakenByTheReconciler extends TaskWorkflows {
      override async start(task: SharingTask, options: { executeOnCreation?: boolean } = {}): Promise<void> {
        assert.ok((await reconciler.reconcile()).started >= 1, 'the reconciler found the stored task without its workflow');
        await super.start(task, options);
      }
    }
    try {
      const workflows = new OvertakenByTheReconciler(client, service.config.temporal.taskQueue);
      const tasks = new SharingTaskService(service.stores, new SettingsService(service.stores, systemClock, workflows), workflows, systemClock, service.config.rules);
      const request = SharingTaskCreateRequestSchema.parse(
        chartTaskRequest({ executeOnCreation: true, scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } }),
      );
      const task = await tasks.create({ tenant: 'tenant-ctl', userId: 'ctl', roles: [] }, request);
      assert.equal((await service.stores.tasks.get(task.tenant, task.id))?.id, task.id, 'the task is kept');
      assert.equal(await workflows.isRunning(task), true);
      const runs = await eventually(async () => {
        const executions = await executionsOf(task);
        return executions.some((e) => e.endTime) ? executions : undefined;
      }, 15_000, 'the creation run');
      await sleep(1_000);
      assert.deepEqual((await executionsOf(task)).map((e) => e.trigger), ['creation'], `runs: ${JSON.stringify(runs.map((e) => e.trigger))}`);
    } finally {
      await client.connection.close();
    }
  });

  it('the reconciler finishes a delete that died half-way (task left DELETING)', async () => {
    const task = await createTask({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } });
    await service.stores.tasks.update(task.tenant, task.id, { statusCode: 'DELETING' });
    const listed = await service.request(token, 'GET', '/api/v1/sharing-tasks?excludeDeleting=true&limit=100');
    assert.ok(!listed.body.sharingTasks.some((t: SharingTask) => t.id === task.id), 'excludeDeleting hides it');
    await service.worker!.runtime.reconciler.reconcile();
    assert.equal(await service.stores.tasks.get(task.tenant, task.id), undefined);
    const client = createTemporalClient(service.config.temporal);
    try {
      assert.equal(await new TaskWorkflows(client, service.config.temporal.taskQueue).isRunning(task), false);
    } finally {
      await client.connection.close();
    }
  });
});
