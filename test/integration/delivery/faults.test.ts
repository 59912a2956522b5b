import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../../scripts/stack/process';
import { startBouncingSmtp, type TestSmtp } from '../../support/bouncing-smtp';
import { testEnv } from '../../support/env';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, startWorker, TestService } from '../../support/service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const countOf = (list: string[], value: string) => list.filter((entry) => entry === value).length;

async function latestFinishedRun(service: TestService, token: string, taskId: string, timeoutMs: number) {
  return eventually(async () => {
    const latest = await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}/executions/latest`);
    return latest.status === 200 && latest.body.endTime ? latest.body : undefined;
  }, timeoutMs, 'the run to end');
}

/** Creates a task that runs once at creation (and then yearly), for the given recipients; returns its id. */
async function createRunOnCreation(service: TestService, token: string, emailAddresses: string[]): Promise<string> {
  const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
    recipients: { emailAddresses },
    executeOnCreation: true,
    scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
  }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

/** Deliveries survive what goes wrong around them: an SMTP outage, a worker killed mid-run. */
describe('delivery faults', function () {
  this.timeout(120_000);

  describe('an SMTP server that is down when the run starts', () => {
    let smtp: TestSmtp | undefined;
    let service: TestService;
    let smtpPort: number;
    before(async () => {
      smtpPort = await freePort();
      service = await TestService.start({ SMTP_PORT: String(smtpPort) });
    });
    after(async () => {
      await service?.stop();
      await smtp?.stop();
    });

    it('is retried until it is back, and the mail is delivered once', async () => {
      const token = service.token({ tenant: 'tenant-outage', userId: 'u' });
      const taskId = await createRunOnCreation(service, token, ['outage@example.com']);
      await eventually(async () => {
        const latest = await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}/executions/latest`);
        return latest.body?.status === 'in-progress' ? true : undefined;
      }, 20_000, 'the run to start');
      await sleep(2_000); // the first attempt meets a closed port
      const downFor = Date.now();
      smtp = await startBouncingSmtp(() => false, { port: smtpPort });

      const run = await latestFinishedRun(service, token, taskId, 60_000);
      assert.equal(run.status, 'successful', JSON.stringify(run.errors));
      assert.deepEqual(smtp.accepted, ['outage@example.com']);
      assert.ok(Date.parse(run.endTime) >= downFor, 'delivered only after the server came back');
    });
  });

  describe('a worker killed right after the first of three e-mails was accepted', () => {
    let smtp: TestSmtp;
    let service: TestService;
    let workerProcess: ChildProcess | undefined;
    before(async () => {
      // The first message is accepted at once; the others wait until their sender is gone.
      smtp = await startBouncingSmtp(() => false, { acceptDelayMs: (index) => (index === 1 || index === 2 ? 30_000 : 0) });
      const env = testEnv({ SMTP_PORT: String(smtp.port), DELIVERY_TIMEOUT_SECONDS: '4', WORKER_STICKY_QUEUE_TIMEOUT: '1s' });
      service = await TestService.fromEnv(env, { worker: false });
      workerProcess = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    });
    after(async () => {
      workerProcess?.kill('SIGKILL');
      await service?.stop();
      await smtp?.stop();
    });

    it('after a restart the other two get exactly one mail each and the first no second one', async () => {
      const token = service.token({ tenant: 'tenant-kill', userId: 'u' });
      const recipients = ['first-kill@example.com', 'second-kill@example.com', 'third-kill@example.com'];
      const taskId = await createRunOnCreation(service, token, recipients);
      await eventually(async () => (smtp.accepted.length > 0 ? true : undefined), 60_000, 'the first mail to be accepted');
      await sleep(100); // the worker records the delivery in the ledger right after the server's acceptance
      workerProcess!.kill('SIGKILL');
      await new Promise((resolve) => workerProcess!.once('exit', resolve));
      const firstAccepted = smtp.accepted[0]!;
      assert.equal(smtp.accepted.length, 1);

      service.worker = await startWorker(service.config);
      const run = await latestFinishedRun(service, token, taskId, 60_000);
      assert.equal(run.status, 'successful', JSON.stringify(run.errors));
      assert.equal(run.successCount, 3);
      for (const recipient of recipients) {
        assert.equal(countOf(smtp.accepted, recipient), 1, `${recipient} got ${countOf(smtp.accepted, recipient)} mails (first: ${firstAccepted})`);
      }
    });
  });

  describe('a run that outlives RUN_TIMEOUT_SECONDS', () => {
    let smtp: TestSmtp;
    let service: TestService;
    before(async () => {
      // The first message is accepted at once; the second takes longer than the run may, and its
      // abandoned attempt finishes on its own afterwards.
      smtp = await startBouncingSmtp(() => false, { acceptDelayMs: (index) => (index === 0 ? 0 : 15_000) });
      service = await TestService.start({ SMTP_PORT: String(smtp.port), RUN_TIMEOUT_SECONDS: '10' });
    });
    after(async () => {
      await service?.stop();
      await smtp?.stop();
    });

    it('is stopped and fails with EXECUTION_TIME_OUT, recording the delivery it made before', async () => {
      const token = service.token({ tenant: 'tenant-timeout', userId: 'u' });
      const taskId = await createRunOnCreation(service, token, ['fast@example.com', 'slow@example.com']);
      const run = await latestFinishedRun(service, token, taskId, 30_000);
      assert.equal(run.status, 'failed');
      assert.deepEqual(run.errors.map((e: { code: string }) => e.code), ['EXECUTION_TIME_OUT']);
      const delivered = run.recipients.filter((r: { status: string }) => r.status === 'delivered').map((r: { recipient: string }) => r.recipient);
      assert.deepEqual(delivered, [smtp.accepted[0]], 'the mail accepted before the deadline is on the record');
      assert.equal(run.successCount, 1);
      const elapsed = Date.parse(run.endTime) - Date.parse(run.startTime);
      assert.ok(elapsed >= 10_000 && elapsed < 20_000, `ended after ${elapsed} ms`);
      assert.equal((await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}`)).body.statusCode, 'EXECUTION_TIME_OUT');
    });
  });

  describe('retention', () => {
    let smtp: TestSmtp;
    let service: TestService;
    before(async () => {
      smtp = await startBouncingSmtp(() => false);
      service = await TestService.start({ SMTP_PORT: String(smtp.port) });
    });
    after(async () => {
      await service?.stop();
      await smtp?.stop();
    });

    it('keeps historySize executions with their files and deletes the older ones', async () => {
      const token = service.token({ tenant: 'tenant-retention', userId: 'u' });
      const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
        retentionPolicy: { historySize: 3 },
        scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
      }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id;
      const runIds: string[] = [];
      for (let run = 0; run < 5; run++) {
        await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: id });
        const finished = await eventually(async () => {
          const latest = await service.request(token, 'GET', `/api/v1/sharing-tasks/${id}/executions/latest`);
          return latest.body?.endTime && !runIds.includes(latest.body.id) ? latest.body : undefined;
        }, 30_000, `run ${run + 1} to end`);
        runIds.push(finished.id);
      }

      // Retention follows the run's final record, so the last run's trimming may still be under way.
      const kept = await eventually(async () => {
        const list = await service.request(token, 'GET', `/api/v1/sharing-tasks/${id}/executions?limit=200`);
        return list.body.totalCount === 3 ? list.body.executions.map((e: { id: string }) => e.id) : undefined;
      }, 10_000, 'three executions to remain');
      assert.deepEqual(kept.sort(), runIds.slice(2).sort());
      const fileStatus = async (executionId: string) =>
        (await service.request(token, 'GET', `/api/v1/sharing-tasks/${id}/executions/${executionId}/files/report-1`)).status;
      assert.deepEqual(await Promise.all(runIds.map(fileStatus)), [404, 404, 200, 200, 200]);
    });
  });
});
