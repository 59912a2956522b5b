import { defaultPayloadConverter } from '@temporalio/common';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { createTemporalClient } from '../../src/temporal/connection';
import type { SharingTaskWorkflowInput } from '../../src/contract/task-workflow';
import { testEnv } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { HELD_QUEUE_SUFFIX } from '../support/held-hand-over';
import { eventually, startWorker, TestService, type RunningWorker } from '../support/service';
import { heldHandOverBundle } from '../support/workflow-bundle';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const INTERVAL_MS = 2_000;

/**
 * Continue-as-new while no worker takes the new run: the worker that ran the first run hands over
 * to a queue nobody polls (test/support/held-hand-over.ts), and a worker comes for it only after
 * two occurrences came due. The new run must run what came due meanwhile, once (as one catch-up
 * run, as after any outage), not start counting from its own first workflow task.
 */
describe('continue-as-new under a held worker', function () {
  this.timeout(150_000);
  let env: Record<string, string>;
  let service: TestService;
  let heldWorker: RunningWorker | undefined;

  before(async () => {
    env = testEnv({ MIN_SCHEDULE_INTERVAL_SECONDS: '1' });
    service = await TestService.fromEnv(env, { worker: false });
    service.worker = await startWorker(service.config, await heldHandOverBundle());
  });
  after(async () => {
    await heldWorker?.stop();
    await service?.stop();
  });

  it('runs an occurrence that came due during the hand-over exactly once', async () => {
    const token = service.token({ tenant: 'tenant-held', userId: 'u' });
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
      scheduleOptions: { timezone: 'UTC', recurrence: [`FREQ=SECONDLY;INTERVAL=${INTERVAL_MS / 1000}`] },
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body;
    const client = createTemporalClient(service.config.temporal);
    try {
      const handle = client.workflow.getHandle(task.scheduleOptions.chronosJobID);
      const firstRunId = (await handle.describe()).runId;
      const successor = await eventually(async () => {
        const description = await handle.describe();
        return description.runId !== firstRunId ? description : undefined;
      }, 90_000, 'the first run to continue as new');
      assert.ok(successor.taskQueue.endsWith(HELD_QUEUE_SUFFIX), `the new run went to ${successor.taskQueue}`);

      // What the first run handed over, read from its last event.
      const history = await client.workflow.getHandle(handle.workflowId, firstRunId).fetchHistory();
      const attributes = history.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes!;
      const carried = defaultPayloadConverter.fromPayload<SharingTaskWorkflowInput>(attributes.input!.payloads![0]!).carried!;
      const handledUpTo = Date.parse(carried.lastOccurrence!);
      const firstDue = new Date(handledUpTo + INTERVAL_MS).toISOString();

      // Hold the hand-over until two more occurrences came due, then let a worker take it.
      await sleep(Math.max(0, handledUpTo + 2 * INTERVAL_MS + 500 - Date.now()));
      heldWorker = await startWorker(loadConfig({ ...env, TEMPORAL_TASK_QUEUE: successor.taskQueue }));

      const runs = async () =>
        (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 500, offset: 0 })).executions.filter((e) => e.status !== 'invalid');
      const held = await eventually(async () => (await runs()).find((e) => e.eventTime === firstDue && e.endTime), 30_000, `a run of ${firstDue}`);
      assert.equal(held.trigger, 'catch-up');
      assert.ok((held.missedOccurrences ?? 0) >= 1, `missedOccurrences ${held.missedOccurrences}`);
      await eventually(async () => ((await runs()).some((e) => Date.parse(e.eventTime) > Date.parse(firstDue) + INTERVAL_MS) ? true : undefined), 20_000, 'the schedule to go on');
      const eventTimes = (await runs()).map((e) => e.eventTime);
      assert.equal(new Set(eventTimes).size, eventTimes.length, `an occurrence ran twice: ${eventTimes.join(' ')}`);
      assert.equal(eventTimes.filter((at) => at === firstDue).length, 1);
    } finally {
      await service.request(token, 'POST', `/api/v1/sharing-tasks/${task.id}/actions/cancel`);
      await client.connection.close();
    }
  });
});
