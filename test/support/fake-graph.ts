import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SharePointConfig, SharePointSettings } from '../../src/deliver/sharepoint';

export interface FakeGraphOptions {
  /** Simple uploads larger than this get 413, as Graph answers above 4 MB. */
  simpleUploadLimitBytes?: number;
  /** `expires_in` of issued tokens; the fake refuses a token after it. */
  tokenLifetimeSeconds?: number;
}

/** One request as received: `path` is the percent-decoded URL path, without the query. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** When it arrived (Date.now()). */
  at?: number;
  /** For a request left unanswered (`hang`): when its client gave up and closed the connection. */
  closedAt?: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  /** Defaults to a Graph error body `{error: {code: 'scripted', message}}`. */
  body?: unknown;
  /** Never answer (status and body unused), as a Graph front end that stopped responding. */
  hang?: boolean;
}

/** A RegExp is tested against "METHOD /decoded/path". */
export type RequestMatcher = RegExp | ((request: LoggedRequest) => boolean);

export interface StoredFile {
  bytes: Buffer;
  /** Absent for files sent through an upload session, which carries no content type. */
  contentType?: string;
}

export interface FakeGraph {
  /** Base URL of both the token endpoint (authority) and Graph (`${url}/v1.0`). */
  url: string;
  /** A config pointing at this fake, with the credentials it accepts. */
  config(overrides?: Partial<SharePointConfig>): SharePointSettings;
  /** config() without overrides. */
  settings: SharePointSettings;
  /** Folders by drive path ("Reports/Sales"); their ancestors exist too. */
  folders: Set<string>;
  /** Files by drive path ("Reports/Sales/q1.pdf"). */
  files: Map<string, StoredFile>;
  /** Every request, token requests included, in arrival order. */
  requests: LoggedRequest[];
  /** Requests other than token requests, as "METHOD /decoded/path". */
  readonly calls: string[];
  readonly tokenRequests: number;
  /** The next requests matching `matcher` get `responses`, one each, before the fake answers normally again. */
  failNext(matcher: RequestMatcher, responses: ScriptedResponse[]): void;
  /** Makes every issued token invalid, as when an administrator revokes the app's sessions. */
  revokeTokens(): void;
  close(): Promise<void>;
}

interface Incoming extends LoggedRequest {
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface UploadSessionState {
  path: string;
  failOnConflict: boolean;
  received: Buffer;
  size?: number;
}

const CREDENTIALS = { tenantId: 'fake-tenant', clientId: 'fake-client', clientSecret: 'fake-secret', driveId: 'fake-drive' };
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const CHUNK_UNIT_BYTES = 320 * 1024;
const TOKEN_ROUTE = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const SESSION_ROUTE = /^\/upload-sessions\/([^/]+)$/;
/** On the raw path: the client percent-encodes ':' inside names, so a literal ':' is always Graph syntax. */
const DRIVE_ROUTE = /^\/v1\.0\/drives\/([^/]+)\/root(?::\/([^:]*))?(?::(\/content|\/createUploadSession)?)?$/;

const graphError = (status: number, code: string, message: string): ScriptedResponse => ({ status, body: { error: { code, message } } });
const tokenError = (status: number, error: string, description: string): ScriptedResponse => ({ status, body: { error, error_description: description } });
const nameConflict = (path: string) => graphError(409, 'nameAlreadyExists', `The specified item name already exists: ${path}`);
const parentOf = (path: string) => path.split('/').slice(0, -1).join('/');
const nameOf = (path: string) => path.split('/').pop() || 'root';
const expiresSoon = () => new Date(Date.now() + 3_600_000).toISOString();

/**
 * The parts of Microsoft Graph the SharePoint channel depends on, played locally: client-credentials
 * tokens, drive items by path, simple upload (4 MB limit, conflictBehavior) and upload sessions
 * (Content-Range, 320 KiB multiples, nextExpectedRanges, no bearer token on the session URL).
 */
class GraphDouble {
  readonly folders = new Set<string>();
  readonly files = new Map<string, StoredFile>();
  readonly requests: LoggedRequest[] = [];
  private readonly tokens = new Map<string, number>();
  private readonly sessions = new Map<string, UploadSessionState>();
  private readonly faults: { matcher: RequestMatcher; responses: ScriptedResponse[] }[] = [];

  constructor(
    readonly url: string,
    private readonly options: Required<FakeGraphOptions>,
  ) {}

