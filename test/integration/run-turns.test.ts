import assert from 'node:assert/strict';
import { startBouncingSmtp, type TestSmtp } from '../support/bouncing-smtp';
import { chartTaskRequest } from '../support/fixtures';
import { latestFinishedRun, TestService } from '../support/service';

/**
 * Runs past their start take turns, RUN_CONCURRENCY at a time in the order they started: at the
 * top of the hour the first runs finish first rather than every run sharing the database and SMTP
 * and all finishing late together. Here one at a time, against a server that answers each message
 * 1.5 s after it arrived.
 */
describe('runs taking turns past their start (RUN_CONCURRENCY)', function () {
  this.timeout(120_000);
  let smtp: TestSmtp;
  let service: TestService;
  const acceptedAt: number[] = [];
  before(async () => {
    smtp = await startBouncingSmtp(() => false, { acceptDelayMs: 1_500, beforeAccept: () => acceptedAt.push(Date.now()) });
    service = await TestService.start({ SMTP_PORT: String(smtp.port), RUN_CONCURRENCY: '1' });
  });
  after(async () => {
    await service?.stop();
    await smtp?.stop();
  });

  it('with one turn, a second run started beside the first mails only once the first has mailed', async () => {
    const token = service.token({ tenant: 'tenant-turns', userId: 'u' });
    const recipients = ['first-turn@example.com', 'second-turn@example.com'];
    const created = await Promise.all(
      recipients.map((recipient) =>
        service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
          name: `turns ${recipient}`,
          recipients: { emailAddresses: [recipient] },
          executeOnCreation: true,
          scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
        })),
      ),
    );
    for (const response of created) assert.equal(response.status, 201, JSON.stringify(response.body));
    const runs = await Promise.all(created.map((response) => latestFinishedRun(service, token, response.body.id, 60_000)));
    for (const run of runs) assert.equal(run.status, 'successful', JSON.stringify(run.errors));

    assert.deepEqual([...smtp.accepted].sort(), recipients);
    const [firstRcpt, secondRcpt] = smtp.attempts.map((attempt) => attempt.at);
    assert.ok(secondRcpt! >= acceptedAt[0]!, `the second run reached the server ${acceptedAt[0]! - secondRcpt!} ms before the first run's mail was accepted`);
    assert.ok(secondRcpt! - firstRcpt! >= 1_400, `the runs' messages were ${secondRcpt! - firstRcpt!} ms apart, not one after the other`);
  });
});
