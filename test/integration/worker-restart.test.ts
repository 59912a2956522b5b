import assert from 'node:assert/strict';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, startWorker, TestService } from '../support/service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Durability on the real dev server: a task keeps its schedule through a worker outage. */
describe('a worker outage', function () {
  this.timeout(120_000);
  let service: TestService;

  before(async () => {
    service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1' });
  });
  after(async () => service?.stop());

  it('collapses the occurrences missed while no worker ran into one catch-up run, then keeps the schedule', async () => {
    const token = service.token({ tenant: 'tenant-restart', userId: 'u1' });
    const created = await service.request(
      token,
      'POST',
      '/api/v1/sharing-tasks',
      chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['RRULE:FREQ=SECONDLY;INTERVAL=4'] } }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body;

    await service.worker!.stop();
    const stoppedAt = Date.now();
    await sleep(13_000); // three or more occurrences come due with no worker
    service.worker = await startWorker(service.config);
    const restartedAt = Date.now();

    const catchUp = await eventually(
      async () => {
        const { executions } = await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 50, offset: 0 });
        return executions.find((e) => e.trigger === 'catch-up' && e.status === 'successful');
      },
      90_000,
      'the catch-up run',
    );
    assert.ok((catchUp as { missedOccurrences?: number }).missedOccurrences! >= 2, JSON.stringify(catchUp));

    const afterwards = await eventually(
      async () => {
        const { executions } = await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 50, offset: 0 });
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
