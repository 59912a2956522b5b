import assert from 'node:assert/strict';
import { FileLinkSigner } from '../../../src/auth/file-link-signature';
import { chartTaskRequest } from '../../support/fixtures';
import { inbox, type InboxMessage } from '../../support/inbox';
import { eventually, latestFinishedRun, TestService } from '../../support/service';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type MaildevMessage = InboxMessage & {
  html?: string;
  attachments?: (NonNullable<InboxMessage['attachments']>[number] & { contentId?: string; cid?: string; contentDisposition?: string })[];
};

/** The signed file links of a message's text part, in order. */
function linksOf(message: InboxMessage): string[] {
  return [...(message.text ?? '').matchAll(/https?:\/\/\S+\/files\/\S+/g)].map(([url]) => url);
}

async function open(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
}

/** What a recipient gets: a mail whose links open the file without a token, and an HTML part showing the chart. */
describe('mail recipients: signed file links and the HTML part', function () {
  this.timeout(120_000);
  let service: TestService;
  let token: string;
  const recipient = 'link-reader@example.com';
  let taskId: string;
  let first: MaildevMessage;

  before(async () => {
    service = await TestService.start({ FILE_LINK_TTL_SECONDS: '3600' });
    token = service.token({ tenant: 'tenant-links', userId: 'owner' });
    const created = await service.request(
      token,
      'POST',
      '/api/v1/sharing-tasks',
      chartTaskRequest({ recipients: { emailAddresses: [recipient] }, executeOnCreation: true, retentionPolicy: { historySize: 1 } }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    taskId = created.body.id;
    first = (await eventually(async () => (await inbox.to(recipient))[0], 60_000, 'the creation run\'s e-mail')) as MaildevMessage;
    await latestFinishedRun(service, token, taskId, 30_000);
  });
  after(() => service?.stop());

  it('a valid link opens the file without a token: the same bytes the API serves', async () => {
    const [link] = linksOf(first);
    assert.ok(link, first.text);
    assert.ok(link.startsWith(`${service.api.url}/files/tenant-links/${taskId}/`), link);
    const opened = await open(link);
    assert.equal(opened.status, 200);
    assert.equal(opened.type, 'application/pdf');
    const run = await latestFinishedRun(service, token, taskId, 5_000);
    const fromApi = await fetch(`${service.api.url}/api/v1/sharing-tasks/${taskId}/executions/${run.id}/files/${run.files[0].fileAlias}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.deepEqual(opened.body, Buffer.from(await fromApi.arrayBuffer()));
  });

  it('a tampered link (another file, a later expiry, a changed signature) is a clear page, 403', async () => {
    const [link] = linksOf(first);
    const url = new URL(link!);
    const variants = [
      link!.replace(/\/report-1\?/, '/report-2?'),
      link!.replace(/expires=(\d+)/, (_m, at: string) => `expires=${Number(at) + 86400}`),
      `${url.origin}${url.pathname}?expires=${url.searchParams.get('expires')}&signature=${'A'.repeat(43)}`,
      `${url.origin}${url.pathname}`,
    ];
    for (const variant of variants) {
      const opened = await open(variant);
      assert.equal(opened.status, 403, variant);
      assert.match(opened.type, /^text\/html/);
      assert.match(opened.body.toString(), /This link is not valid/);
    }
  });

  it('an expired link is a page saying so, 410', async () => {
    const run = await latestFinishedRun(service, token, taskId, 5_000);
    const signer = new FileLinkSigner(service.config.fileLinks);
    const madeLongAgo = new Date(Date.now() - (service.config.fileLinks.ttlSeconds + 60) * 1000);
    const { expires, signature } = signer.sign({ tenant: 'tenant-links', taskId, executionId: run.id, fileAlias: 'report-1' }, madeLongAgo);
    const opened = await open(`${service.api.url}/files/tenant-links/${taskId}/${run.id}/report-1?expires=${expires}&signature=${signature}`);
    assert.equal(opened.status, 410);
    assert.match(opened.body.toString(), /This link has expired/);
  });

  it('the HTML part shows the first chart inline: a cid: image whose part is a PNG, next to the text part', async () => {
    assert.ok(first.text?.includes('Attached: this week.'), 'the plain text part is there');
    assert.match(first.html ?? '', /<img src="cid:chart@sharing-tasks"/);
    const inline = first.attachments?.find((a) => (a.contentId ?? a.cid ?? '').includes('chart@sharing-tasks'));
    assert.ok(inline, JSON.stringify(first.attachments));
    assert.equal(inline.contentType, 'image/png');
    const bytes = await inbox.attachment(first, inline.generatedFileName ?? inline.fileName ?? 'chart.png');
    assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE);
    assert.ok(bytes.length > 1000, `${bytes.length} bytes`);
  });

  it('a link to a run that retention removed is a page saying why, 410', async () => {
    const [oldLink] = linksOf(first);
    const firstRun = await latestFinishedRun(service, token, taskId, 5_000);
    assert.equal((await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: taskId })).status, 204);
    await eventually(async () => {
      const latest = await latestFinishedRun(service, token, taskId, 30_000);
      const gone = (await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}/executions/${firstRun.id}`)).status === 404;
      return latest.id !== firstRun.id && gone ? true : undefined;
    }, 60_000, 'the second run to replace the first (historySize 1)');
    const opened = await open(oldLink!);
    assert.equal(opened.status, 410);
    assert.match(opened.body.toString(), /no longer kept/);
    assert.match(opened.body.toString(), /retention/);
  });
});
