import type { Client } from '@temporalio/client';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startTemporalDevServer, type TemporalService } from '../../scripts/stack/services';
import { occurrencesUntil } from '../../src/schedule';
import type { ExecutionRecord } from '../../src/sharing-tasks/execution-record';
import { taskControlOf } from '../../src/sharing-tasks/task-control';
import { createTemporalClient } from '../../src/temporal/connection';
import { TaskWorkflows } from '../../src/temporal/task-workflows';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TENANT = 'tenant-temporal-restart';
const at = (instant: string) => Date.parse(instant);

/** The occurrences an execution stands for: its own, and for a catch-up run the ones it collapsed after it. */
function coveredBy(execution: ExecutionRecord & { missedOccurrences?: number }, all: number[]): number[] {
  const first = all.indexOf(at(execution.eventTime));
  assert.ok(first >= 0, `${execution.trigger} run at ${execution.eventTime} is not an occurrence of the rule`);
  return all.slice(first, first + 1 + (execution.missedOccurrences ?? 0));
}

/**
 * The Temporal dev server (its own, on its own SQLite file) killed with SIGKILL while a task's
 * workflow sleeps on its timer, and started again on the same file and port: the worker and the
 * API reconnect, the timer fires, and what came due meanwhile runs once. (Killed while a run is in
 * flight instead, the overdue occurrences meet that run and are skipped, as any occurrence due
 * during a run is.)
 */
describe('a Temporal server killed and restarted on its database', function () {
  this.timeout(180_000);
  let dataDir: string;
  let options: Parameters<typeof startTemporalDevServer>[0];
  let temporal: TemporalService;
  let service: TestService;
  let client: Client;
  let workflows: TaskWorkflows;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sharing-tasks-temporal-'));
    options = { dataDir, log: 'file', reuse: false, port: await freePort(), uiPort: await freePort() };
    temporal = await startTemporalDevServer(options);
    service = await TestService.start({ TEMPORAL_ADDRESS: temporal.address, MIN_SCHEDULE_INTERVAL_SECONDS: '1', LOG_LEVEL: 'error' });
    client = createTemporalClient(service.config.temporal);
    workflows = new TaskWorkflows(client, service.config.temporal.taskQueue);
  });
  after(async () => {
    await client?.connection.close();
    await service?.stop();
    await temporal?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const executions = async (taskId: string) =>
    (await service.stores.executions.list(TENANT, taskId, { sortDirection: 1, limit: 200, offset: 0 })).executions as (ExecutionRecord & {
      missedOccurrences?: number;
    })[];

  it('loses no occurrence: those due while it was down fire once, as one catch-up run, and the schedule goes on', async () => {
    const token = service.token({ tenant: TENANT, userId: 'u' });
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
      recipients: { emailAddresses: ['temporal-restart@example.com'] },
      retentionPolicy: { historySize: 100 }, // every run stays on the record
      scheduleOptions: { timezone: 'UTC', recurrence: ['RRULE:FREQ=SECONDLY;INTERVAL=4'] },
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body;

    // Two runs done, none going and the next occurrence not imminent: the workflow sleeps on its timer.
    await eventually(async () => {
      const runs = await executions(task.id);
      if (runs.filter((e) => e.status === 'successful').length < 2) return undefined;
      const status = await workflows.status(task);
      const sleepsFor = status?.nextOccurrence ? at(status.nextOccurrence) - Date.now() : 0;
      return !status?.currentRun && status?.pending.length === 0 && sleepsFor > 1_500 ? true : undefined;
    }, 30_000, 'two runs on the schedule, then the workflow asleep');
    const killedAt = Date.now();
    await temporal.kill!();
    await temporal.stop();
    await sleep(10_000); // two or three occurrences come due with no server
    temporal = await startTemporalDevServer(options);
    const restartedAt = Date.now();

    const catchUp = await eventually(async () => (await executions(task.id)).find((e) => e.trigger === 'catch-up' && e.endTime), 60_000, 'the catch-up run');
    assert.equal(catchUp.status, 'successful', JSON.stringify(catchUp.errors));
    const runs = await eventually(async () => {
      const all = await executions(task.id);
      return all.filter((e) => e.trigger === 'scheduled' && at(e.eventTime) > restartedAt && e.endTime).length >= 2 ? all : undefined;
    }, 30_000, 'the schedule to go on after the restart');
    console.log(`      catch-up for ${1 + (catchUp.missedOccurrences ?? 0)} occurrences, ${at(catchUp.startTime) - restartedAt} ms after the server was back`);

    const duringOutage = runs.filter((e) => at(e.eventTime) > killedAt && at(e.eventTime) < restartedAt && e.status !== 'invalid');
    assert.deepEqual(duringOutage.map((e) => e.trigger), ['catch-up'], 'one run for the whole outage');
    assert.ok(catchUp.missedOccurrences! >= 1, JSON.stringify(catchUp));

    // Every occurrence from the first run to the last is accounted for, once: its own run, a skipped
    // record, or collapsed into the catch-up run.
    const schedule = taskControlOf(task).schedule!;
    const first = runs[0]!.eventTime;
    const last = runs[runs.length - 1]!.eventTime;
    const all = [at(first), ...occurrencesUntil(schedule, new Date(first), new Date(last), 1_000, new Date(task.dateCreated)).map((d) => d.getTime())];
    const covered = runs.flatMap((e) => coveredBy(e, all)).sort((a, b) => a - b);
    assert.deepEqual(covered.map((t) => new Date(t).toISOString()), all.map((t) => new Date(t).toISOString()));
  });
});
