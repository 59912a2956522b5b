import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
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
import { startWorker, type RunningWorker } from '../support/service';

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
    tasks = new SharingTaskService(stores, new SettingsService(stores, systemClock), workflows, systemClock, config.rules);
    worker = await startWorker(config);
  });

  afterEach(async () => {
    await worker?.stop();
    await closeMongo?.();
    await env?.teardown();
  });

  async function runSeries(scheduleOptions: Record<string, unknown>): Promise<{ task: SharingTask; eventTimes: string[] }> {
    const task = await tasks.create(caller, chartTaskRequest({ scheduleOptions }) as SharingTaskCreateRequest);
    await env.client.workflow.getHandle(workflows.workflowId(task)).result();
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
});
