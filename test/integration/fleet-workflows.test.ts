import assert from 'node:assert/strict';
import { systemClock } from '../../src/clock';
import { buildTask } from '../../src/sharing-tasks/build-task';
import { reconcilerWorkflowId } from '../../src/sharing-tasks/reconciler';
import { SharingTaskCreateRequestSchema, type SharingTask } from '../../src/sharing-tasks/schemas';
import { createTemporalClient } from '../../src/temporal/connection';
import { TaskWorkflows } from '../../src/temporal/task-workflows';
import { appReloadProgressQuery, reconcilerProgressQuery } from '../../workflows/fleet';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, startWorker, TestService, type RunningWorker } from '../support/service';

/** How many opted-in tasks the reload test fans out to (bench/README.md has the run with 500). */
const RELOAD_TASKS = Number(process.env.FANOUT_TASKS ?? 20);

/** Fleet-wide work as workflows: one reconciler per deployment, and one fan-out workflow per app reload. */
describe('fleet work as workflows', function () {
  this.timeout(Math.max(180_000, RELOAD_TASKS * 2_000));
  let service: TestService;
  let secondWorker: RunningWorker;
  let token: string;
  const client = () => createTemporalClient(service.config.temporal);

  before(async () => {
    // The tasks are created through the API by one user: more than the default 100 writes a minute when FANOUT_TASKS is raised.
    service = await TestService.start({ RECONCILE_INTERVAL_SECONDS: '1', RATE_LIMIT_WRITES_PER_MINUTE: String(Math.max(100, RELOAD_TASKS * 2)) });
    secondWorker = await startWorker(service.config);
    token = service.token({ tenant: 'tenant-fleet', userId: 'fleet', roles: ['TenantAdmin'] });
  });
  after(async () => {
    await secondWorker?.stop();
    await service?.stop();
  });

  it('runs one reconciler for the deployment however many workers start it, repairing a task without a workflow and a workflow without a task', async () => {
    const temporal = client();
    try {
      const queue = service.config.temporal.taskQueue;
      const reconcilers = async () => {
        const ids: string[] = [];
        for await (const workflow of temporal.workflow.list({ query: `WorkflowType = 'reconcilerWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${queue}'` })) ids.push(workflow.workflowId);
        return ids;
      };
      const running = await eventually(async () => ((await reconcilers()).length > 0 ? reconcilers() : undefined), 20_000, 'the reconciler workflow');
      assert.deepEqual(running, [reconcilerWorkflowId(queue)], 'two workers, one reconciler');

      // A task stored without its workflow (a crash between the write and the start) …
      const request = SharingTaskCreateRequestSchema.parse(chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } }));
      const orphan = buildTask(request, { tenant: 'tenant-fleet', userId: 'fleet', roles: [] }, { id: `orphan${Date.now().toString(16)}`, now: systemClock.now(), defaultTimezone: 'UTC' });
      await service.stores.tasks.insert(orphan);
      // … and a workflow whose task was removed behind the API's back.
      const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const deleted: SharingTask = created.body;
      await service.stores.tasks.delete(deleted.tenant, deleted.id);

      const workflows = new TaskWorkflows(temporal, queue);
      await eventually(async () => ((await workflows.isRunning(orphan)) ? true : undefined), 30_000, 'the reconciler to start the orphan\'s workflow');
      await eventually(async () => ((await workflows.isRunning(deleted)) ? undefined : true), 30_000, 'the reconciler to end the deleted task\'s workflow');
      const progress = await temporal.workflow.getHandle(reconcilerWorkflowId(queue)).query(reconcilerProgressQuery);
      assert.ok(progress.round > 1, `round ${progress.round}: the reconciler continues as new round after round`);
    } finally {
      await temporal.connection.close();
    }
  });

  it(`answers an app reload at once and runs each of its ${RELOAD_TASKS} opted-in tasks once`, async () => {
    const appId = `app-fleet-${Date.now()}`;
    const template = (chartTaskRequest().templates as any[])[0];
    const templates = [{ ...template, chartData: { ...template.chartData, appId } }];
    const ids: string[] = [];
    for (let i = 0; i < RELOAD_TASKS; i++) {
      const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
        name: `reload ${i}`, templates, trigger: { executeOnAppReload: true }, scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
      }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids.push(created.body.id);
    }
    const optedOut = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ templates, scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } }));

    const reload = { appId, reloadId: `reload-${Date.now()}`, reloadTime: new Date().toISOString() };
    const asked = Date.now();
    const answered = await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/app-reloaded', reload);
    const answeredMs = Date.now() - asked;
    assert.equal(answered.status, 204, JSON.stringify(answered.body));
    const temporal = client();
    let fannedOutMs = 0;
    try {
      const handle = temporal.workflow.getHandle(`app-reload-tenant-fleet-${appId}-${reload.reloadId}`);
      const progress = await handle.result();
      fannedOutMs = Date.now() - asked;
      assert.deepEqual(progress, { seen: RELOAD_TASKS + 1, signalled: RELOAD_TASKS, done: true });
      assert.equal((await handle.query(appReloadProgressQuery)).done, true);
    } finally {
      await temporal.connection.close();
    }

    const reloadRuns = async (id: string) =>
      (await service.stores.executions.list('tenant-fleet', id, { sortDirection: 1, limit: 10, offset: 0 })).executions.filter((e) => e.trigger === 'app-reload');
    await eventually(async () => {
      const ran = await Promise.all(ids.map(async (id) => (await reloadRuns(id)).filter((e) => e.endTime).length));
      return ran.every((count) => count >= 1) ? true : undefined;
    }, Math.max(60_000, RELOAD_TASKS * 1_000), `a reload run of each of the ${RELOAD_TASKS} tasks`);
    const allRanMs = Date.now() - asked;
    for (const id of ids) assert.equal((await reloadRuns(id)).length, 1, `task ${id} ran the reload more than once`);
    // The bench run (bench/README.md) records these; the suite asserts no timing.
    if (process.env.FANOUT_TASKS) console.log(JSON.stringify({ tasks: RELOAD_TASKS, answeredMs, fannedOutMs, allRanMs }));
    assert.equal((await reloadRuns(optedOut.body.id)).length, 0);
  });
});
