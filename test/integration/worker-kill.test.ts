import assert from 'node:assert/strict';
import { startBouncingSmtp, type TestSmtp } from '../support/bouncing-smtp';
import { testEnv } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { inbox } from '../support/inbox';
import { startRenderService, type RenderService } from '../support/render-service';
import { eventually, latestFinishedRun, startWorker, TestService } from '../support/service';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const countOf = (list: string[], value: string) => list.filter((entry) => entry === value).length;
const chartTemplate = (chartTaskRequest().templates as Record<string, unknown>[])[0]!;

/** Creates a task that runs once at creation (and then yearly); returns its id. */
async function createRunOnCreation(service: TestService, token: string, overrides: Record<string, unknown>): Promise<string> {
  const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
    executeOnCreation: true,
    scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
    ...overrides,
  }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

/**
 * A worker process killed with SIGKILL at the worst moments: after a step's result was written
 * to MongoDB but before its activity's completion reached Temporal (held back by a proxy on the
 * worker's connection), so Temporal runs that activity again on the next worker. The API and the
 * replacement worker talk to Temporal directly.
 */
describe('a worker killed with SIGKILL', function () {
  this.timeout(120_000);

  describe('mid-render: two of three files stored, the third being rendered', () => {
    let engine: RenderService;
    let service: TestService;
    let worker: WorkerProcess;
    before(async () => {
      const env = testEnv({ RENDER_TIMEOUT_SECONDS: '20', WORKER_STICKY_QUEUE_TIMEOUT: '1s' });
      let hung = false;
      // The first request for the third file never gets an answer: the worker is killed while it waits.
      engine = await startRenderService([], undefined, (request) => request.template.fileAlias === 'part-3' && !hung && (hung = true));
      Object.assign(env, { RENDERER: 'http', RENDER_SERVICE_URL: engine.url });
      service = await TestService.fromEnv(env, { worker: false });
      worker = spawnWorker(env);
    });
    after(async () => {
      await worker?.kill();
      await service?.stop();
      await engine?.close();
    });

    it('goes on on the next worker without rendering the stored files again: one mail per recipient with the three files', async () => {
      const token = service.token({ tenant: 'tenant-render-kill', userId: 'u' });
      const recipients = ['render-kill-1@example.com', 'render-kill-2@example.com'];
      const taskId = await createRunOnCreation(service, token, {
        recipients: { emailAddresses: recipients },
        templates: [1, 2, 3].map((part) => ({ ...chartTemplate, fileName: `part-${part}`, fileAlias: `part-${part}` })),
      });
      const aliases = () => engine.requests.map((request) => request.template.fileAlias!);
      await eventually(async () => (aliases().includes('part-3') ? true : undefined), 60_000, 'the third render to be asked for');
      await worker.kill();
      const execution = await service.stores.executions.latest('tenant-render-kill', taskId);
      assert.deepEqual(execution!.files.map((file) => file.fileAlias), ['part-1', 'part-2'], 'killed mid-render, two files stored');

      service.worker = await startWorker(service.config);
      const run = await latestFinishedRun(service, token, taskId, 90_000);
      assert.equal(run.status, 'successful', JSON.stringify(run.errors));
      assert.deepEqual(
        ['part-1', 'part-2', 'part-3'].map((alias) => countOf(aliases(), alias)),
        [1, 1, 2],
        'the retried run found the stored files and rendered only the third again',
      );
      for (const recipient of recipients) {
        const messages = await inbox.to(recipient);
        assert.equal(messages.length, 1, `${recipient} got ${messages.length} mails`);
        assert.deepEqual(messages[0]!.attachments!.map((a) => a.filename).sort(), ['part-1.pdf', 'part-2.pdf', 'part-3.pdf']);
      }
    });
  });

  describe('after an e-mail was accepted and recorded, before its activity was reported', () => {
    let proxy: TcpProxy;
    let smtp: TestSmtp;
    let service: TestService;
    let worker: WorkerProcess;
    before(async () => {
      const env = testEnv({ DELIVERY_TIMEOUT_SECONDS: '4', WORKER_STICKY_QUEUE_TIMEOUT: '1s' });
      proxy = await startTcpProxy(env.TEMPORAL_ADDRESS!);
      let held = false;
      // The first message is accepted at once; the next two wait until their sender is gone, their retries not.
      smtp = await startBouncingSmtp(() => false, {
        acceptDelayMs: (index) => (index === 1 || index === 2 ? 30_000 : 0),
        beforeAccept: () => {
          if (held) return;
          held = true;
          proxy.pause(); // the worker records the delivery, and Temporal never hears of it
        },
      });
      env.SMTP_PORT = String(smtp.port);
      service = await TestService.fromEnv(env, { worker: false });
      worker = spawnWorker({ ...env, TEMPORAL_ADDRESS: proxy.address });
    });
    after(async () => {
      await worker?.kill();
      await proxy?.close();
      await service?.stop();
      await smtp?.stop();
    });

    it('after a restart the other two get exactly one mail each and the first no second one', async () => {
      const token = service.token({ tenant: 'tenant-kill', userId: 'u' });
      const recipients = ['first-kill@example.com', 'second-kill@example.com', 'third-kill@example.com'];
      const taskId = await createRunOnCreation(service, token, { recipients: { emailAddresses: recipients } });
      const first = await eventually(async () => smtp.accepted[0], 60_000, 'the first mail to be accepted');
      await eventually(async () => {
        const execution = await service.stores.executions.latest('tenant-kill', taskId);
        const entries = execution ? await service.stores.deliveries.forExecution(execution.id) : [];
        return entries.some((entry) => entry.recipient === first && entry.state === 'delivered') ? true : undefined;
      }, 10_000, 'the ledger to record the first delivery');
      await worker.kill();
      assert.deepEqual(smtp.accepted, [first]);

      service.worker = await startWorker(service.config);
      const run = await latestFinishedRun(service, token, taskId, 60_000);
      assert.equal(run.status, 'successful', JSON.stringify(run.errors));
      assert.equal(run.successCount, 3);
      for (const recipient of recipients) {
        assert.equal(countOf(smtp.accepted, recipient), 1, `${recipient} got ${countOf(smtp.accepted, recipient)} mails (first: ${first})`);
      }
    });
  });
});
