import assert from 'node:assert/strict';
import { freePort } from '../../../scripts/stack/process';
import { startBouncingSmtp, type TestSmtp } from '../../support/bouncing-smtp';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, latestFinishedRun, TestService } from '../../support/service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** Deliveries survive what goes wrong around them: an SMTP outage, a busy or silent server, a run past its deadline. */
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

  describe('an SMTP server that answers 451 (try again later) the first time', () => {
    let smtp: TestSmtp;
    let service: TestService;
    before(async () => {
      smtp = await startBouncingSmtp(() => false, { temporarilyRefused: (_address, attempt) => attempt === 1 });
      service = await TestService.start({ SMTP_PORT: String(smtp.port) });
    });
    after(async () => {
      await service?.stop();
      await smtp?.stop();
    });

    it('is tried again after the backoff (5 s), and the mail is delivered once', async () => {
      const token = service.token({ tenant: 'tenant-greylist', userId: 'u' });
      const taskId = await createRunOnCreation(service, token, ['greylisted@example.com']);
      const run = await latestFinishedRun(service, token, taskId, 30_000);
      assert.equal(run.status, 'successful', JSON.stringify(run.errors));
      assert.deepEqual(smtp.attempts.map((a) => a.answer), [451, 250]);
      const waitedMs = smtp.attempts[1]!.at - smtp.attempts[0]!.at;
      assert.ok(waitedMs >= 4_500, `tried again after ${waitedMs} ms`);
      assert.deepEqual(smtp.accepted, ['greylisted@example.com']);
    });
  });

  describe('an SMTP server that never answers a message', () => {
    let smtp: TestSmtp;
    let service: TestService;
    before(async () => {
      // The first message gets no answer at all; the retry is accepted.
      smtp = await startBouncingSmtp(() => false, { acceptDelayMs: (index) => (index === 0 ? 120_000 : 0) });
      service = await TestService.start({ SMTP_PORT: String(smtp.port), DELIVERY_TIMEOUT_SECONDS: '2' });
    });
    after(async () => {
      await service?.stop();
      await smtp?.stop();
    });

    it('hangs up when the attempt\'s time (DELIVERY_TIMEOUT_SECONDS) is up, and the retry delivers once', async () => {
      const token = service.token({ tenant: 'tenant-smtp-hang', userId: 'u' });
      const taskId = await createRunOnCreation(service, token, ['unanswered@example.com']);
      const run = await latestFinishedRun(service, token, taskId, 30_000);
      assert.equal(run.status, 'successful', JSON.stringify(run.errors));
      assert.equal(smtp.attempts.length, 2);
      assert.deepEqual(smtp.accepted, ['unanswered@example.com'], 'the unanswered message is not delivered, the retry is');
      assert.equal(smtp.abandoned.length, 1, 'the worker hung up on the silent server');
      const heldMs = smtp.abandoned[0]!.closedAt - smtp.abandoned[0]!.sentAt;
      assert.ok(heldMs < 3_500, `the connection was held ${heldMs} ms after the message, past the 2 s attempt`);
    });
  });

  describe('an SMTP server that takes the connection and never says a word', () => {
    let smtp: TestSmtp;
    let service: TestService;
    before(async () => {
      // The first connection is never greeted; later ones are served at once.
      smtp = await startBouncingSmtp(() => false, { beforeGreeting: (index) => (index === 0 ? new Promise<void>(() => undefined) : undefined) });
      service = await TestService.start({ SMTP_PORT: String(smtp.port), DELIVERY_TIMEOUT_SECONDS: '3' });
    });
    after(async () => {
      await service?.stop();
      await smtp?.stop();
    });

    it('gives the send up within DELIVERY_TIMEOUT_SECONDS, releases its claim, and the retry delivers once without waiting for the lease', async () => {
      const token = service.token({ tenant: 'tenant-smtp-mute', userId: 'u' });
      const taskId = await createRunOnCreation(service, token, ['mute@example.com']);
      const run = await latestFinishedRun(service, token, taskId, 60_000);
      assert.equal(run.status, 'successful', JSON.stringify(run.errors));
      assert.deepEqual(smtp.accepted, ['mute@example.com']);
      const [silent, retry] = smtp.connections;
      assert.ok(silent?.closedAt !== undefined && retry !== undefined, JSON.stringify(smtp.connections));
      const heldMs = silent.closedAt - silent.openedAt;
      assert.ok(heldMs < 3_000 + 1_500, `the silent connection was held ${heldMs} ms, past the 3 s send`);
      // Released, the claim is taken over after the retry's 5 s backoff; kept, the retry would wait out its lease (3 s + the 30 s heartbeat timeout).
      const retriedAfterMs = retry.openedAt - silent.closedAt;
      assert.ok(retriedAfterMs < 20_000, `the retry connected ${retriedAfterMs} ms after the first send gave up`);
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
