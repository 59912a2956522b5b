import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { freePort } from '../../scripts/stack/process';
import type { SharePointSettings } from '../../src/deliver/sharepoint';

/**
 * A local stand-in for the parts of Microsoft Graph the SharePoint channel uses (the machine
 * cannot reach Microsoft): the client-credentials token endpoint, drive items by path, simple
 * upload with conflictBehavior, and upload sessions. Faults can be scripted per request.
 */
export interface FakeGraph {
  /** Graph settings pointing at this fake, with valid credentials. */
  settings: SharePointSettings;
  /** Existing folders by drive path ("Reports/Sales"). */
  folders: Set<string>;
  /** Uploaded files by drive path. */
  files: Map<string, { bytes: Buffer; contentType?: string }>;
  /** Every Graph call (not token requests): "PUT Reports/Sales/x.pdf:/content". */
  calls: string[];
  tokenRequests: number;
  /** The next Graph calls whose description matches are answered with these statuses, in turn. */
  failNext(match: RegExp, answers: { status: number; headers?: Record<string, string> }[]): void;
  close(): Promise<void>;
}

const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
const CLIENT = { id: 'fake-client', secret: 'fake-secret' };

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}

const graphError = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { error: { code, message } });

export async function startFakeGraph(): Promise<FakeGraph> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const folders = new Set<string>();
  const files = new Map<string, { bytes: Buffer; contentType?: string }>();
  const sessions = new Map<string, { path: string; received: Buffer[]; size: number }>();
  const faults: { match: RegExp; answers: { status: number; headers?: Record<string, string> }[] }[] = [];
  const calls: string[] = [];
  const tokens = new Set<string>();
  let tokenRequests = 0;

  const parentOf = (path: string) => path.split('/').slice(0, -1).join('/');
  const store = (path: string, bytes: Buffer, contentType?: string) => {
    files.set(path, { bytes, contentType });
    return { id: randomUUID(), name: path.split('/').pop(), size: bytes.length, webUrl: `${base}/sites/fake/${path}`, file: {} };
  };

  async function issueToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    tokenRequests++;
    const form = new URLSearchParams((await body(req)).toString());
    if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== CLIENT.id || form.get('client_secret') !== CLIENT.secret) {
      return json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
    }
    const accessToken = randomUUID();
    tokens.add(accessToken);
    json(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: accessToken });
  }

  async function uploadChunk(sessionId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = sessions.get(sessionId);
    if (!session) return graphError(res, 404, 'itemNotFound', 'upload session not found');
    if (req.headers.authorization) return graphError(res, 401, 'unauthenticated', 'the upload URL must not carry a token');
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers['content-range'] ?? '');
    const received = session.received.reduce((sum, part) => sum + part.length, 0);
    const chunk = await body(req);
    if (!range || Number(range[1]) !== received || Number(range[2]) - Number(range[1]) + 1 !== chunk.length) {
      return graphError(res, 416, 'invalidRange', `expected bytes from ${received}`);
    }
    session.received.push(chunk);
    if (received + chunk.length < session.size) return json(res, 202, { nextExpectedRanges: [`${received + chunk.length}-`] });
    sessions.delete(sessionId);
    if (files.has(session.path)) return graphError(res, 409, 'nameAlreadyExists', 'the file exists');
    json(res, 201, store(session.path, Buffer.concat(session.received)));
  }

  async function drive(method: string, rest: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^root(?::\/(.*?))?(?::(\/content|\/createUploadSession))?$/.exec(rest);
    if (!match) return graphError(res, 400, 'invalidRequest', `unsupported path ${rest}`);
    const path = (match[1] ?? '').split('/').map(decodeURIComponent).join('/');
    const action = match[2];
    if (method === 'GET' && !action) {
      if (path === '' || folders.has(path)) return json(res, 200, { id: randomUUID(), name: path.split('/').pop() || 'root', folder: { childCount: 0 } });
      if (files.has(path)) return json(res, 200, { id: randomUUID(), name: path.split('/').pop(), file: {} });
      return graphError(res, 404, 'itemNotFound', 'The resource could not be found.');
    }
    if (!folders.has(parentOf(path))) return graphError(res, 404, 'itemNotFound', 'The parent folder does not exist.');
    if (method === 'PUT' && action === '/content') {
      const bytes = await body(req);
      if (bytes.length > SIMPLE_UPLOAD_LIMIT) return graphError(res, 413, 'requestTooLarge', 'use an upload session for files over 4 MB');
      if (files.has(path)) return graphError(res, 409, 'nameAlreadyExists', 'The specified item name already exists.');
      return json(res, 201, store(path, bytes, req.headers['content-type']));
    }
    if (method === 'POST' && action === '/createUploadSession') {
      await body(req);
      if (files.has(path)) return graphError(res, 409, 'nameAlreadyExists', 'The specified item name already exists.');
      const sessionId = randomUUID();
      sessions.set(sessionId, { path, received: [], size: 0 });
      // The size is learned from the first Content-Range, as Graph does.
      return json(res, 200, { uploadUrl: `${base}/upload/${sessionId}`, expirationDateTime: new Date(Date.now() + 3_600_000).toISOString() });
    }
    graphError(res, 405, 'invalidRequest', `${method} ${action ?? ''} is not supported here`);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    if (/^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname) && method === 'POST') return void issueToken(req, res);
    const description = `${method} ${decodeURIComponent(url.pathname)}`;
    calls.push(description);
    const fault = faults.find((candidate) => candidate.match.test(description) && candidate.answers.length > 0);
    if (fault) {
      const { status, headers } = fault.answers.shift()!;
      return void json(res, status, { error: { code: 'scripted', message: `scripted ${status}` } }, headers);
    }
    const upload = /^\/upload\/([^/]+)$/.exec(url.pathname);
    if (upload && method === 'PUT') {
      const range = /\/(\d+)$/.exec(req.headers['content-range'] ?? '');
      const session = sessions.get(upload[1]!);
      if (session && range && session.size === 0) session.size = Number(range[1]);
      return void uploadChunk(upload[1]!, req, res);
    }
    const driveCall = /^\/v1\.0\/drives\/fake-drive\/(.+)$/.exec(url.pathname);
    if (!driveCall) return graphError(res, 404, 'itemNotFound', `no route ${url.pathname}`);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !tokens.has(token)) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    void drive(method, driveCall[1]!, req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    settings: {
      graphBaseUrl: `${base}/v1.0`,
      authorityUrl: base,
      tenantId: 'fake-tenant',
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      driveId: 'fake-drive',
    },
    folders,
    files,
    calls,
    get tokenRequests() {
      return tokenRequests;
    },
    failNext(match, answers) {
      faults.push({ match, answers: [...answers] });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