  handle(request: Incoming, logged: LoggedRequest): ScriptedResponse {
    this.requests.push(logged);
    const scripted = this.faults.find(({ matcher, responses }) => responses.length > 0 && matches(matcher, logged));
    if (scripted) return withErrorBody(scripted.responses.shift()!);
    const token = TOKEN_ROUTE.exec(request.rawPath);
    if (token && request.method === 'POST') return this.issueToken(token[1]!, request.body);
    const session = SESSION_ROUTE.exec(request.rawPath);
    if (session) return this.uploadSession(session[1]!, request);
    const drive = DRIVE_ROUTE.exec(request.rawPath);
    if (!drive) return graphError(400, 'invalidRequest', `no such endpoint: ${request.path}`);
    if (!this.isAuthorized(request.headers.authorization)) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    if (drive[1] !== CREDENTIALS.driveId) return graphError(404, 'itemNotFound', 'The drive does not exist.');
    const path = (drive[2] ?? '').split('/').map(decodeURIComponent).join('/');
    return this.driveItem(request, path, drive[3]);
  }

  failNext(matcher: RequestMatcher, responses: ScriptedResponse[]): void {
    this.faults.push({ matcher, responses: [...responses] });
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  private issueToken(tenant: string, body: Buffer): ScriptedResponse {
    const form = new URLSearchParams(body.toString());
    if (tenant !== CREDENTIALS.tenantId) return tokenError(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials') return tokenError(400, 'unsupported_grant_type', 'AADSTS70003: unsupported grant type');
    if (form.get('client_id') !== CREDENTIALS.clientId || form.get('client_secret') !== CREDENTIALS.clientSecret) {
      return tokenError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    if (form.get('scope') !== GRAPH_SCOPE) return tokenError(400, 'invalid_scope', `AADSTS1002012: scope ${form.get('scope')} is not valid.`);
    const accessToken = randomUUID();
    const lifetimeSeconds = this.options.tokenLifetimeSeconds;
    this.tokens.set(accessToken, Date.now() + lifetimeSeconds * 1000);
    return { status: 200, body: { token_type: 'Bearer', expires_in: lifetimeSeconds, access_token: accessToken } };
  }

  private isAuthorized(header: string | undefined): boolean {
    const expiresAt = this.tokens.get(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  private driveItem(request: Incoming, path: string, action: string | undefined): ScriptedResponse {
    if (request.method === 'GET' && action === undefined) return this.getItem(path);
    if (request.method === 'PUT' && action === '/content') return this.simpleUpload(request, path);
    if (request.method === 'POST' && action === '/createUploadSession') return this.createSession(request, path);
    return graphError(405, 'invalidRequest', `${request.method} ${action ?? ''} is not supported here`);
  }

  private getItem(path: string): ScriptedResponse {
    if (this.isFolder(path)) return { status: 200, body: { ...this.itemFields(path), folder: { childCount: 0 } } };
    const file = this.files.get(path);
    if (file) return { status: 200, body: { ...this.itemFields(path), size: file.bytes.length, file: {} } };
    return graphError(404, 'itemNotFound', 'The resource could not be found.');
  }

  private simpleUpload(request: Incoming, path: string): ScriptedResponse {
    if (request.body.length > this.options.simpleUploadLimitBytes) {
      return graphError(413, 'requestTooLarge', 'Files larger than 4 MB must be uploaded through an upload session.');
    }
    // Graph's default for uploads is to replace an existing file.
    const failOnConflict = request.query.get('@microsoft.graph.conflictBehavior') === 'fail';
    if (failOnConflict && this.files.has(path)) return nameConflict(path);
    return this.store(path, { bytes: request.body, contentType: request.headers['content-type'] });
  }

  private createSession(request: Incoming, path: string): ScriptedResponse {
    const body = JSON.parse(request.body.toString() || '{}') as { item?: Record<string, unknown> };
    const failOnConflict = body.item?.['@microsoft.graph.conflictBehavior'] === 'fail';
    if (failOnConflict && this.files.has(path)) return nameConflict(path);
    const id = randomUUID();
    this.sessions.set(id, { path, failOnConflict, received: Buffer.alloc(0) });
    return { status: 200, body: { uploadUrl: `${this.url}/upload-sessions/${id}`, expirationDateTime: expiresSoon(), nextExpectedRanges: ['0-'] } };
  }

  private uploadSession(id: string, request: Incoming): ScriptedResponse {
    const session = this.sessions.get(id);
    if (!session) return graphError(404, 'itemNotFound', 'The upload session does not exist or has expired.');
    if (request.headers.authorization) return graphError(401, 'unauthenticated', 'The upload URL is pre-authenticated: send no Authorization header.');
    if (request.method === 'GET') return { status: 200, body: sessionStatus(session) };
    if (request.method === 'PUT') return this.putChunk(id, session, request);
    return graphError(405, 'invalidRequest', `${request.method} is not supported on an upload session`);
  }

  private putChunk(id: string, session: UploadSessionState, request: Incoming): ScriptedResponse {
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(request.headers['content-range'] ?? '');
    if (!range) return graphError(400, 'invalidRequest', 'Content-Range is missing or malformed.');
    const [start, end, total] = range.slice(1).map(Number) as [number, number, number];
    session.size ??= total;
    if (total !== session.size || end - start + 1 !== request.body.length) return graphError(400, 'invalidRange', 'Content-Range does not match the chunk.');
    if (start !== session.received.length) return graphError(416, 'invalidRange', `Expected bytes from ${session.received.length}.`);
    if (end + 1 < total && request.body.length % CHUNK_UNIT_BYTES !== 0) {
      return graphError(400, 'invalidRange', 'Chunks other than the last must be a multiple of 320 KiB.');
    }
    session.received = Buffer.concat([session.received, request.body]);
    if (session.received.length < total) return { status: 202, body: sessionStatus(session) };
    this.sessions.delete(id);
    if (session.failOnConflict && this.files.has(session.path)) return nameConflict(session.path);
    return this.store(session.path, { bytes: session.received });
  }

  /** Graph creates missing parent folders when uploading by path. */
  private store(path: string, file: StoredFile): ScriptedResponse {
    this.files.set(path, file);
    this.folders.add(parentOf(path));
    return { status: 201, body: { ...this.itemFields(path), size: file.bytes.length, file: { mimeType: file.contentType } } };
  }

  private isFolder(path: string): boolean {
    return path === '' || [...this.folders].some((folder) => folder === path || folder.startsWith(`${path}/`));
  }

  private itemFields(path: string) {
    return {
      id: Buffer.from(path).toString('base64url'),
      name: nameOf(path),
      webUrl: `${this.url}/sites/fake/Shared%20Documents/${path.split('/').map(encodeURIComponent).join('/')}`,
    };
  }
}

function matches(matcher: RequestMatcher, request: LoggedRequest): boolean {
  return matcher instanceof RegExp ? matcher.test(`${request.method} ${request.path}`) : matcher(request);
}

function withErrorBody(response: ScriptedResponse): ScriptedResponse {
  if (response.hang || response.body !== undefined) return response;
  return { ...response, ...graphError(response.status, 'scripted', `scripted ${response.status}`) };
}

function sessionStatus(session: UploadSessionState) {
  return { expirationDateTime: expiresSoon(), nextExpectedRanges: [`${session.received.length}-`] };
}

async function incoming(request: IncomingMessage): Promise<Incoming> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const url = new URL(request.url ?? '/', 'http://fake');
  return {
    method: request.method ?? 'GET',
    rawPath: url.pathname,
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers: request.headers,
    body: Buffer.concat(chunks),
  };
}

export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  let graph: GraphDouble | undefined;
  const server = createServer((request, response) => {
    incoming(request).then(
      (received) => {
        const logged: LoggedRequest = { method: received.method, path: received.path, at: Date.now() };
        const { status, headers, body, hang } = graph!.handle(received, logged);
        if (hang) return void response.once('close', () => (logged.closedAt = Date.now()));
        const json = body === undefined ? undefined : JSON.stringify(body);
        response.writeHead(status, { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers }).end(json);
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  graph = new GraphDouble(url, { simpleUploadLimitBytes: 4 * 1024 * 1024, tokenLifetimeSeconds: 3599, ...options });
  const double = graph;
  const config = (overrides: Partial<SharePointConfig> = {}): SharePointSettings => ({
    graphBaseUrl: `${url}/v1.0`,
    authorityUrl: url,
    ...CREDENTIALS,
    ...overrides,
  });

  return {
    url,
    config,
    settings: config(),
    folders: double.folders,
    files: double.files,
    requests: double.requests,
    get calls() {
      return double.requests.filter(({ path }) => !TOKEN_ROUTE.test(path)).map(({ method, path }) => `${method} ${path}`);
    },
    get tokenRequests() {
      return double.requests.filter(({ path }) => TOKEN_ROUTE.test(path)).length;
    },
    failNext: (matcher, responses) => double.failNext(matcher, responses),
    revokeTokens: () => double.revokeTokens(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
