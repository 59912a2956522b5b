import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import type { ExecutionRecord } from '../../src/sharing-tasks/execution-record';
import type { SharingTask } from '../../src/sharing-tasks/schemas';
import { RunMetrics } from '../../src/metrics/run-metrics';
import { DUE_COUNT_REUSE_MS, TaskStatusService } from '../../src/runs/task-status';
import { createTemporalClient } from '../../src/temporal/connection';
import { stagingLeadMs } from '../../workflows/definitions';
import { occurrenceKey, taskWorkflowId } from '../../src/contract/task-workflow';
import { chartTaskRequest } from '../support/fixtures';
import { localActivityType, runActivityIn } from '../support/history-events';
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

  /** The task's run of `due`, in its workflow's history. */
  const runOf = async (task: SharingTask, due: Date) =>
    runActivityIn(await client.workflow.getHandle(taskWorkflowId(task.tenant, task.id)).fetchHistory(), occurrenceKey(due));

  async function taskDueIn(seconds: number): Promise<{ task: SharingTask; due: Date }> {
    const { local, instant } = localUtcIn(seconds);
    const response = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'], startDateTime: local } }));
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const task: SharingTask = response.body;
    return { task, due: instant };
  }

  it('starts the run ahead, holds it, and begins it at its instant', async () => {
    const { task, due } = await taskDueIn(12);
    await sleep(due.getTime() - Date.now() - 1_500);
    const held = await runOf(task, due);
    assert.ok(held && !held.ended, 'the run was dispatched before its instant and holds');
    assert.deepEqual(await executionsOf(task), [], 'nothing begins before the instant');

    const [execution] = await eventually(async () => {
      const done = (await executionsOf(task)).filter((e) => e.status === 'successful');
      return done.length > 0 ? done : undefined;
    }, 30_000, 'the staged run to finish');
    const lateMs = Date.parse(execution!.startTime) - due.getTime();
    assert.equal(execution!.eventTime, due.toISOString());
    assert.ok(lateMs >= 0 && lateMs < 1_000, `began ${lateMs} ms after its instant`);
    const history = await client.workflow.getHandle(taskWorkflowId(task.tenant, task.id)).fetchHistory();
    const run = runActivityIn(history, occurrenceKey(due));
    assert.ok(run?.ended, 'the run is an activity of the task workflow, and it ended');
    assert.ok(run.scheduledAt.getTime() < due.getTime() - 1_000, 'dispatched ahead of the instant');
    assert.equal(history.events!.filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes).length, 0, 'no child workflow');
    // The run's deadline timer ends with the run: once the workflow has taken the run's end, the only timer left is the wait for the next occurrence.
    const pendingTimers = async () => {
      const { events } = await client.workflow.getHandle(taskWorkflowId(task.tenant, task.id)).fetchHistory();
      const ids = (pick: (event: NonNullable<typeof events>[number]) => { timerId?: string | null } | null | undefined) =>
        events!.map(pick).flatMap((attributes) => (attributes?.timerId ? [attributes.timerId] : []));
      const ended = new Set([...ids((e) => e.timerFiredEventAttributes), ...ids((e) => e.timerCanceledEventAttributes)]);
      const taken = events!.at(-1)?.workflowTaskCompletedEventAttributes !== undefined || events!.at(-1)?.timerStartedEventAttributes !== undefined;
      return taken ? ids((e) => e.timerStartedEventAttributes).filter((id) => !ended.has(id)).length : undefined;
    };
    await eventually(async () => ((await pendingTimers()) === 1 ? true : undefined), 15_000, 'one timer pending after the run (the deadline timer cancelled)');
    // The attempt records the run itself: no workflow step after it, and the task shows it.
    const localActivities = history.events!.map(localActivityType).filter(Boolean);
    assert.ok(localActivities.includes('runLimits') && !localActivities.includes('finishExecution'), localActivities.join(', '));
    const recorded = await service.stores.tasks.get(task.tenant, task.id);
    assert.equal(recorded?.lastRun, execution!.startTime);
    assert.equal(recorded?.statusCode, 'OK');
  });

  it('a change made while the run holds is in the run (the task is read again at the instant)', async () => {
    const { task, due } = await taskDueIn(12);
    await eventually(async () => (await runOf(task, due)) && true, 15_000, 'the staged run');
    assert.ok(Date.now() < due.getTime() - 500, 'still before the instant');
    const renamed = await service.request(token, 'PATCH', `/api/v1/sharing-tasks/${task.id}`, [
      { op: 'replace', path: '/name', value: 'Renamed while held' },
      { op: 'replace', path: '/templates', value: task.templates.map((template) => ({ ...template, fileName: 'renamed-file' })) },
    ]);
    assert.equal(renamed.status, 204, JSON.stringify(renamed.body));
    const [execution] = await eventually(async () => {
      const done = (await executionsOf(task)).filter((e) => e.status === 'successful');
      return done.length > 0 ? done : undefined;
    }, 30_000, 'the staged run to finish');
    assert.equal(execution!.eventTime, due.toISOString());
    assert.equal(execution!.snapshot?.name, 'Renamed while held');
    assert.match(execution!.files[0]!.fileName!, /^renamed-file/, 'the file was drawn from the task as it stood at the instant');
  });

  it('a pause drops a staged run that has not reached its instant', async () => {
    const { task, due } = await taskDueIn(12);
    await eventually(async () => (await runOf(task, due)) && true, 15_000, 'the staged run');
    assert.ok(Date.now() < due.getTime() - 500, 'still before the instant');
    const paused = await service.request(token, 'PATCH', `/api/v1/sharing-tasks/${task.id}`, [{ op: 'replace', path: '/enabled', value: false }]);
    assert.equal(paused.status, 204);
    // The engine brings the cancellation at the held activity's next heartbeat; if that comes after
    // the instant, the run refuses to begin for a paused task. Either way nothing runs.
    await eventually(async () => (await runOf(task, due))?.ended || undefined, 45_000, 'the staged run to end');
    await sleep(Math.max(0, due.getTime() + 1_000 - Date.now()));
    assert.deepEqual(await executionsOf(task), [], 'the paused occurrence never ran');
  });
});

