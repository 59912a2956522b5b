import { failureOf, isNameConflict, property, SharePointDeliveryError, stringProperty, transientFailure, type GraphResponse } from './graph-errors';
import { GraphHttp, type GraphRequest } from './graph-http';
import { checkedFileName, displayPath, folderSegments, rootRelative } from './graph-paths';
import { AccessTokenCache } from './graph-token';
import { UploadSession } from './graph-upload-session';

export { SharePointDeliveryError, type SharePointErrorCode } from './graph-errors';
export { folderSegments } from './graph-paths';

/**
 * Where and as whom files are uploaded: an Entra ID app registration with an application permission
 * that can write to the drive (Files.ReadWrite.All, or Sites.Selected with write on the site).
 */
export interface SharePointConfig {
  /** Microsoft Graph base URL; default https://graph.microsoft.com/v1.0. */
  graphBaseUrl?: string;
  /** Entra ID authority the token is requested from; default https://login.microsoftonline.com. */
  authorityUrl?: string;
  /** Directory (tenant) ID, or a verified domain of the tenant. */
  tenantId: string;
  /** Application (client) ID of the app registration. */
  clientId: string;
  /** A client secret of the app registration. */
  clientSecret: string;
  /** The document library files go to (GET /sites/{siteId}/drives lists a site's); task folders are paths from its root. */
  driveId: string;
  /** OAuth scope; default https://graph.microsoft.com/.default (national clouds use their own Graph host). */
  scope?: string;
  /** Files smaller than this are sent in one PUT, others through an upload session; default 4 MiB, Graph's simple-upload limit. */
  largeFileThresholdBytes?: number;
  /** Upload session chunk size: a multiple of 320 KiB, at most 60 MiB (Graph's rules); default 10 MiB. */
  uploadChunkBytes?: number;
  /** Limit for one request including its response; default 120 s. */
  requestTimeoutMs?: number;
}

/** A SharePointConfig with both endpoints spelled out, as the service configuration and the test fake build it. */
export type SharePointSettings = SharePointConfig & Required<Pick<SharePointConfig, 'graphBaseUrl' | 'authorityUrl'>>;

export interface UploadResult {
  /** 'already-present': a file of that name was there, which for deterministic names means an earlier attempt uploaded it. */
  status: 'uploaded' | 'already-present';
  itemId?: string;
  webUrl?: string;
}

const CHUNK_UNIT_BYTES = 320 * 1024;
const MAX_CHUNK_BYTES = 60 * 1024 * 1024;
const DEFAULTS = {
  graphBaseUrl: 'https://graph.microsoft.com/v1.0',
  authorityUrl: 'https://login.microsoftonline.com',
  scope: 'https://graph.microsoft.com/.default',
  largeFileThresholdBytes: 4 * 1024 * 1024,
  uploadChunkBytes: 32 * CHUNK_UNIT_BYTES,
  requestTimeoutMs: 120_000,
} satisfies Partial<SharePointConfig>;

type Settings = Required<SharePointConfig>;

/**
 * Uploads report files into SharePoint folders over Microsoft Graph. Each call makes one attempt and
 * throws SharePointDeliveryError on failure: retries are the activity's, which is safe because an
 * upload never replaces a file (a name conflict reads as 'already-present').
 */
export class SharePointUploader {
  private readonly settings: Settings;
  private readonly http: GraphHttp;
  private readonly tokens: AccessTokenCache;

  constructor(config: SharePointConfig, fetchImpl: typeof fetch = fetch) {
    this.settings = withDefaults(config);
    this.http = new GraphHttp(fetchImpl, this.settings.requestTimeoutMs);
    this.tokens = new AccessTokenCache(this.settings, this.http);
  }

  /** Uploads `bytes` as `folder`/`fileName` (see folderSegments for how `folder` maps into the drive). */
  async upload(folder: string, fileName: string, bytes: Buffer, contentType: string): Promise<UploadResult> {
    const folderPath = folderSegments(folder);
    const filePath = [...folderPath, checkedFileName(fileName)];
    // Uploading by path creates missing folders, so a mistyped folder would otherwise appear silently.
    await this.requireFolder(folderPath);
    const response =
      bytes.length < this.settings.largeFileThresholdBytes
        ? await this.putWhole(filePath, bytes, contentType)
        : await this.putThroughSession(filePath, bytes);
    return uploadResult(response, `upload of ${displayPath(filePath)}`);
  }

