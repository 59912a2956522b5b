import assert from 'node:assert/strict';
import { FileLinkSigner } from '../../../src/auth/file-link-signature';
import { chartTaskRequest } from '../../support/fixtures';
import { inbox, type InboxMessage } from '../../support/inbox';
import { eventually, latestFinishedRun, TestService } from '../../support/service';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The MIME parts of a raw message: each part's headers (lower-case names) and its body, nested multiparts flattened. */
function mimeParts(raw: string): { headers: Record<string, string>; body: string }[] {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of head!.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = rest.join('\n\n');
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return [{ headers, body }];
  const inner = body.split(`--${boundary}`).slice(1, -1).map((part) => part.replace(/^\r?\n/, ''));
  return [{ headers, body: '' }, ...inner.flatMap(mimeParts)];
}

/** The signed file links of a message's text part, in order. */
function linksOf(message: Pick<InboxMessage, 'text'>): string[] {
  return [...(message.text ?? '').matchAll(/https?:\/\/\S+\/files\/\S+/g)].map(([url]) => url);
}

let apiUrl = '';

/**
 * Opens a link as a recipient's browser would, on the test API: the worker writes links on its
 * configured base (PUBLIC_BASE_URL, here unset), and a test API listens on a port of its own.
 */
async function open(link: string): Promise<{ status: number; type: string; body: Buffer }> {
  const url = new URL(link);
  const response = await fetch(`${apiUrl}${url.pathname}${url.search}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
}

/** What a recipient gets: a mail whose links open the file without a token, and an HTML part showing the chart. */
describe('mail recipients: signed file links and the HTML part', function () {
  this.timeout(120_000);
  let service: TestService;
  let token: string;
  const recipient = 'link-reader@example.com';
  let taskId: string;
  let first: InboxMessage;

  before(async () => {
    service = await TestService.start({ FILE_LINK_TTL_SECONDS: '3600' });
    apiUrl = service.api.url;
    token = service.token({ tenant: 'tenant-links', userId: 'owner' });
    const created = await service.request(
      token,
      'POST',
      '/api/v1/sharing-tasks',
      chartTaskRequest({ recipients: { emailAddresses: [recipient] }, executeOnCreation: true, retentionPolicy: { historySize: 1 } }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    taskId = created.body.id;
    first = await eventually(async () => (await inbox.to(recipient))[0], 60_000, 'the creation run\'s e-mail');
    await latestFinishedRun(service, token, taskId, 30_000);
  });
  after(() => service?.stop());

  it('a valid link opens the file without a token: the same bytes the API serves', async () => {
    const [link] = linksOf(first);
    assert.ok(link, first.text);
    assert.match(new URL(link).pathname, new RegExp(`^/files/tenant-links/${taskId}/[^/]+/report-1$`));
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
      link!.replace('/tenant-links/', '/tenant-other/'),
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
    const opened = await open(`http://recipient.example/files/tenant-links/${taskId}/${run.id}/report-1?expires=${expires}&signature=${signature}`);
    assert.equal(opened.status, 410);
    assert.match(opened.body.toString(), /This link has expired/);
  });

  it('the HTML part shows the first chart inline: a cid: image whose part is a PNG, next to the text part', async () => {
    const parts = mimeParts(await inbox.source(first));
    const typeOf = (part: (typeof parts)[number]) => part.headers['content-type'] ?? '';
    assert.ok(parts.some((part) => /^multipart\/alternative/.test(typeOf(part))), 'text and HTML are alternatives');
    const text = parts.find((part) => /^text\/plain/.test(typeOf(part)));
    const htmlPart = parts.find((part) => /^text\/html/.test(typeOf(part)));
    assert.ok(text && htmlPart, parts.map(typeOf).join(', '));
    const decode = (part: (typeof parts)[number]) =>
      /base64/i.test(part.headers['content-transfer-encoding'] ?? '')
        ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : part.body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    assert.match(decode(text), /Attached: this week\./);
    assert.match(decode(htmlPart), /<img src="cid:chart@sharing-tasks"/);
    const image = parts.find((part) => part.headers['content-id'] === '<chart@sharing-tasks>');
    assert.ok(image, 'a part with Content-ID <chart@sharing-tasks>');
    assert.match(typeOf(image), /^image\/png/);
    const png = Buffer.from(image.body.replace(/\s+/g, ''), 'base64');
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.ok(png.length > 1000, `${png.length} bytes`);
    assert.ok(parts.some((part) => /^application\/pdf/.test(typeOf(part))), 'the PDF is still attached');
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
