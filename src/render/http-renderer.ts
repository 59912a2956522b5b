import { checkRendered } from './check-rendered';
import { FILE_TYPES, RenderError, type RenderedFile, type Renderer, type RenderRequest } from './renderer';

export interface HttpRendererOptions {
  /** Where render requests are POSTed. */
  url: string;
  /** For the whole exchange, the response body included. */
  timeoutMs: number;
  /** Sent with every request, e.g. an Authorization header. */
  headers?: Record<string, string>;
}

/**
 * The render service is down, overloaded or slow: worth trying again later. Deliberately not a
 * RenderError, which the run layer treats as permanent.
 */
export class RenderServiceUnavailableError extends Error {
  override readonly name = 'RenderServiceUnavailableError';
}

/** 4xx statuses that say "not now" rather than "never". */
const RETRYABLE_CLIENT_STATUSES = new Set([408, 425, 429]);
const MAX_MESSAGE_CHARS = 300;

const mediaType = (contentType: string | null) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

function reason(status: number, statusText: string, body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, MAX_MESSAGE_CHARS)).trim();
  return `${status}${statusText ? ` ${statusText}` : ''}${text ? `: ${text}` : ''}`;
}

function unreachable(error: unknown, timeoutMs: number): RenderServiceUnavailableError {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return new RenderServiceUnavailableError(`the render service did not answer within ${timeoutMs} ms`);
  return new RenderServiceUnavailableError(`the render service could not be reached: ${cause?.code ?? cause?.message ?? message ?? String(error)}`);
}

/** Renders through an external reporting service that answers a JSON request with the file's bytes. */
export class HttpRenderer implements Renderer {
  constructor(private readonly options: HttpRendererOptions) {}

  async render(request: RenderRequest): Promise<RenderedFile> {
    const { status, statusText, contentType, body } = await this.exchange(request);
    const expected = FILE_TYPES[request.format];
    if (status < 200 || status > 299) {
      const why = `the render service answered ${reason(status, statusText, body)}`;
      if (status === 404) throw new RenderError('TEMPLATE_NOT_FOUND', why);
      if (status >= 400 && status < 500 && !RETRYABLE_CLIENT_STATUSES.has(status)) throw new RenderError('RENDER_REJECTED', why);
      throw new RenderServiceUnavailableError(why);
    }
    if (mediaType(contentType) !== expected.contentType) {
      throw new RenderError('WRONG_CONTENT_TYPE', `asked for ${request.format} (${expected.contentType}), the render service sent ${contentType ?? 'no content type'}`);
    }
    return checkRendered({ bytes: body, ...expected });
  }

  private async exchange(request: RenderRequest): Promise<{ status: number; statusText: string; contentType: string | null; body: Buffer }> {
    const { url, timeoutMs, headers } = this.options;
    const payload = {
      format: request.format,
      template: request.template,
      selections: request.task.selections ?? [],
      task: { id: request.task.id, name: request.task.name, timezone: request.task.timezone },
      generatedAt: request.generatedAt.toISOString(),
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: FILE_TYPES[request.format].contentType },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = Buffer.from(await response.arrayBuffer());
      return { status: response.status, statusText: response.statusText, contentType: response.headers.get('content-type'), body };
    } catch (error) {
      throw unreachable(error, timeoutMs);
    }
  }
}