  private async requireFolder(folderPath: string[]): Promise<void> {
    const what = `lookup of folder ${displayPath(folderPath)}`;
    const response = await this.callGraph(`${this.itemUrl(folderPath)}?$select=id,folder`, { method: 'GET' }, what);
    if (response.status === 404) throw invalidFolder(folderPath, 'does not exist');
    if (response.status !== 200) throw failureOf(response, what);
    if (property(response.body, 'folder') === undefined) throw invalidFolder(folderPath, 'is not a folder');
  }

  private putWhole(filePath: string[], bytes: Buffer, contentType: string): Promise<GraphResponse> {
    return this.callGraph(
      `${this.itemUrl(filePath)}:/content?@microsoft.graph.conflictBehavior=fail`,
      { method: 'PUT', headers: { 'content-type': contentType }, body: bytes },
      `upload of ${displayPath(filePath)}`,
    );
  }

  /** Graph sets a session-uploaded file's content type from its extension: the session API takes none. */
  private async putThroughSession(filePath: string[], bytes: Buffer): Promise<GraphResponse> {
    const what = `upload session for ${displayPath(filePath)}`;
    const created = await this.callGraph(
      `${this.itemUrl(filePath)}:/createUploadSession`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'fail' } }) },
      what,
    );
    if (created.status !== 200) return created;
    const uploadUrl = stringProperty(created.body, 'uploadUrl');
    if (!uploadUrl) throw transientFailure(`${what} failed: the response has no uploadUrl`);
    return new UploadSession(this.http, uploadUrl, bytes, this.settings.uploadChunkBytes).send();
  }

  /** Sends with a bearer token; a 401 gets one more try with a fresh token, since a cached one can be revoked early. */
  private async callGraph(url: string, request: GraphRequest, what: string): Promise<GraphResponse> {
    const token = await this.tokens.get();
    const response = await this.http.send(url, withBearer(request, token), what);
    if (response.status !== 401) return response;
    this.tokens.invalidate(token);
    return this.http.send(url, withBearer(request, await this.tokens.get()), what);
  }

  private itemUrl(segments: string[]): string {
    return `${this.settings.graphBaseUrl}/drives/${encodeURIComponent(this.settings.driveId)}/${rootRelative(segments)}`;
  }
}

function withDefaults(config: SharePointConfig): Settings {
  const settings = { ...DEFAULTS, ...definedFields(config) };
  const chunk = settings.uploadChunkBytes;
  if (!Number.isInteger(chunk / CHUNK_UNIT_BYTES) || chunk <= 0 || chunk > MAX_CHUNK_BYTES) {
    throw new RangeError(`uploadChunkBytes must be a multiple of ${CHUNK_UNIT_BYTES} up to ${MAX_CHUNK_BYTES}, not ${chunk}`);
  }
  if (!(settings.largeFileThresholdBytes > 0)) throw new RangeError('largeFileThresholdBytes must be positive');
  return { ...settings, graphBaseUrl: withoutTrailingSlash(settings.graphBaseUrl), authorityUrl: withoutTrailingSlash(settings.authorityUrl) };
}

/** A config built from optional environment variables may hold `undefined` where a default should apply. */
function definedFields(config: SharePointConfig): SharePointConfig {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as SharePointConfig;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function withBearer(request: GraphRequest, token: string): GraphRequest {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

function uploadResult(response: GraphResponse, what: string): UploadResult {
  if (response.status === 200 || response.status === 201) {
    return { status: 'uploaded', itemId: stringProperty(response.body, 'id'), webUrl: stringProperty(response.body, 'webUrl') };
  }
  if (isNameConflict(response)) return { status: 'already-present' };
  throw failureOf(response, what);
}

function invalidFolder(folderPath: string[], problem: string): SharePointDeliveryError {
  return new SharePointDeliveryError('INVALID_SHAREPOINT_DIRECTORY', `SharePoint folder ${displayPath(folderPath)} ${problem}`, true);
}
