import { failureOf, property, SharePointDeliveryError, transientFailure, type GraphResponse } from './graph-errors';
import type { GraphHttp } from './graph-http';

/** How often one session may pick up again after an interrupted chunk before the activity's retry takes over. */
const MAX_RESUMES = 3;

/**
 * Sends a file to an upload session's URL chunk by chunk, each time from where the session says it
 * stands. The URL is pre-authenticated: Graph answers 401 to chunks that also carry a bearer token.
 */
export class UploadSession {
  private resumesLeft = MAX_RESUMES;

  constructor(
    private readonly http: GraphHttp,
    private readonly uploadUrl: string,
    private readonly bytes: Buffer,
    private readonly chunkBytes: number,
  ) {}

  /** The response to the last chunk (the created item, a name conflict, or a failure) for the caller to interpret. */
  async send(): Promise<GraphResponse> {
    let offset = 0;
    for (;;) {
      const response = await this.putChunk(offset);
      if (response === undefined) offset = await this.currentOffset();
      else if (response.status === 202) offset = nextExpectedOffset(response);
      else if (response.status === 404) throw sessionGone();
      else return response;
    }
  }

  /** undefined when the chunk was interrupted and asking the session where it stands may recover. */
  private async putChunk(start: number): Promise<GraphResponse | undefined> {
    const end = Math.min(start + this.chunkBytes, this.bytes.length);
    try {
      const response = await this.http.send(
        this.uploadUrl,
        { method: 'PUT', headers: { 'content-range': `bytes ${start}-${end - 1}/${this.bytes.length}` }, body: this.bytes.subarray(start, end) },
        `upload of bytes ${start}-${end - 1}`,
      );
      return isResumable(response) && this.takeResume() ? undefined : response;
    } catch (error) {
      if (isConnectionFailure(error) && this.takeResume()) return undefined;
      throw error;
    }
  }

  private takeResume(): boolean {
    if (this.resumesLeft === 0) return false;
    this.resumesLeft -= 1;
    return true;
  }

  private async currentOffset(): Promise<number> {
    const response = await this.http.send(this.uploadUrl, { method: 'GET' }, 'upload session status');
    if (response.status === 404) throw sessionGone();
    if (response.status !== 200) throw failureOf(response, 'upload session status');
    return nextExpectedOffset(response);
  }
}

/**
 * A server error without Retry-After, or 416 (the session holds different bytes than we assumed).
 * When Graph asks for a wait (429, 503 + Retry-After), the wait belongs to the activity's retry.
 */
function isResumable(response: GraphResponse): boolean {
  return response.status === 416 || (response.status >= 500 && !response.headers.has('retry-after'));
}

function isConnectionFailure(error: unknown): boolean {
  return error instanceof SharePointDeliveryError && !error.permanent && error.retryAfterMs === undefined;
}

/** The start of the first range in `nextExpectedRanges` (["26-"] or ["26-99", "200-"]). */
function nextExpectedOffset(response: GraphResponse): number {
  const ranges = property(response.body, 'nextExpectedRanges');
  const first = Array.isArray(ranges) && typeof ranges[0] === 'string' ? /^(\d+)-/.exec(ranges[0]) : null;
  if (!first) throw transientFailure('upload session failed: the session reported no next expected range');
  return Number(first[1]);
}

function sessionGone(): SharePointDeliveryError {
  return transientFailure('upload session expired or was cancelled; the next attempt starts a new one');
}
