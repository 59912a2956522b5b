import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { featureToggleWorkflowId, type SubscriptionFeature } from '../../src/sharing-tasks/feature-toggles';
import type { SharingTask } from '../../src/sharing-tasks/schemas';
import { createTemporalClient } from '../../src/temporal/connection';
import { TaskWorkflows } from '../../src/temporal/task-workflows';
import { statusQuery } from '../../workflows/definitions';
import type { TaskWorkflowStatus } from '../../src/contract/task-workflow';
import { featureToggleProgressQuery, type FeatureToggleProgress } from '../../workflows/fleet';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';

type ShownTask = SharingTask & { enabled: boolean };

/**
 * The subscription toggles of the tenant settings, carried to the tasks they govern by one
 * workflow per tenant and feature: off pauses them (a reason of its own, `pausedByFeature`), on
 * resumes only those the feature paused.
 */
describe('tenant feature toggles pause and resume the tasks they govern', function () {
  this.timeout(180_000);
  let service: TestService;
  let client: Client;
  let workflows: TaskWorkflows;
  let tenantCount = 0;

  before(async () => {
    service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1', MAX_CONSECUTIVE_FAILURES: '1', RATE_LIMIT_WRITES_PER_MINUTE: '1000' });
    client = createTemporalClient(service.config.temporal);
    workflows = new TaskWorkflows(client, service.config.temporal.taskQueue, service.config.staging);
  });
  after(async () => {
    await client?.connection.close();
    await service?.stop();
  });

  /** Each test on a tenant of its own: settings are per tenant. */
  function tenant() {
    const name = `tenant-toggles-${++tenantCount}-${Date.now().toString(36)}`;
    const token = service.token({ tenant: name, userId: 'admin', roles: ['TenantAdmin'] });
    const get = async (task: { id: string }): Promise<ShownTask> => {
      const response = await service.request(token, 'GET', `/api/v1/sharing-tasks/${task.id}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body;
    };
    const create = async (overrides: Record<string, unknown> = {}): Promise<ShownTask> => {
      const response = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] }, ...overrides }));
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body;
    };
    const settings = async () => (await service.request(token, 'GET', '/api/v1/sharing-tasks/settings')).body;
    const toggle = async (feature: SubscriptionFeature, value: boolean) => {
      const response = await service.request(token, 'PATCH', '/api/v1/sharing-tasks/settings', [{ op: 'replace', path: `/${feature}`, value }]);
      assert.equal(response.status, 204, JSON.stringify(response.body));
    };
    const toggleDone = (feature: SubscriptionFeature, status: 'reportSubscriptionStatus' | 'reportingTemplateSubscriptionStatus') =>
      eventually(async () => {
        const current = await settings();
        return current[status] === 'none' ? current : undefined;
      }, 60_000, `${feature} to be carried to every task`);
    const progress = (feature: SubscriptionFeature): Promise<FeatureToggleProgress> =>
      client.workflow.getHandle(featureToggleWorkflowId(name, feature)).query(featureToggleProgressQuery);
    return { name, token, get, create, settings, toggle, toggleDone, progress };
  }
  const status = (task: SharingTask): Promise<TaskWorkflowStatus> => client.workflow.getHandle(workflows.workflowId(task)).query(statusQuery);
  const executionIds = async (task: SharingTask) =>
    (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 100, offset: 0 })).executions.map((execution) => execution.id);

  it('off pauses every report task (no scheduled run, no run now) and leaves template tasks; on resumes them, not those the user paused or the system disabled', async () => {
    const t = tenant();
    const frequent = await t.create({ name: 'every 2 s', scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=2'] } });
    const sheet = await t.create({ name: 'sheet', type: 'sheet-sharing' });
    const monitoring = await t.create({ name: 'monitoring', type: 'chart-monitoring' });
    const userPaused = await t.create({ name: 'paused by its owner', enabled: false });
    const template = await t.create({ name: 'template', type: 'template-sharing' });
    // Nobody to deliver to: the creation run fails, and with MAX_CONSECUTIVE_FAILURES=1 the system disables the task.
    const systemDisabled = await t.create({ name: 'disabled by the system', recipients: { userIds: ['nobody'] }, executeOnCreation: true });
    await eventually(async () => ((await status(systemDisabled)).systemDisabled ? true : undefined), 30_000, 'the system to disable the task');
    await eventually(async () => ((await executionIds(frequent)).length > 0 ? true : undefined), 30_000, 'the frequent task to run');
    const governed = [frequent, sheet, monitoring, userPaused, systemDisabled];

    await t.toggle('enable-report-subscription', false);
    const right = await t.settings();
    assert.equal(right['enable-report-subscription'], false);
    assert.equal(right.reportSubscriptionStatus, 'disabling', 'the status shows the toggle under way right after the 204');
    assert.equal(right.reportingTemplateSubscriptionStatus, 'none');
    const done = await t.toggleDone('enable-report-subscription', 'reportSubscriptionStatus');
    assert.ok(done.reportSubscriptionStatusChangeTime > right.reportSubscriptionStatusChangeTime, 'the change time moves when the status goes back to none');
    assert.deepEqual(await t.progress('enable-report-subscription'), { enabled: false, seen: 5, changed: 5, done: true, finished: true });

    for (const task of governed) {
      const shown = await t.get(task);
      assert.equal(shown.pausedByFeature, true, `${task.name} is paused by the feature`);
      assert.equal(shown.enabled, false, `${task.name} shows disabled`);
      assert.equal(shown.nextScheduledRun, undefined, `${task.name} has no next run`);
      const workflowStatus = await status(task);
      assert.equal(workflowStatus.enabled, false, `${task.name}'s workflow agrees`);
      assert.equal(workflowStatus.nextOccurrence, undefined);
    }
    const untouched = await t.get(template);
    assert.equal(untouched.pausedByFeature, undefined);
    assert.equal(untouched.enabled, true);
    assert.ok(untouched.nextScheduledRun);
    assert.equal((await status(template)).enabled, true);

    // While off: no scheduled run of the frequent task (an occurrence every 2 s), and no run now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ranBefore = await executionIds(frequent);
    const executeNow = await service.request(t.token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: frequent.id });
    assert.equal(executeNow.status, 409, JSON.stringify(executeNow.body));
    assert.match(executeNow.body.errors[0].detail, /enable-report-subscription is off/);
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    assert.deepEqual(await executionIds(frequent), ranBefore, 'a run began while the feature was off');

    await t.toggle('enable-report-subscription', true);
    assert.equal((await t.settings()).reportSubscriptionStatus, 'enabling');
    await t.toggleDone('enable-report-subscription', 'reportSubscriptionStatus');
    for (const task of [frequent, sheet, monitoring]) {
      const shown = await t.get(task);
      assert.equal(shown.pausedByFeature, undefined, `${task.name} resumed`);
      assert.equal(shown.enabled, true);
      assert.ok(shown.nextScheduledRun);
      assert.equal((await status(task)).enabled, true);
    }
    const stillPaused = await t.get(userPaused);
    assert.equal(stillPaused.pausedByFeature, undefined);
    assert.equal(stillPaused.enabledByUser, false);
    assert.equal(stillPaused.enabled, false);
    assert.equal((await status(userPaused)).enabled, false, 'the task its owner paused stays paused');
    const stillDisabled = await t.get(systemDisabled);
    assert.equal(stillDisabled.enabledBySystem, false);
    assert.equal(stillDisabled.statusCode, 'MAX_FAILURES_REACHED');
    assert.equal(stillDisabled.enabled, false);
    assert.equal((await status(systemDisabled)).enabled, false, 'the task the system disabled stays disabled');
    // And the schedule runs again.
    await eventually(async () => ((await executionIds(frequent)).length > ranBefore.length ? true : undefined), 30_000, 'a scheduled run after the resume');
  });

  it('two quick toggles, off then on while the first goes through the tasks: ends on, every task running, status none', async () => {
    const t = tenant();
    const tasks: ShownTask[] = [];
    for (let i = 0; i < 40; i++) tasks.push(await t.create({ name: `task ${i}` }));
    const pausedCount = async () =>
      (await service.stores.tasks.listOfTypesAfter(t.name, ['chart-sharing'], undefined, 100)).filter((task) => task.pausedByFeature).length;

    await t.toggle('enable-report-subscription', false);
    // The second toggle comes while the first one's workflow is part-way through its tasks (16 at a time).
    const deadline = Date.now() + 30_000;
    let paused = 0;
    while (paused === 0 && Date.now() < deadline) {
      paused = await pausedCount();
      if (paused === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await t.toggle('enable-report-subscription', true);
    assert.ok(paused > 0 && paused < tasks.length, `the first toggle had paused ${paused} of ${tasks.length} tasks: not part-way`);
    const done = await t.toggleDone('enable-report-subscription', 'reportSubscriptionStatus');
    assert.equal(done['enable-report-subscription'], true);
    const final = await t.progress('enable-report-subscription');
    assert.equal(final.enabled, true);
    assert.equal(final.finished, true);
    for (const task of tasks) {
      const shown = await t.get(task);
      assert.equal(shown.pausedByFeature, undefined, `${task.name} still paused`);
      assert.equal(shown.enabled, true);
      assert.equal((await status(task)).enabled, true, `${task.name}'s workflow still paused`);
    }
  });

  it('the reconciler pauses a task its feature\'s toggle missed, once no toggle is under way, and leaves a paused one paused', async () => {
    const t = tenant();
    const missed = await t.create({ name: 'missed by the toggle' });
    const paused = await t.create({ name: 'paused by the toggle' });
    await t.toggle('enable-report-subscription', false);
    await t.toggleDone('enable-report-subscription', 'reportSubscriptionStatus');
    // As if the toggle's fan-out had passed before this task was stored (a create that read the settings just before the toggle).
    const stored = (await service.stores.tasks.get(t.name, missed.id))!;
    await service.stores.tasks.update(t.name, missed.id, { revision: stored.revision! + 1 }, ['pausedByFeature']);
    await workflows.taskUpdated({ ...stored, pausedByFeature: undefined, revision: stored.revision! + 1 });
    await eventually(async () => ((await status(missed)).enabled ? true : undefined), 10_000, 'the task to run again');

    await service.worker!.runtime.reconciler.reconcile();
    const repaired = await t.get(missed);
    assert.equal(repaired.pausedByFeature, true);
    assert.equal(repaired.enabled, false);
    assert.equal((await status(missed)).enabled, false, 'the reconciler left the task running while its feature is off');
    assert.equal((await t.get(paused)).pausedByFeature, true);
    assert.equal((await status(paused)).enabled, false, 'the reconciler resumed a task paused by its feature');
  });

  it('creates a task paused while its feature is off (no creation run), and only a task of that feature', async () => {
    const t = tenant();
    await t.toggle('enable-reporting-template-subscription', false);
    await t.toggleDone('enable-reporting-template-subscription', 'reportingTemplateSubscriptionStatus');

    const template = await t.create({ name: 'template while off', type: 'template-sharing', executeOnCreation: true });
    assert.equal(template.pausedByFeature, true);
    assert.equal(template.enabled, false);
    assert.equal(template.nextScheduledRun, undefined);
    assert.equal((await status(template)).enabled, false);
    const chart = await t.create({ name: 'chart while template subscriptions are off' });
    assert.equal(chart.pausedByFeature, undefined);
    assert.equal(chart.enabled, true);

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(await executionIds(template), [], 'a task created paused ran its creation run');

    await t.toggle('enable-reporting-template-subscription', true);
    await t.toggleDone('enable-reporting-template-subscription', 'reportingTemplateSubscriptionStatus');
    const resumed = await t.get(template);
    assert.equal(resumed.pausedByFeature, undefined);
    assert.equal(resumed.enabled, true);
    assert.ok(resumed.nextScheduledRun);
    assert.equal((await status(template)).enabled, true);
  });
});
