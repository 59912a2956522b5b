import { DeliveryChannelError } from './channel-error';

export type SharePointErrorCode = 'INVALID_SHAREPOINT_DIRECTORY' | 'GENERIC_FILE_UPLOAD_ERROR';

/**
 * A SharePoint upload that failed. Permanent failures (missing folder, refused credentials, other
 * 4xx) fail the same way on every attempt; transient ones (5xx, 429, connection failures) carry the
 * wait Graph asked for, if any, for the activity layer to use as the next retry delay.
 */
export class SharePointDeliveryError extends DeliveryChannelError {
  declare readonly code: SharePointErrorCode;

  constructor(code: SharePointErrorCode, message: string, permanent: boolean, retryAfterMs?: number) {
    super(code, message, permanent, retryAfterMs);
  }
}

/** A response of Graph or of the token endpoint, body already read (and parsed when it is JSON). */
export interface GraphResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

export function stringProperty(value: unknown, key: string): string | undefined {
  const found = property(value, key);
  return typeof found === 'string' ? found : undefined;
}

/** Graph's `{error: {code, message}}`, or the token endpoint's `{error, error_description}`. */
function errorOf(body: unknown): { code?: string; detail?: string } {
  const error = property(body, 'error');
  if (typeof error === 'string') return { code: error, detail: stringProperty(body, 'error_description') };
  return { code: stringProperty(error, 'code'), detail: stringProperty(error, 'message') };
}

export function isNameConflict(response: GraphResponse): boolean {
  return response.status === 409 && errorOf(response.body).code === 'nameAlreadyExists';
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (which always starts with the day name). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Classifies a failed response: 429 and 5xx are worth another attempt (after Retry-After), any other status is not. */
export function failureOf(response: GraphResponse, what: string): SharePointDeliveryError {
  const { code, detail } = errorOf(response.body);
  const message = `${what} failed: HTTP ${response.status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`;
  if (!isTransientStatus(response.status)) return new SharePointDeliveryError('GENERIC_FILE_UPLOAD_ERROR', message, true);
  return new SharePointDeliveryError('GENERIC_FILE_UPLOAD_ERROR', message, false, parseRetryAfter(response.headers.get('retry-after')));
}

export function transientFailure(message: string): SharePointDeliveryError {
  return new SharePointDeliveryError('GENERIC_FILE_UPLOAD_ERROR', message, false);
}
