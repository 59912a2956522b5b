import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseRetryAfter } from '../../../src/deliver/graph-errors';
import { folderSegments, SharePointDeliveryError, SharePointUploader, type SharePointConfig } from '../../../src/deliver/sharepoint';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions, type LoggedRequest } from '../../support/fake-graph';

const KiB = 1024;
const MiB = 1024 * KiB;
const PDF = 'application/pdf';

async function rejection(work: Promise<unknown>): Promise<SharePointDeliveryError> {
  const error = await work.then(
    () => assert.fail('expected the upload to fail'),
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof SharePointDeliveryError, String(error));
  return error;
}

const isSimpleUpload = ({ method, path }: LoggedRequest) => method === 'PUT' && path.endsWith(':/content');
const isSessionStart = ({ method, path }: LoggedRequest) => method === 'POST' && path.endsWith(':/createUploadSession');
const isChunk = ({ method, path }: LoggedRequest) => method === 'PUT' && path.startsWith('/upload-sessions/');
const isSessionStatusQuery = ({ method, path }: LoggedRequest) => method === 'GET' && path.startsWith('/upload-sessions/');
const isUpload = (request: LoggedRequest) => isSimpleUpload(request) || isSessionStart(request) || isChunk(request);
const isFolderLookup = ({ method, path }: LoggedRequest) => method === 'GET' && path.startsWith('/v1.0/drives/');

