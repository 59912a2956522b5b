import { temporal } from '@temporalio/proto';
import assert from 'node:assert/strict';
import { createTemporalClient } from '../../src/temporal/connection';
import { statusQuery } from '../../workflows/definitions';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';

/**
 * The test stack's dev server suggests continue-as-new after 120 history events (see
 * test/support/global-stack.ts), so a task firing every second reaches it within seconds.
 */
describe('a long-lived task workflow', function () {
  this.timeout(120_000);
  let service: TestService;

  before(async () => {
    service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1' });
  });
  after(async () => service?.stop());

  it('continues as new before its history grows large, keeping its schedule and counters', async () => {
    const token = service.token({ tenant: 'tenant-can', userId: 'u' });
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=1'] } }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body;
    const client = createTemporalClient(service.config.temporal);
    try {
      const handle = client.workflow.getHandle(task.scheduleOptions.chronosJobID);
      const firstRunId = (await handle.describe()).runId;
      const continued = await eventually(
        async () => {
          const description = await handle.describe();
          return description.runId !== firstRunId && description.status.name === 'RUNNING' ? description : undefined;
        },
        60_000,
        'a continued-as-new run',
      );
      const firstHistory = await client.workflow.getHandle(task.scheduleOptions.chronosJobID, firstRunId).fetchHistory();
      assert.equal(firstHistory.events?.at(-1)?.eventType, temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
      assert.ok((firstHistory.events?.length ?? 0) < 400, `the first run kept ${firstHistory.events?.length} events`);

      const status = await handle.query(statusQuery);
      assert.ok(status.runsStarted > 3, 'the counters carried over');
      const countAtContinue = (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 200, offset: 0 })).totalCount;
      await eventually(
        async () => {
          const { executions, totalCount } = await service.stores.executions.list(task.tenant, task.id, { sortDirection: -1, limit: 1, offset: 0 });
          return totalCount > countAtContinue + 1 && Date.parse(executions[0]!.startTime) > continued.startTime.getTime() ? true : undefined;
        },
        20_000,
        'runs after continuing as new',
      );
      const eventTimes = (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 500, offset: 0 })).executions
        .filter((e) => e.status !== 'invalid')
        .map((e) => e.eventTime);
      assert.equal(new Set(eventTimes).size, eventTimes.length, 'no occurrence ran twice across the hand-over');
    } finally {
      await client.connection.close();
    }
  });
});
