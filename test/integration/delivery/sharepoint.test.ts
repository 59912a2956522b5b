import assert from 'node:assert/strict';
import type { SharePointSettings } from '../../../src/deliver/sharepoint';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph';
import { chartTaskRequest } from '../../support/fixtures';
import { attachedFiles, inbox } from '../../support/inbox';
import { eventually, TestService } from '../../support/service';

/** The fixture's chart template, to vary. */
const chartTemplate = (chartTaskRequest().templates as Record<string, unknown>[])[0]!;

const graphEnv = (settings: SharePointSettings) => ({
  SHAREPOINT_GRAPH_URL: settings.graphBaseUrl,
  SHAREPOINT_AUTHORITY_URL: settings.authorityUrl,
  SHAREPOINT_TENANT_ID: settings.tenantId,
  SHAREPOINT_CLIENT_ID: settings.clientId,
  SHAREPOINT_CLIENT_SECRET: settings.clientSecret,
  SHAREPOINT_DRIVE_ID: settings.driveId,
});

/** E-mail and SharePoint in one run, with Graph played by a local fake (Microsoft is out of reach here). */
describe('delivery to SharePoint and e-mail', function () {
  this.timeout(90_000);
  let graph: FakeGraph;
  let service: TestService;
  let token: string;

  before(async () => {
    graph = await startFakeGraph();
    graph.folders.add('Reports');
    graph.folders.add('Reports/Weekly');
    // One attempt may take 3 s here (a local fake answers in milliseconds), so a hung request is given up quickly.
    service = await TestService.start({ ...graphEnv(graph.settings), DELIVERY_TIMEOUT_SECONDS: '3' });
    token = service.token({ tenant: 'tenant-sharepoint', userId: 'u' });
  });
  after(async () => {
    await service?.stop();
    await graph?.close();
  });

  const run = async (overrides: Record<string, unknown>) => {
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
      executeOnCreation: true,
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
      ...overrides,
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return eventually(async () => {
      const latest = await service.request(token, 'GET', `/api/v1/sharing-tasks/${created.body.id}/executions/latest`);
      return latest.body?.endTime ? latest.body : undefined;
    }, 60_000, 'the run to end');
  };

  it('three e-mail recipients get a message each with the attachments, and each file is uploaded once', async () => {
    const recipients = ['sp-one@example.com', 'sp-two@example.com', 'sp-three@example.com'];
    const execution = await run({
      name: 'Weekly to SharePoint',
      recipients: { emailAddresses: recipients },
      transportChannels: ['email', 'sharepoint'],
      sharePointFolder: '/Reports/Weekly',
      templates: [
        { ...chartTemplate, subType: 'pdf', fileName: 'weekly', fileAlias: 'weekly-pdf' },
        { ...chartTemplate, subType: 'xlsx', fileName: 'weekly-data', fileAlias: 'weekly-xlsx' },
      ],
    });
    assert.equal(execution.status, 'successful', JSON.stringify(execution.errors));
    assert.deepEqual([execution.totalCount, execution.successCount], [3, 3]);
    assert.deepEqual([execution.totalUploadCount, execution.successUploadCount, execution.failedUploadCount], [2, 2, 0]);
    for (const recipient of recipients) {
      const messages = await inbox.to(recipient);
      assert.equal(messages.length, 1, recipient);
      assert.deepEqual(attachedFiles(messages[0]!).map((a) => a.filename).sort(), ['weekly-data.xlsx', 'weekly.pdf']);
    }
    assert.deepEqual([...graph.files.keys()].sort(), ['Reports/Weekly/weekly-data.xlsx', 'Reports/Weekly/weekly.pdf']);
    assert.equal(graph.calls.filter((call) => call.startsWith('PUT /v1.0/drives/fake-drive/root:/Reports/Weekly/')).length, 2);
    assert.equal(graph.files.get('Reports/Weekly/weekly.pdf')!.bytes.subarray(0, 4).toString(), '%PDF');
  });

  it('retries Graph\'s 500s as Retry-After says, and uploads the file once', async () => {
    graph.failNext(/^PUT .*retried\.pdf/, [
      { status: 500, headers: { 'retry-after': '1' } },
      { status: 500, headers: { 'retry-after': '1' } },
    ]);
    const execution = await run({
      recipients: { emailAddresses: ['sp-retry@example.com'] },
      transportChannels: ['sharepoint'],
      sharePointFolder: 'Reports',
      templates: [{ ...chartTemplate, fileName: 'retried' }],
    });
    assert.equal(execution.status, 'successful', JSON.stringify(execution.errors));
    assert.equal(graph.calls.filter((call) => call.includes('retried.pdf')).length, 3, 'two 500s, then the upload');
    assert.ok(graph.files.has('Reports/retried.pdf'));
    const elapsed = Date.parse(execution.endTime) - Date.parse(execution.startTime);
    assert.ok(elapsed < 10_000, `Retry-After (1 s) was honoured instead of the 5 s backoff: ${elapsed} ms`);
  });

  /** The upload requests of one file, as the fake received them. */
  const uploadsOf = (fileName: string) => graph.requests.filter((request) => request.method === 'PUT' && request.path.endsWith(`/${fileName}:/content`));

  it('waits as long as a 429\'s Retry-After says, longer than its own backoff, and uploads the file once', async () => {
    graph.failNext(/^PUT .*throttled\.pdf/, [{ status: 429, headers: { 'retry-after': '7' } }]);
    const execution = await run({
      recipients: { emailAddresses: ['sp-throttled@example.com'] },
      transportChannels: ['sharepoint'],
      sharePointFolder: 'Reports',
      templates: [{ ...chartTemplate, fileName: 'throttled' }],
    });
    assert.equal(execution.status, 'successful', JSON.stringify(execution.errors));
    const [throttled, uploaded] = uploadsOf('throttled.pdf');
    assert.equal(uploadsOf('throttled.pdf').length, 2, 'the 429, then the upload');
    const waitedMs = uploaded!.at! - throttled!.at!;
    assert.ok(waitedMs >= 6_500, `retried after ${waitedMs} ms, before the 7 s Graph asked for (the backoff alone would be 5 s)`);
    assert.ok(graph.files.has('Reports/throttled.pdf'));
  });

  it('gives up a request Graph never answers when the attempt\'s time is up, and uploads the file once on the retry', async () => {
    graph.failNext(/^PUT .*unanswered\.pdf/, [{ status: 0, hang: true }]);
    const execution = await run({
      recipients: { emailAddresses: ['sp-hang@example.com'] },
      transportChannels: ['sharepoint'],
      sharePointFolder: 'Reports',
      templates: [{ ...chartTemplate, fileName: 'unanswered' }],
    });
    assert.equal(execution.status, 'successful', JSON.stringify(execution.errors));
    const [hung, uploaded] = uploadsOf('unanswered.pdf');
    assert.equal(uploadsOf('unanswered.pdf').length, 2, 'the unanswered request, then the upload');
    const heldMs = hung!.closedAt! - hung!.at!;
    assert.ok(heldMs < 4_500, `the unanswered request was held ${heldMs} ms, past the 3 s attempt`);
    assert.ok(uploaded!.at! > hung!.closedAt!);
    assert.ok(graph.files.has('Reports/unanswered.pdf'));
  });

  it('a permanent refusal (403) fails the upload after one attempt', async () => {
    graph.failNext(/^PUT .*refused\.pdf/, [{ status: 403, body: { error: { code: 'accessDenied', message: 'Access denied' } } }]);
    const execution = await run({
      recipients: { emailAddresses: ['sp-refused@example.com'] },
      transportChannels: ['sharepoint'],
      sharePointFolder: 'Reports',
      templates: [{ ...chartTemplate, fileName: 'refused' }],
    });
    assert.equal(execution.status, 'failed');
    assert.deepEqual(execution.errors.map((e: { code: string }) => e.code), ['GENERIC_FILE_UPLOAD_ERROR']);
    assert.match(execution.errors[0].message, /403 accessDenied/);
    assert.equal(uploadsOf('refused.pdf').length, 1);
    assert.equal(graph.files.has('Reports/refused.pdf'), false);
  });

  it('a missing folder fails the run with INVALID_SHAREPOINT_DIRECTORY after one look, no retry storm', async () => {
    const before = graph.calls.length;
    const execution = await run({
      recipients: { emailAddresses: ['sp-nofolder@example.com'] },
      transportChannels: ['sharepoint'],
      sharePointFolder: 'Reports/Gone',
    });
    assert.equal(execution.status, 'failed');
    assert.deepEqual(execution.errors.map((e: { code: string }) => e.code), ['INVALID_SHAREPOINT_DIRECTORY']);
    assert.deepEqual(graph.calls.slice(before), ['GET /v1.0/drives/fake-drive/root:/Reports/Gone']);
    const task = await service.request(token, 'GET', `/api/v1/sharing-tasks/${execution.sharingTaskId}`);
    assert.equal(task.body.statusCode, 'INVALID_SHAREPOINT_DIRECTORY');
  });

  it('a second run writing the same file name fails with a clear conflict instead of claiming the other run\'s file', async () => {
    const first = await run({
      recipients: { emailAddresses: ['sp-same@example.com'] },
      transportChannels: ['sharepoint'],
      sharePointFolder: 'Reports',
      templates: [{ ...chartTemplate, fileName: 'same-name' }],
    });
    assert.equal(first.status, 'successful', JSON.stringify(first.errors));
    const original = graph.files.get('Reports/same-name.pdf')!.bytes;
    await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: first.sharingTaskId });
    const second = await eventually(async () => {
      const latest = await service.request(token, 'GET', `/api/v1/sharing-tasks/${first.sharingTaskId}/executions/latest`);
      return latest.body?.id !== first.id && latest.body?.endTime ? latest.body : undefined;
    }, 30_000, 'the second run to end');
    assert.equal(second.status, 'failed');
    const [error] = second.errors;
    assert.equal(error.code, 'GENERIC_FILE_UPLOAD_ERROR');
    assert.match(error.message, /already exists/);
    assert.equal(graph.files.get('Reports/same-name.pdf')!.bytes, original, 'the first run\'s file is untouched');
  });
});
