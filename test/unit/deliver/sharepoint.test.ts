import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { drivePath, retryAfterMs, SharePointDeliveryError, SharePointUploader } from '../../../src/deliver/sharepoint';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph';

async function rejection(work: Promise<unknown>): Promise<SharePointDeliveryError> {
  const error = await work.then(
    () => assert.fail('expected the upload to fail'),
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof SharePointDeliveryError, String(error));
  return error;
}

describe('SharePoint uploads through Microsoft Graph (against a local fake of Graph)', () => {
  let graph: FakeGraph;
  beforeEach(async () => {
    graph = await startFakeGraph();
    graph.folders.add('Reports');
    graph.folders.add('Reports/Sales Q1');
  });
  afterEach(() => graph.close());

  it('uploads a small file with one PUT, bytes intact, and finds it already present on a retry', async () => {
    const uploader = new SharePointUploader(graph.settings);
    const bytes = randomBytes(10_000);
    assert.equal(await uploader.upload('/Reports/Sales Q1/', 'sales 2026-01.pdf', bytes, 'application/pdf'), 'uploaded');
    assert.deepEqual(graph.files.get('Reports/Sales Q1/sales 2026-01.pdf')?.bytes, bytes);
    assert.equal(await uploader.upload('Reports/Sales Q1', 'sales 2026-01.pdf', bytes, 'application/pdf'), 'already-present');
    assert.equal(graph.files.size, 1);
    assert.equal(graph.calls.filter((call) => call.startsWith('PUT')).length, 2);
  });

  it('sends a large file through an upload session in chunks', async () => {
    const uploader = new SharePointUploader({ ...graph.settings, simpleUploadLimitBytes: 100_000, chunkBytes: 320 * 1024 });
    const bytes = randomBytes(3 * 320 * 1024 - 5);
    assert.equal(await uploader.upload('Reports', 'big.xlsx', bytes, 'application/octet-stream'), 'uploaded');
    assert.deepEqual(graph.files.get('Reports/big.xlsx')?.bytes, bytes);
    assert.equal(graph.calls.filter((call) => call.startsWith('PUT /upload/')).length, 3);
    assert.equal(await uploader.upload('Reports', 'big.xlsx', bytes, 'application/octet-stream'), 'already-present');
  });

  it('refuses a folder that does not exist, permanently, without trying to upload', async () => {
    const error = await rejection(new SharePointUploader(graph.settings).upload('Nowhere', 'x.pdf', Buffer.from('%PDF'), 'application/pdf'));
    assert.equal(error.code, 'INVALID_SHAREPOINT_DIRECTORY');
    assert.equal(error.permanent, true);
    assert.deepEqual(graph.calls.filter((call) => call.startsWith('PUT')), []);
  });

  it('reports 500 and 429 as transient, with Graph\'s Retry-After as the wait', async () => {
    const uploader = new SharePointUploader(graph.settings);
    graph.failNext(/^PUT /, [{ status: 503, headers: { 'retry-after': '7' } }]);
    const unavailable = await rejection(uploader.upload('Reports', 'a.pdf', Buffer.from('%PDF'), 'application/pdf'));
    assert.deepEqual([unavailable.permanent, unavailable.retryAfterMs, unavailable.code], [false, 7000, 'GENERIC_FILE_UPLOAD_ERROR']);
    const later = new Date(Date.now() + 30_000).toUTCString();
    graph.failNext(/^PUT /, [{ status: 429, headers: { 'retry-after': later } }]);
    const throttled = await rejection(uploader.upload('Reports', 'a.pdf', Buffer.from('%PDF'), 'application/pdf'));
    assert.equal(throttled.permanent, false);
    assert.ok(throttled.retryAfterMs! > 25_000 && throttled.retryAfterMs! <= 30_000, String(throttled.retryAfterMs));
    assert.equal(await uploader.upload('Reports', 'a.pdf', Buffer.from('%PDF'), 'application/pdf'), 'uploaded');
  });

  it('treats other 4xx and wrong credentials as permanent', async () => {
    graph.failNext(/^PUT /, [{ status: 403 }]);
    assert.equal((await rejection(new SharePointUploader(graph.settings).upload('Reports', 'a.pdf', Buffer.from('%PDF'), 'application/pdf'))).permanent, true);
    const wrongSecret = new SharePointUploader({ ...graph.settings, clientSecret: 'wrong' });
    const refused = await rejection(wrongSecret.upload('Reports', 'a.pdf', Buffer.from('%PDF'), 'application/pdf'));
    assert.equal(refused.permanent, true);
    assert.match(refused.message, /invalid_client/);
  });

  it('signs in once for many uploads', async () => {
    const uploader = new SharePointUploader(graph.settings);
    for (let i = 0; i < 3; i++) await uploader.upload('Reports', `file-${i}.pdf`, Buffer.from('%PDF'), 'application/pdf');
    assert.equal(graph.tokenRequests, 1);
  });

  it('reports an unreachable Graph as transient', async () => {
    await graph.close();
    const error = await rejection(new SharePointUploader(graph.settings).upload('Reports', 'a.pdf', Buffer.from('%PDF'), 'application/pdf'));
    assert.equal(error.permanent, false);
    graph = await startFakeGraph(); // for afterEach
  });

  it('encodes each path segment and drops empty ones', () => {
    assert.equal(drivePath('/Shared Documents//Q1 #2/', 'ventes €.pdf'), 'Shared%20Documents/Q1%20%232/ventes%20%E2%82%AC.pdf');
    assert.equal(retryAfterMs('120'), 120_000);
    assert.equal(retryAfterMs('soon'), undefined);
  });
});