/**
 * The staging window sized by load: ahead of a shared instant each task counts the tasks whose next
 * run is that instant, and spreads its early start over a window that stages them at the policy's rate.
 */
describe('staged runs sized by the runs due together', function () {
  this.timeout(120_000);
  const TASKS = 6;
  // Count 10–14 s ahead (lead 2 + largest window 8 + a point of 4); stage 2 s + a point of the window: 1 s unsized, 6 s for 6 runs at 1/s.
  const env = { RUN_STAGING_LEAD_SECONDS: '2', RUN_STAGING_WINDOW_SECONDS: '1', RUN_STAGING_RATE_PER_SECOND: '1', RUN_STAGING_MAX_WINDOW_SECONDS: '8' };
  let service: TestService;
  let client: Client;

  before(async () => {
    service = await TestService.start(env);
    client = createTemporalClient(service.config.temporal);
  });
  after(async () => {
    await client?.connection.close();
    await service?.stop();
  });

  it('answers the tasks due at one instant from one count for a minute, then counts again', async () => {
    const token = service.token({ tenant: 'tenant-sized', userId: 'counter' });
    const { local, instant } = localUtcIn(3_600);
    const create = async () =>
      assert.equal((await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'], startDateTime: local } }))).status, 201);
    let now = Date.now();
    const status = new TaskStatusService(service.stores, { now: () => new Date(now) }, new RunMetrics());
    await create();
    assert.equal(await status.tasksDueAt(instant.toISOString()), 1);
    await create();
    assert.equal(await status.tasksDueAt(instant.toISOString()), 1, 'the count of a moment ago answers');
    now += DUE_COUNT_REUSE_MS;
    assert.equal(await status.tasksDueAt(instant.toISOString()), 2, 'a minute later it counts again');
  });

  it('counts the tasks due at the instant ahead of it and stages each within the window sized for them', async () => {
    const token = service.token({ tenant: 'tenant-sized', userId: 'sizer' });
    const { local, instant } = localUtcIn(45);
    const tasks: SharingTask[] = [];
    for (let i = 0; i < TASKS; i++) {
      const response = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ name: `sized ${i}`, scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'], startDateTime: local } }));
      assert.equal(response.status, 201, JSON.stringify(response.body));
      tasks.push(response.body);
    }
    const occurrence = instant.toISOString();
    await eventually(async () => {
      const executions = await Promise.all(tasks.map((task) => service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 5, offset: 0 })));
      return executions.every(({ executions: runs }) => runs.some((run) => run.status === 'successful')) || undefined;
    }, 90_000, 'every run to finish');

    const policy = service.config.staging;
    for (const task of tasks) {
      const parent = await client.workflow.getHandle(taskWorkflowId(task.tenant, task.id)).fetchHistory();
      // A local activity's marker holds its type and its result as JSON payloads.
      const markers = parent.events!.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity');
      const payloadsOf = (event: (typeof markers)[number]) =>
        Object.values(event.markerRecordedEventAttributes!.details ?? {}).flatMap((value) => (value.payloads ?? []).map((payload) => Buffer.from(payload.data ?? []).toString()));
      const count = markers.map(payloadsOf).find((payloads) => payloads.some((text) => text.includes('tasksDueTogether')));
      assert.ok(count, `task ${task.id} counted the runs due with it`);
      assert.ok(count.includes(String(TASKS)), `task ${task.id} counted ${TASKS} runs due together: ${count.join(' ')}`);

      const run = runActivityIn(parent, occurrenceKey(instant));
      assert.ok(run, `task ${task.id} ran the occurrence in its workflow`);
      const stagedMs = instant.getTime() - run.scheduledAt.getTime();
      const gapMs = instant.getTime() - Date.parse(task.dateCreated!);
      const expectedMs = stagingLeadMs(policy, task.id, occurrence, gapMs, TASKS);
      // The run is dispatched in the workflow task after the timer: within a second or two of its stage time, never after the instant.
      assert.ok(stagedMs > 0 && Math.abs(stagedMs - expectedMs) < 2_500, `task ${task.id} staged ${stagedMs} ms ahead, expected ~${expectedMs}`);
    }
  });
});
