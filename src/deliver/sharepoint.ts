import { DeliveryChannelError } from './channel-error';

export interface SharePointSettings {
  /** e.g. https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string;
  /** e.g. https://login.microsoftonline.com */
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The document library (drive) that task folders are paths in. */
  driveId: string;
  /** Graph's simple upload takes at most 4 MiB; larger files go through an upload session. */
  simpleUploadLimitBytes?: number;
  /** Upload session chunks must be multiples of 320 KiB. */
  chunkBytes?: number;
}

export type UploadResult = 'uploaded' | 'already-present';

const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
const CHUNK_UNIT = 320 * 1024;
/** A token is renewed this long before Graph says it expires. */
const TOKEN_MARGIN_MS = 60_000;

export class SharePointDeliveryError extends DeliveryChannelError {}

const permanent = (code: string, message: string) => new SharePointDeliveryError(code, message, true);
const transient = (message: string, retryAfterMs?: number) =>
  new SharePointDeliveryError('GENERIC_FILE_UPLOAD_ERROR', message, false, retryAfterMs);

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The failure a Graph answer means: 429 and 5xx are worth another attempt, other 4xx are not. */
async function failureOf(response: Response, what: string): Promise<SharePointDeliveryError> {
  const detail = `${what}: Graph answered ${response.status} ${(await response.text()).slice(0, 300)}`;
  if (response.status === 429 || response.status >= 500) return transient(detail, retryAfterMs(response.headers.get('retry-after')));
  return permanent('GENERIC_FILE_UPLOAD_ERROR', detail);
}

/** "/Shared Reports/2026/" → "Shared%20Reports/2026": each segment encoded, no empty ones. */
export function drivePath(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment.trim() !== '')
    .map(encodeURIComponent)
    .join('/');
}

/**
 * Uploads report files into a folder of a SharePoint document library through Microsoft Graph,
 * with the app's own client credentials. Names are deterministic and conflicts fail, so an upload
 * repeated after a crash finds its file ('already-present') instead of writing a second one.
 * No retry loop here: the activity's retry policy retries transient failures.
 */
export class SharePointUploader {
  private token?: { value: string; renewAt: number };

  constructor(
    private readonly settings: SharePointSettings,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async upload(folder: string, fileName: string, bytes: Buffer, contentType: string): Promise<UploadResult> {
    await this.requireFolder(folder);
    const item = `root:/${drivePath(folder, fileName)}:`;
    if (bytes.length <= (this.settings.simpleUploadLimitBytes ?? SIMPLE_UPLOAD_LIMIT)) {
      const response = await this.graph('PUT', `${item}/content?@microsoft.graph.conflictBehavior=fail`, bytes, contentType);
      return this.uploaded(response, `uploading ${fileName}`);
    }
    const session = await this.graph('POST', `${item}/createUploadSession`, JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'fail' } }), 'application/json');
    if (session.status === 409) return 'already-present';
    if (!session.ok) throw await failureOf(session, `starting the upload session of ${fileName}`);
    const { uploadUrl } = (await session.json()) as { uploadUrl: string };
    return this.uploadChunks(uploadUrl, fileName, bytes);
  }

  private async requireFolder(folder: string): Promise<void> {
    const path = drivePath(folder);
    const response = await this.graph('GET', path ? `root:/${path}` : 'root');
    if (response.status === 404) throw permanent('INVALID_SHAREPOINT_DIRECTORY', `the SharePoint folder "${folder}" does not exist`);
    if (!response.ok) throw await failureOf(response, `looking up the folder "${folder}"`);
    const item = (await response.json()) as { folder?: unknown };
    if (!item.folder) throw permanent('INVALID_SHAREPOINT_DIRECTORY', `"${folder}" is a file, not a folder`);
  }

  /** The upload URL is pre-authenticated: Graph refuses an Authorization header on it. */
  private async uploadChunks(uploadUrl: string, fileName: string, bytes: Buffer): Promise<UploadResult> {
    const chunk = Math.max(CHUNK_UNIT, Math.floor((this.settings.chunkBytes ?? 10 * CHUNK_UNIT) / CHUNK_UNIT) * CHUNK_UNIT);
    for (let start = 0; start < bytes.length; ) {
      const end = Math.min(start + chunk, bytes.length);
      const response = await this.send(uploadUrl, {
        method: 'PUT',
        headers: { 'content-range': `bytes ${start}-${end - 1}/${bytes.length}` },
        body: bytes.subarray(start, end),
      });
      if (response.status !== 202) return this.uploaded(response, `uploading ${fileName}`);
      const { nextExpectedRanges } = (await response.json()) as { nextExpectedRanges?: string[] };
      start = Number((nextExpectedRanges?.[0] ?? `${end}-`).split('-')[0]);
    }
    throw transient(`the upload session of ${fileName} ended without Graph confirming the file`);
  }

  private async uploaded(response: Response, what: string): Promise<UploadResult> {
    if (response.status === 409) return 'already-present';
    if (!response.ok) throw await failureOf(response, what);
    return 'uploaded';
  }

  /** A Graph call on the drive, with the app's token; a token Graph rejects is renewed once. */
  private async graph(method: string, path: string, body?: Buffer | string, contentType?: string): Promise<Response> {
    const url = `${this.settings.graphBaseUrl.replace(/\/+$/, '')}/drives/${encodeURIComponent(this.settings.driveId)}/${path}`;
    const call = async () =>
      this.send(url, {
        method,
        headers: { authorization: `Bearer ${await this.accessToken()}`, ...(contentType ? { 'content-type': contentType } : {}) },
        body,
      });
    const response = await call();
    if (response.status !== 401) return response;
    this.token = undefined;
    return call();
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    const { authorityUrl, tenantId, clientId, clientSecret } = this.settings;
    const response = await this.send(`${authorityUrl.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' }),
    });
    if (!response.ok) throw await failureOf(response, 'signing in to Microsoft Graph');
    const { access_token: value, expires_in: expiresIn } = (await response.json()) as { access_token: string; expires_in: number };
    this.token = { value, renewAt: Date.now() + expiresIn * 1000 - TOKEN_MARGIN_MS };
    return value;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      throw transient(`Microsoft Graph could not be reached: ${(error as Error).message}`);
    }
  }
}
