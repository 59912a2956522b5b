import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { ensureTemporalTestServer } from '../../scripts/stack/install';
import { systemClock } from '../../src/clock';
import type { SharingTask, SharingTaskCreateRequest } from '../../src/sharing-tasks/schemas';
import { SettingsService } from '../../src/sharing-tasks/settings-service';
import { SharingTaskService } from '../../src/sharing-tasks/sharing-task-service';
import { createMongo, createStores, type Stores } from '../../src/store';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/temporal/search-attributes';
import { TaskWorkflows } from '../../src/temporal/task-workflows';
import { testConfig } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, startWorker, type RunningWorker } from '../support/service';
import { localActivityType } from '../support/history-events';
import { workflowBundle } from '../support/workflow-bundle';
import { APP_RELOAD_COALESCE_MS, statusQuery } from '../../workflows/definitions';


/**
 * Time-bound workflow behaviour on the time-skipping test server: months pass in seconds, while
 * the activities (MongoDB, SMTP, PDF rendering) stay real. A series bounded by endDateTime ends,
 * so awaiting the workflow's result lets the server skip through every occurrence. The server's
 * clock only moves forward, so every test gets a fresh server.
 */
describe('sharingTaskWorkflow on the time-skipping server', function () {
  this.timeout(180_000);
  let env: TestWorkflowEnvironment;
  let worker: RunningWorker;
  let stores: Stores;
  let tasks: SharingTaskService;
  let workflows: TaskWorkflows;
  let closeMongo: () => Promise<void>;
  const caller = { tenant: 'tenant-ts', userId: 'owner-ts', userName: 'Tess', roles: [] };

  beforeEach(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: await ensureTemporalTestServer() } },
    });
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        SEARCH_ATTRIBUTE_NAMES.map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
    const config = testConfig({ TEMPORAL_ADDRESS: env.address });
    const mongo = createMongo(config.mongo);
    closeMongo = () => mongo.client.close();
    stores = createStores(mongo.db);
    workflows = new TaskWorkflows(env.client, config.temporal.taskQueue);
    tasks = new SharingTaskService(stores, new SettingsService(stores, systemClock, workflows), workflows, systemClock, config.rules);
    worker = await startWorker(config);
  });

  afterEach(async () => {
    await worker?.stop();
    await closeMongo?.();
    await env?.teardown();
  });

  async function runSeries(scheduleOptions: Record<string, unknown>): Promise<{ task: SharingTask; eventTimes: string[] }> {
    const task = await tasks.create(caller, chartTaskRequest({ scheduleOptions }) as SharingTaskCreateRequest);
    const handle = env.client.workflow.getHandle(workflows.workflowId(task));
    await handle.result();
    // Determinism guard: today's workflow code replays the history it just wrote.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), handle.workflowId);
    const { executions } = await stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 100, offset: 0 });
    assert.ok(executions.every((e) => e.status === 'successful'), JSON.stringify(executions.map((e) => [e.status, e.errors])));
    return { task, eventTimes: executions.map((e) => e.eventTime) };
  }

  it('fires daily 09:00 Europe/Paris at 09:00 local across the spring change, and ends with the series', async () => {
    const { task, eventTimes } = await runSeries({
      timezone: 'Europe/Paris',
      recurrence: ['RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0'],
      startDateTime: '2027-03-26T00:00:00',
      endDateTime: '2027-03-30T09:00:00',
    });
    assert.deepEqual(eventTimes, [
      '2027-03-26T08:00:00.000Z',
      '2027-03-27T08:00:00.000Z',
      '2027-03-28T07:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
      '2027-03-30T07:00:00.000Z',
    ]);
    const stored = await stores.tasks.get(task.tenant, task.id);
    assert.equal(stored?.statusCode, 'COMPLETED');
    assert.equal(stored?.nextScheduledRun, undefined);
  });

  it('fires daily 09:00 Europe/Paris at 09:00 local across the autumn change', async () => {
    const { eventTimes } = await runSeries({
      timezone: 'Europe/Paris',
      recurrence: ['RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0'],
      startDateTime: '2027-10-29T00:00:00',
      endDateTime: '2027-11-01T23:00:00',
    });
    assert.deepEqual(eventTimes, ['2027-10-29T07:00:00.000Z', '2027-10-30T07:00:00.000Z', '2027-10-31T08:00:00.000Z', '2027-11-01T08:00:00.000Z']);
  });

  it('fires 02:30 America/New_York on the spring-forward day at 03:30 EDT', async () => {
    const { eventTimes } = await runSeries({
      timezone: 'America/New_York',
      recurrence: ['RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30;BYSECOND=0'],
      startDateTime: '2027-03-13T00:00:00',
      endDateTime: '2027-03-15T23:00:00',
    });
    assert.deepEqual(eventTimes, ['2027-03-13T07:30:00.000Z', '2027-03-14T07:30:00.000Z', '2027-03-15T06:30:00.000Z']);
  });

  const series: [string, Record<string, unknown>, string[]][] = [
    [
      'weekly MO,WE,FR',
      { timezone: 'UTC', recurrence: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=10;BYMINUTE=0;BYSECOND=0'], startDateTime: '2027-01-04T00:00:00', endDateTime: '2027-01-15T23:00:00' },
      ['2027-01-04T10:00:00.000Z', '2027-01-06T10:00:00.000Z', '2027-01-08T10:00:00.000Z', '2027-01-11T10:00:00.000Z', '2027-01-13T10:00:00.000Z', '2027-01-15T10:00:00.000Z'],
    ],
    [
      'monthly on the last Friday, 09:00 Europe/London across the spring change',
      { timezone: 'Europe/London', recurrence: ['FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0'], startDateTime: '2027-01-01T00:00:00', endDateTime: '2027-04-30T23:00:00' },
      ['2027-01-29T09:00:00.000Z', '2027-02-26T09:00:00.000Z', '2027-03-26T09:00:00.000Z', '2027-04-30T08:00:00.000Z'],
    ],
    [
      'the last weekday of each month (BYSETPOS=-1)',
      { timezone: 'UTC', recurrence: ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0;BYSECOND=0'], startDateTime: '2027-01-01T00:00:00', endDateTime: '2027-03-31T23:00:00' },
      ['2027-01-29T17:00:00.000Z', '2027-02-26T17:00:00.000Z', '2027-03-31T17:00:00.000Z'],
    ],
    [
      'two overlapping rules, the shared occurrence once',
      { timezone: 'UTC', recurrence: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,12;BYMINUTE=0;BYSECOND=0'], startDateTime: '2027-01-04T00:00:00', endDateTime: '2027-01-06T23:00:00' },
      ['2027-01-04T09:00:00.000Z', '2027-01-04T12:00:00.000Z', '2027-01-05T09:00:00.000Z', '2027-01-06T09:00:00.000Z'],
    ],
    [
      'COUNT=3, after which the series ends',
      { timezone: 'UTC', recurrence: ['FREQ=DAILY;COUNT=3;BYHOUR=8;BYMINUTE=0;BYSECOND=0'], startDateTime: '2027-02-01T00:00:00' },
      ['2027-02-01T08:00:00.000Z', '2027-02-02T08:00:00.000Z', '2027-02-03T08:00:00.000Z'],
    ],
    [
      'hourly through the New York fall-back: the repeated 01:30 fires once',
      { timezone: 'America/New_York', recurrence: ['FREQ=HOURLY;BYMINUTE=30;BYSECOND=0'], startDateTime: '2027-11-07T00:00:00', endDateTime: '2027-11-07T03:00:00' },
      ['2027-11-07T04:30:00.000Z', '2027-11-07T05:30:00.000Z', '2027-11-07T07:30:00.000Z'],
    ],
  ];
  for (const [what, scheduleOptions, expected] of series) {
    it(`fires ${what}`, async () => {
      assert.deepEqual((await runSeries(scheduleOptions)).eventTimes, expected);
    });
  }

  it('is the one writer of the next run: records it once per applied revision, and ignores an older revision', async () => {
    const task = await tasks.create(caller, chartTaskRequest({
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;BYHOUR=0;BYMINUTE=0;BYSECOND=0'] },
    }) as SharingTaskCreateRequest);
    const handle = env.client.workflow.getHandle(workflows.workflowId(task));
    const recordNextRunCalls = async () =>
      (await handle.fetchHistory()).events!.filter((event) => localActivityType(event) === 'recordNextRun').length;

    // The create answered once the workflow had recorded its decision: the task shows it.
    const status = await handle.query(statusQuery);
    assert.equal(status.recordedRevision, 1);
    assert.ok(task.nextScheduledRun, 'the create answers the next run the workflow recorded');
    assert.equal(status.nextOccurrence, task.nextScheduledRun);
    assert.equal(await recordNextRunCalls(), 1);

    // A change read before the latest one arrives late: ignored.
    await workflows.taskUpdated({ ...task, enabledByUser: false, revision: 1 });
    const afterStale = await handle.query(statusQuery);
    assert.equal(afterStale.enabled, true);
    assert.equal(afterStale.appliedRevision, 1);

    // A newer revision is applied and recorded, even when its next run did not change.
    await stores.tasks.update(task.tenant, task.id, { revision: 2 }, ['nextScheduledRun', 'scheduleOptions.nextExecutionTime']);
    await workflows.taskUpdated((await stores.tasks.get(task.tenant, task.id))!);
    const restored = await eventually(
      async () => (await stores.tasks.get(task.tenant, task.id))?.nextScheduledRun,
      20_000,
      'the workflow to record the next run',
    );
    assert.equal(restored, task.nextScheduledRun);
    assert.equal((await stores.tasks.get(task.tenant, task.id))?.appliedRevision, 2);
    // The local activity's marker is in history once its workflow task completed, just after the write.
    await eventually(async () => ((await recordNextRunCalls()) === 2 ? true : undefined), 10_000, 'the second recordNextRun in history');
    assert.equal(await recordNextRunCalls(), 2);
  });

  it('coalesces app reloads within the window into one run of the latest, and runs a later reload again', async () => {
    const task = await tasks.create(caller, chartTaskRequest({
      trigger: { executeOnAppReload: true },
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
    }) as SharingTaskCreateRequest);
    const admin = { ...caller, roles: ['TenantAdmin'] };
    const reload = (reloadId: string) => tasks.appReloaded(admin, { appId: 'app-sales', reloadId, reloadTime: new Date().toISOString() });
    const reloadIds = async () =>
      (await stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 100, offset: 0 })).executions.map((e) => e.reloadId);

    await reload('r1');
    await env.sleep(APP_RELOAD_COALESCE_MS / 4);
    await reload('r2');
    await env.sleep(APP_RELOAD_COALESCE_MS / 4);
    await reload('r3');
    await env.sleep(APP_RELOAD_COALESCE_MS);
    await eventually(async () => ((await reloadIds()).length === 1 ? true : undefined), 20_000, 'the coalesced run');
    await reload('r4');
    await env.sleep(APP_RELOAD_COALESCE_MS * 2);
    await eventually(async () => ((await reloadIds()).length === 2 ? true : undefined), 20_000, 'the later reload\'s run');
    assert.deepEqual(await reloadIds(), ['r3', 'r4']);
  });
});
