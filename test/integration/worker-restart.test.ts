import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import type { ExecutionRecord } from '../../src/sharing-tasks/execution-record';
import type { SharingTask } from '../../src/sharing-tasks/schemas';
import { createTemporalClient } from '../../src/temporal/connection';
import { startBouncingSmtp, type TestSmtp } from '../support/bouncing-smtp';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, startWorker, TestService } from '../support/service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const executionsOf = async (service: TestService, task: SharingTask): Promise<ExecutionRecord[]> =>
  (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 50, offset: 0 })).executions;

/** A task running every 4 s, from the API. */
async function createTaskEvery4s(service: TestService): Promise<SharingTask> {
  const token = service.token({ tenant: 'tenant-restart', userId: 'u1' });
  const created = await service.request(
    token,
    'POST',
    '/api/v1/sharing-tasks',
    chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['RRULE:FREQ=SECONDLY;INTERVAL=4'] } }),
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body as SharingTask;
}

/**
 * The catch-up run once a worker runs again; when it does not come, the failure says what the task
 * recorded and what its workflow still waits on.
 */
function catchUpRun(service: TestService, task: SharingTask): Promise<ExecutionRecord> {
  return eventually(
    async () => (await executionsOf(service, task)).find((e) => e.trigger === 'catch-up' && e.status === 'successful'),
    90_000,
    'the catch-up run',
  ).catch(async (error: Error) => {
    const runs = (await executionsOf(service, task)).map((e) => [e.trigger, e.status, e.eventTime, e.startTime]);
    const client = createTemporalClient(service.config.temporal);
    const { raw } = await client.workflow.getHandle(task.scheduleOptions!.chronosJobID!).describe();
    await client.connection.close();
    const pending = (raw.pendingActivities ?? []).map((a) => [a.activityType?.name, a.state, a.attempt, a.lastFailure?.message]);
    throw new Error(`${error.message}; runs: ${JSON.stringify(runs)}; pending activities: ${JSON.stringify(pending)}`);
  });
}

/** Durability on the real dev server: a task keeps its schedule through a worker outage. */
describe('a worker outage', function () {
  this.timeout(120_000);

  describe('between runs', () => {
    let service: TestService;
    before(async () => {
      service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1' });
    });
    after(async () => service?.stop());

    it('collapses the occurrences missed while no worker ran into one catch-up run, then keeps the schedule', async () => {
      const task = await createTaskEvery4s(service);
      await service.worker!.stop();
      const stoppedAt = Date.now();
      await sleep(13_000); // three or more occurrences come due with no worker
      service.worker = await startWorker(service.config);
      const restartedAt = Date.now();

      const catchUp = await catchUpRun(service, task);
      assert.ok(catchUp.missedOccurrences! >= 2, JSON.stringify(catchUp));

      const afterwards = await eventually(
        async () => {
          const executions = await executionsOf(service, task);
          return executions.some((e) => e.trigger === 'scheduled' && Date.parse(e.eventTime) > restartedAt) ? executions : undefined;
        },
        30_000,
        'the next regular occurrence after the restart',
      );
      // Runs made after the restart for occurrences due before it (the create answers once its workflow
      // recorded its first decision, so on a loaded machine the first occurrence may come before the stop).
      const duringOutage = afterwards.filter(
        (e) => Date.parse(e.startTime) > stoppedAt && Date.parse(e.eventTime) < restartedAt && e.status !== 'invalid',
      );
      assert.equal(duringOutage.length, 1, `one run for the whole outage: ${JSON.stringify(duringOutage.map((e) => [e.trigger, e.eventTime]))}`);
    });
  });

  describe('that begins during a run', () => {
    const inSend = new EventEmitter();
    let smtp: TestSmtp;
    let service: TestService;
    before(async () => {
      // The first mail is answered after 3 s: the stop comes while it waits, and the run ends during the shutdown.
      smtp = await startBouncingSmtp(() => false, {
        acceptDelayMs: (index) => (index === 0 ? 3_000 : 0),
        afterData: (index) => index === 0 && inSend.emit('first'),
      });
      service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1', SMTP_PORT: String(smtp.port) });
    });
    after(async () => {
      await service?.stop();
      await smtp?.stop();
    });

    it('still catches up: the run that ended while no worker ran workflows does not make the missed occurrences skipped', async () => {
      const sending = once(inSend, 'first');
      const task = await createTaskEvery4s(service);
      await sending;
      await service.worker!.stop(); // the shutdown lets the send get its answer, and the run record its end
      const [interrupted] = (await executionsOf(service, task)).filter((e) => e.status === 'successful');
      assert.ok(interrupted, 'the run in its send at the stop finished during the shutdown');
      await sleep(13_000);
      service.worker = await startWorker(service.config);
      const restartedAt = Date.now();

      const catchUp = await catchUpRun(service, task);
      assert.ok(catchUp.missedOccurrences! >= 2, JSON.stringify(catchUp));
      const skipped = (await executionsOf(service, task)).filter(
        (e) => e.status === 'invalid' && Date.parse(e.eventTime) > Date.parse(interrupted.eventTime) && Date.parse(e.eventTime) < restartedAt,
      );
      assert.deepEqual(skipped.map((e) => e.eventTime), [], 'no occurrence of the outage is recorded as skipped');
    });
  });
});
