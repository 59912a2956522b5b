import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { RunProgress } from '../../src/runs/run-performer';
import { createTemporalClient } from '../../src/temporal/connection';
import { startBouncingSmtp, type TestSmtp } from '../support/bouncing-smtp';
import { testEnv } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, latestFinishedRun, startWorker, TestService } from '../support/service';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const RECIPIENT = 'frozen-holder@example.com';

/** The progress the run's retried attempt (2 or later) last heartbeated, once there is one. */
async function retryProgress(client: Client, workflowId: string): Promise<RunProgress | undefined> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  const run = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'performRun');
  const [details] = run?.heartbeatDetails?.payloads ?? [];
  return run && (run.attempt ?? 0) >= 2 && details ? defaultPayloadConverter.fromPayload<RunProgress>(details) : undefined;
}

/**
 * A worker frozen (SIGSTOP) after it claimed a delivery and sent the message, before it read the
 * server's answer and recorded the delivery: the engine gives its attempt up after the heartbeat
 * timeout and retries it on another worker, while the frozen one is alive and will finish its
 * send when it wakes. The retry must not send next to it.
 */
describe('a worker frozen with SIGSTOP in the middle of a delivery', function () {
  this.timeout(180_000);
  let smtp: TestSmtp;
  let service: TestService;
  let client: Client;
  let frozen: WorkerProcess;

  before(async () => {
    // A send may take 60 s, longer than the freeze: no timer of the frozen send runs out while it
    // is stopped. A silent attempt is given up after 10 s. The claim's lease: 60 s + 10 s.
    const env = testEnv({ DELIVERY_TIMEOUT_SECONDS: '60', RUN_HEARTBEAT_TIMEOUT_SECONDS: '10', WORKER_STICKY_QUEUE_TIMEOUT: '1s' });
    smtp = await startBouncingSmtp(() => false, {
      // The server has the whole first message and answers 250 to a stopped process.
      beforeAccept: () => {
        if (smtp.accepted.length === 0) frozen.freeze();
      },
    });
    env.SMTP_PORT = String(smtp.port);
    service = await TestService.fromEnv(env, { worker: false });
    client = createTemporalClient(service.config.temporal);
    // One activity slot: busy with the frozen run, the worker has no poll open that could swallow the retry.
    frozen = spawnWorker({ ...env, WORKER_MAX_CONCURRENT_ACTIVITIES: '1' });
  });
  after(async () => {
    await frozen?.kill();
    await client?.connection.close();
    await service?.stop();
    await smtp?.stop();
  });

  it('the retry on another worker waits for the claim instead of sending next to it: one mail, the run successful', async () => {
    const token = service.token({ tenant: 'tenant-frozen', userId: 'u' });
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
      recipients: { emailAddresses: [RECIPIENT] },
      executeOnCreation: true,
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const taskId = created.body.id;
    await eventually(async () => (smtp.accepted.length > 0 ? true : undefined), 60_000, 'the first worker\'s message to be accepted');
    const execution = (await service.stores.executions.latest('tenant-frozen', taskId))!;
    const [claim] = await service.stores.deliveries.forExecution(execution.id);
    assert.equal(claim?.state, 'claimed', 'frozen before it recorded the delivery');

    service.worker = await startWorker(service.config);
    // The retry starts after the heartbeat timeout (10 s) and the backoff (5 s). Waiting, it says so in its heartbeat; not waiting, it sends.
    const seen = await eventually(async () => {
      if (smtp.accepted.length > 1) return 'the retry sent';
      return (await retryProgress(client, execution.workflowID!))?.waiting ? 'the retry waited' : undefined;
    }, 60_000, 'the retry to wait for the frozen claim (or send)');

    frozen.thaw();
    await eventually(async () => (smtp.connections[0]?.closedAt ? true : undefined), 30_000, 'the woken worker to end its SMTP session');
    await frozen.kill();

    const run = await latestFinishedRun(service, token, taskId, 60_000);
    const mails = smtp.accepted.filter((recipient) => recipient === RECIPIENT).length;
    assert.equal(mails, 1, `${RECIPIENT} got ${mails} mails (${seen})`);
    assert.equal(run.status, 'successful', JSON.stringify(run.errors));
    assert.equal(run.successCount, 1);
    assert.equal(seen, 'the retry waited');
    assert.equal(smtp.connections.length, 1, 'the retry reported the woken worker\'s delivery without connecting');
  });
});
