import { transientFailure, type GraphResponse } from './graph-errors';

export interface GraphRequest {
  method: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/**
 * Sends one request and reads its whole response, so a connection failure or a timeout, even one
 * hitting while the body is read, surfaces here as a transient error and nowhere else.
 */
export class GraphHttp {
  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  /** `what` names the request in error messages; URLs are left out because upload URLs embed a credential. */
  async send(url: string, request: GraphRequest, what: string): Promise<GraphResponse> {
    const fetchImpl = this.fetchImpl;
    try {
      const response = await fetchImpl(url, { ...request, signal: AbortSignal.timeout(this.timeoutMs) });
      return { status: response.status, headers: response.headers, body: parseBody(await response.text()) };
    } catch (error) {
      throw transientFailure(`${what} failed: ${networkReason(error)}`);
    }
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** undici reports every connection failure as "fetch failed" and puts the socket error in `cause`. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