describe('SharePoint uploads through Microsoft Graph (against a local fake of Graph)', () => {
  let graph: FakeGraph;
  const count = (which: (request: LoggedRequest) => boolean) => graph.requests.filter(which).length;
  const uploaderWith = (overrides: Partial<SharePointConfig> = {}) => new SharePointUploader(graph.config(overrides));

  async function restartGraph(options: FakeGraphOptions = {}): Promise<void> {
    await graph.close();
    graph = await startFakeGraph(options);
    graph.folders.add('Reports/Sales');
  }

  beforeEach(async () => {
    graph = await startFakeGraph();
    graph.folders.add('Reports/Sales');
  });
  afterEach(() => graph.close());

  describe('small files', () => {
    it('arrive with one PUT, exact bytes and content type', async () => {
      const bytes = randomBytes(10 * KiB);
      const result = await uploaderWith().upload('Reports/Sales', 'q1.pdf', bytes, PDF);
      assert.equal(result.status, 'uploaded');
      assert.ok(result.itemId && result.webUrl, JSON.stringify(result));
      assert.deepEqual(graph.files.get('Reports/Sales/q1.pdf'), { bytes, contentType: PDF });
      assert.deepEqual([count(isSimpleUpload), count(isSessionStart)], [1, 0]);
    });

    it('are found already present when the upload is repeated, and not replaced', async () => {
      const uploader = uploaderWith();
      const first = randomBytes(100);
      await uploader.upload('Reports/Sales', 'q1.pdf', first, PDF);
      assert.deepEqual(await uploader.upload('Reports/Sales', 'q1.pdf', randomBytes(100), PDF), { status: 'already-present' });
      assert.deepEqual([...graph.files.keys()], ['Reports/Sales/q1.pdf']);
      assert.deepEqual(graph.files.get('Reports/Sales/q1.pdf')?.bytes, first);
    });
  });

  describe('large files', () => {
    const sessionUploader = () => uploaderWith({ largeFileThresholdBytes: 64 * KiB, uploadChunkBytes: 320 * KiB });
    const threeChunks = () => randomBytes(2 * 320 * KiB + 1000);

    it('arrive intact through an upload session in chunks', async () => {
      const bytes = threeChunks();
      assert.equal((await sessionUploader().upload('Reports/Sales', 'big.xlsx', bytes, 'application/octet-stream')).status, 'uploaded');
      assert.deepEqual(graph.files.get('Reports/Sales/big.xlsx')?.bytes, bytes);
      assert.deepEqual([count(isSimpleUpload), count(isSessionStart), count(isChunk)], [0, 1, 3]);
    });

    it('are found already present when the session is started again', async () => {
      const uploader = sessionUploader();
      await uploader.upload('Reports/Sales', 'big.xlsx', threeChunks(), 'application/octet-stream');
      assert.equal((await uploader.upload('Reports/Sales', 'big.xlsx', threeChunks(), 'application/octet-stream')).status, 'already-present');
      assert.deepEqual([count(isSessionStart), count(isChunk), graph.files.size], [2, 3, 1]);
    });

    it('are found already present when Graph reports the conflict on the last chunk', async () => {
      graph.failNext(isChunk, [{ status: 202, body: { nextExpectedRanges: ['327680-'] } }, { status: 202, body: { nextExpectedRanges: ['655360-'] } }]);
      graph.failNext(isChunk, [{ status: 409, body: { error: { code: 'nameAlreadyExists', message: 'exists' } } }]);
      assert.equal((await sessionUploader().upload('Reports/Sales', 'big.xlsx', threeChunks(), 'application/octet-stream')).status, 'already-present');
    });

    it('continue from the range Graph expects next, not from where the last chunk ended', async () => {
      const bytes = threeChunks();
      graph.failNext(isChunk, [{ status: 202, body: { nextExpectedRanges: ['0-'] } }]); // as if the first chunk was lost
      await sessionUploader().upload('Reports/Sales', 'big.xlsx', bytes, 'application/octet-stream');
      assert.deepEqual(graph.files.get('Reports/Sales/big.xlsx')?.bytes, bytes);
      assert.deepEqual([count(isChunk), count(isSessionStatusQuery)], [4, 0]);
    });

    it('resume from where the session stands after a chunk fails with 500', async () => {
      const bytes = threeChunks();
      let chunks = 0;
      graph.failNext((request) => isChunk(request) && ++chunks === 2, [{ status: 500 }]);
      await sessionUploader().upload('Reports/Sales', 'big.xlsx', bytes, 'application/octet-stream');
      assert.deepEqual(graph.files.get('Reports/Sales/big.xlsx')?.bytes, bytes);
      assert.equal(count(isSessionStart), 1);
      assert.equal(count(isSessionStatusQuery), 1);
    });

    it('resume after a connection dropped during a chunk', async () => {
      const bytes = threeChunks();
      let chunkPuts = 0;
      const droppingSecondChunk: typeof fetch = (input, init) =>
        init?.method === 'PUT' && String(input).includes('/upload-sessions/') && ++chunkPuts === 2
          ? Promise.reject(new TypeError('fetch failed', { cause: new Error('read ECONNRESET') }))
          : fetch(input, init);
      await new SharePointUploader(graph.config({ largeFileThresholdBytes: 64 * KiB, uploadChunkBytes: 320 * KiB }), droppingSecondChunk)
        .upload('Reports/Sales', 'big.xlsx', bytes, 'application/octet-stream');
      assert.deepEqual(graph.files.get('Reports/Sales/big.xlsx')?.bytes, bytes);
      assert.deepEqual([count(isSessionStart), count(isSessionStatusQuery)], [1, 1]);
    });

    it('fail transiently when the session has expired, for the next attempt to start a new one', async () => {
      graph.failNext(isChunk, [{ status: 404, body: { error: { code: 'itemNotFound', message: 'session not found' } } }]);
      const error = await rejection(sessionUploader().upload('Reports/Sales', 'big.xlsx', threeChunks(), 'application/octet-stream'));
      assert.equal(error.permanent, false);
      assert.match(error.message, /session expired/);
    });

    it('leave a throttled chunk to the activity retry, with the wait Graph asked for', async () => {
      graph.failNext(isChunk, [{ status: 429, headers: { 'retry-after': '3' } }]);
      const error = await rejection(sessionUploader().upload('Reports/Sales', 'big.xlsx', threeChunks(), 'application/octet-stream'));
      assert.deepEqual([error.permanent, error.retryAfterMs], [false, 3000]);
      assert.equal(count(isChunk), 1);
    });

    it('start at 4 MiB by default, which Graph would refuse as a simple upload beyond its limit', async () => {
      await uploaderWith().upload('Reports/Sales', 'under.pdf', Buffer.alloc(4 * MiB - 1), PDF);
      await uploaderWith().upload('Reports/Sales', 'at.pdf', Buffer.alloc(4 * MiB), PDF);
      assert.deepEqual([count(isSimpleUpload), count(isSessionStart)], [1, 1]);
      const tooLarge = await rejection(uploaderWith({ largeFileThresholdBytes: 8 * MiB }).upload('Reports/Sales', 'over.pdf', Buffer.alloc(4 * MiB + 1), PDF));
      assert.equal(tooLarge.permanent, true);
      assert.match(tooLarge.message, /413/);
    });

    it('need chunks in multiples of 320 KiB', () => {
      assert.throws(() => uploaderWith({ uploadChunkBytes: 1 * MiB }), RangeError);
      assert.doesNotThrow(() => uploaderWith({ uploadChunkBytes: 3 * 320 * KiB }));
    });
  });

  describe('folders', () => {
    it('refuse a folder that does not exist, permanently, without uploading', async () => {
      const error = await rejection(uploaderWith().upload('Reports/Gone', 'q1.pdf', Buffer.from('%PDF'), PDF));
      assert.deepEqual([error.code, error.permanent], ['INVALID_SHAREPOINT_DIRECTORY', true]);
      assert.equal(count(isUpload), 0);
      assert.equal(graph.files.size, 0);
    });

    it('refuse a path that names a file, and "." or ".." segments before asking Graph', async () => {
      await uploaderWith().upload('Reports/Sales', 'q1.pdf', Buffer.from('%PDF'), PDF);
      const notAFolder = await rejection(uploaderWith().upload('Reports/Sales/q1.pdf', 'q2.pdf', Buffer.from('%PDF'), PDF));
      assert.equal(notAFolder.code, 'INVALID_SHAREPOINT_DIRECTORY');
      const requestsBefore = graph.requests.length;
      const escaping = await rejection(uploaderWith().upload('Reports/../Sales', 'q2.pdf', Buffer.from('%PDF'), PDF));
      assert.deepEqual([escaping.code, escaping.permanent, graph.requests.length], ['INVALID_SHAREPOINT_DIRECTORY', true, requestsBefore]);
    });

    it('are paths from the drive root however their separators are written', async () => {
      const uploader = uploaderWith();
      for (const [index, folder] of ['Reports/Sales', '/Reports/Sales/', 'Reports\\Sales', '//Reports//Sales'].entries()) {
        await uploader.upload(folder, `${index}.pdf`, Buffer.from('%PDF'), PDF);
      }
      await uploader.upload('/', 'top.pdf', Buffer.from('%PDF'), PDF);
      assert.deepEqual([...graph.files.keys()].sort(), ['Reports/Sales/0.pdf', 'Reports/Sales/1.pdf', 'Reports/Sales/2.pdf', 'Reports/Sales/3.pdf', 'top.pdf']);
      assert.deepEqual(folderSegments('/Shared Documents/Q1/'), ['Shared Documents', 'Q1']);
    });

    it('and file names keep spaces, unicode, "#", "%" and "?" as part of the name', async () => {
      graph.folders.add('Rapports/Q1 #2 – 100%');
      await uploaderWith().upload('Rapports/Q1 #2 – 100%', 'Umsätze? €5 #1.pdf', Buffer.from('%PDF'), PDF);
      assert.deepEqual([...graph.files.keys()], ['Rapports/Q1 #2 – 100%/Umsätze? €5 #1.pdf']);
    });
  });

  describe('failures', () => {
    const upload = (uploader = uploaderWith()) => uploader.upload('Reports/Sales', 'q1.pdf', Buffer.from('%PDF'), PDF);

    it('500 is transient, with Retry-After seconds as the wait, and the next attempt uploads', async () => {
      graph.failNext(isSimpleUpload, [{ status: 500, headers: { 'retry-after': '7' } }]);
      const error = await rejection(upload());
      assert.deepEqual([error.code, error.permanent, error.retryAfterMs], ['GENERIC_FILE_UPLOAD_ERROR', false, 7000]);
      assert.equal((await upload()).status, 'uploaded');
      assert.equal(count(isSimpleUpload), 2);
    });

    it('429 is transient, with an HTTP-date Retry-After as the time left until then', async () => {
      const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 120_000);
      graph.failNext(isSimpleUpload, [{ status: 429, headers: { 'retry-after': at.toUTCString() } }]);
      const error = await rejection(upload());
      assert.equal(error.permanent, false);
      assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 115_000 && error.retryAfterMs <= 121_000, String(error.retryAfterMs));
    });

    it('503 without Retry-After is transient with no wait of its own', async () => {
      graph.failNext(isFolderLookup, [{ status: 503 }]);
      const error = await rejection(upload());
      assert.deepEqual([error.permanent, error.retryAfterMs], [false, undefined]);
    });

    it('other 4xx are permanent', async () => {
      graph.failNext(isSimpleUpload, [{ status: 403, headers: { 'retry-after': '5' }, body: { error: { code: 'accessDenied', message: 'no' } } }]);
      const error = await rejection(upload());
      assert.deepEqual([error.code, error.permanent, error.retryAfterMs], ['GENERIC_FILE_UPLOAD_ERROR', true, undefined]);
      assert.match(error.message, /403 accessDenied/);
    });

    it('a wrong client secret is permanent and no Graph call is made', async () => {
      const error = await rejection(upload(uploaderWith({ clientSecret: 'wrong' })));
      assert.equal(error.permanent, true);
      assert.match(error.message, /invalid_client/);
      assert.deepEqual(graph.calls, []);
    });

    it('a token endpoint that is down is transient', async () => {
      graph.failNext(/oauth2\/v2\.0\/token$/, [{ status: 503, headers: { 'retry-after': '2' } }]);
      const error = await rejection(upload());
      assert.deepEqual([error.permanent, error.retryAfterMs], [false, 2000]);
    });

    it('an unreachable Graph is transient', async () => {
      const uploader = uploaderWith();
      await graph.close();
      const error = await rejection(upload(uploader));
      assert.equal(error.permanent, false);
      assert.match(error.message, /ECONNREFUSED/);
      graph = await startFakeGraph();
    });
  });

  describe('tokens', () => {
    it('are requested once for many uploads, concurrent ones included', async () => {
      const uploader = uploaderWith();
      await Promise.all([1, 2, 3].map((i) => uploader.upload('Reports/Sales', `${i}.pdf`, Buffer.from('%PDF'), PDF)));
      await uploader.upload('Reports/Sales', '4.pdf', Buffer.from('%PDF'), PDF);
      assert.equal(graph.tokenRequests, 1);
      assert.equal(graph.files.size, 4);
    });

    it('are renewed before they expire', async () => {
      await restartGraph({ tokenLifetimeSeconds: 1 });
      const uploader = uploaderWith();
      await uploader.upload('Reports/Sales', '1.pdf', Buffer.from('%PDF'), PDF);
      await new Promise((resolve) => setTimeout(resolve, 600));
      await uploader.upload('Reports/Sales', '2.pdf', Buffer.from('%PDF'), PDF);
      assert.equal(graph.tokenRequests, 2);
      assert.equal(count(isFolderLookup), 2, 'no call was made with a token about to expire');
    });

    it('are requested again once when Graph refuses one', async () => {
      const uploader = uploaderWith();
      await uploader.upload('Reports/Sales', '1.pdf', Buffer.from('%PDF'), PDF);
      graph.revokeTokens();
      assert.equal((await uploader.upload('Reports/Sales', '2.pdf', Buffer.from('%PDF'), PDF)).status, 'uploaded');
      assert.equal(graph.tokenRequests, 2);
    });

    it('refused twice in a row make the upload fail permanently', async () => {
      graph.failNext(isFolderLookup, [{ status: 401 }, { status: 401 }]);
      const error = await rejection(uploaderWith().upload('Reports/Sales', '1.pdf', Buffer.from('%PDF'), PDF));
      assert.equal(error.permanent, true);
      assert.deepEqual([count(isFolderLookup), graph.tokenRequests, count(isUpload)], [2, 2, 0]);
    });
  });

  it('Retry-After is read as delta-seconds or an HTTP date, anything else ignored', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now), 0);
    for (const ignored of [null, '', 'soon', '5.5', '-3']) assert.equal(parseRetryAfter(ignored, now), undefined, String(ignored));
  });
});
