import assert from 'node:assert/strict';
import { eventually, TestService } from '../support/service';
import { chartTaskRequest } from '../support/fixtures';
import { attachedFiles, inbox, messageIdOf } from '../support/inbox';
import { readPdf } from '../support/pdf';

/**
 * The foundation's vertical slice on the real stack: created over the API, driven by its own
 * Temporal workflow on a short real interval, rendered to a real PDF, e-mailed over SMTP, recorded.
 */
describe('a sharing task end to end', function () {
  this.timeout(120_000);
  let service: TestService;
  let token: string;

  before(async () => {
    // A short real interval: the minimum-interval rule is lowered for this suite only.
    service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1' });
    token = service.token({ tenant: 'tenant-e2e', userId: 'owner-1', userName: 'Olive Owner', timezone: 'Europe/Paris' });
  });
  after(async () => service?.stop());

  it('runs at creation and on its schedule: two e-mails with a readable PDF, recorded on the task', async () => {
    const recipient = `e2e-${Date.now()}@example.com`;
    const created = await service.request(
      token,
      'POST',
      '/api/v1/sharing-tasks',
      chartTaskRequest({
        recipients: { emailAddresses: [recipient] },
        executeOnCreation: true,
        scheduleOptions: { timezone: 'Europe/Paris', recurrence: ['RRULE:FREQ=SECONDLY;INTERVAL=6'] },
      }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body;
    assert.match(task.id, /^[0-9a-f]{24}$/);
    assert.equal(task.tenant, 'tenant-e2e');
    assert.equal(task.owner, 'owner-1');
    assert.equal(task.enabled, true);
    assert.equal(task.scheduleOptions.chronosJobID, `sharing-task-tenant-e2e-${task.id}`);
    assert.ok(task.nextScheduledRun, 'the create response says when the task runs next');
    assert.equal(task.links.self.href, `${service.api.url}/api/v1/sharing-tasks/${task.id}`);

    const messages = await eventually(
      async () => {
        const received = await inbox.to(recipient);
        return received.length >= 2 ? received : undefined;
      },
      60_000,
      'two e-mails (creation + one occurrence)',
    );
    for (const message of messages) {
      assert.equal(message.subject, 'Your weekly sales');
      assert.equal(attachedFiles(message).length, 1);
      const attachment = attachedFiles(message)[0]!;
      assert.equal(attachment.contentType, 'application/pdf');
      const pdf = await readPdf(await inbox.attachment(message, attachment.generatedFileName ?? attachment.fileName!));
      assert.equal(pdf.pages, 1);
      assert.match(pdf.text, /Sales by region/);
      assert.match(pdf.text, /North/);
    }
    const messageIds = messages.map(messageIdOf);
    assert.ok(messageIds.every(Boolean), 'every message carries its deterministic Message-ID');
    assert.notEqual(messageIds[0], messageIds[1], 'two runs, two distinct messages');

    const fetched = await eventually(
      async () => {
        const response = await service.request(token, 'GET', `/v1/sharing-tasks/${task.id}`);
        return response.body.lastExecutionDate ? response : undefined;
      },
      20_000,
      'the task to record its last execution',
    );
    assert.equal(fetched.status, 200);
    assert.ok(Date.parse(fetched.body.lastRun) >= Date.parse(task.dateCreated));
    // lastRun may already be the start of the next run (every 6 s), still in progress: not before the first one ended.
    assert.ok(Date.parse(fetched.body.lastExecutionDate) >= Date.parse(task.dateCreated));
    assert.ok(Date.parse(fetched.body.nextScheduledRun) > Date.parse(task.nextScheduledRun) - 1);
    assert.equal(fetched.body.statusCode, 'OK');
    const [fileUrl] = fetched.body.latestExecutionFilesURL;
    const listed = await service.request(token, 'GET', '/v1/sharing-tasks');
    const listItem = listed.body.sharingTasks.find((item: { id: string }) => item.id === task.id);
    // the schedule may have started a newer run meanwhile, so the item links a run's file, not necessarily the same one
    assert.match(listItem.latestExecutionFilesURL[0], new RegExp(`/v1/sharing-tasks/${task.id}/executions/[^/]+/files/report-1$`));
    assert.match(fileUrl, /\/executions\/[^/]+\/files\/report-1$/);
    const file = await fetch(fileUrl, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.match(file.headers.get("content-disposition") ?? "", /^attachment; filename="?sales\.pdf"?$/);
    assert.match((await readPdf(new Uint8Array(await file.arrayBuffer()))).text, /Sales by region/);
    const latest = await service.request(token, 'GET', new URL(fetched.body.latestExecutionURL).pathname);
    assert.equal(latest.status, 200);
    assert.equal(latest.body.status, 'successful');
    assert.equal(latest.body.successCount, 1);
    assert.equal(latest.body.snapshot, undefined, 'internal fields stay internal');
    assert.equal(fetched.body.failedExecutionsCount, 0);
  });
});
