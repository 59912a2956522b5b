/**
 * The API's errors, each with its HTTP status and a stable code, and the one mapper to the
 * reference's error shape: {"errors":[{"code","title","detail","meta":{"httpCode"}}],"traceId"}.
 */
export interface ErrorItem {
  code: string;
  title: string;
  detail?: string;
  meta?: { httpCode: number; field?: string; rule?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly items?: ErrorItem[],
  ) {
    super(detail ?? title);
    this.name = 'ApiError';
  }

  toItems(): ErrorItem[] {
    return this.items ?? [{ code: this.code, title: this.title, ...(this.detail ? { detail: this.detail } : {}), meta: { httpCode: this.status } }];
  }
}

export interface Problem {
  field: string;
  rule: string;
  message: string;
}

/** 400 listing every problem found, each naming the field and the rule it breaks. */
export class ValidationError extends ApiError {
  constructor(readonly problems: Problem[]) {
    super(
      400,
      'HTTP-400',
      'Bad request',
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems.map((p) => ({
        code: 'INVALID_FIELD',
        title: 'Invalid field',
        detail: `${p.field}: ${p.message}`,
        meta: { httpCode: 400, field: p.field, rule: p.rule },
      })),
    );
  }
}

export const errors = {
  unauthorized: (detail: string) => new ApiError(401, 'HTTP-401', 'Unauthorized', detail),
  forbidden: (detail: string) => new ApiError(403, 'HTTP-403', 'Forbidden', detail),
  notFound: (detail = 'the requested resource does not exist') => new ApiError(404, 'HTTP-404', 'Not found', detail),
  methodNotAllowed: (method: string, allowed: string[]) =>
    new ApiError(405, 'HTTP-405', 'Method not allowed', `${method} is not allowed here; allowed: ${allowed.join(', ')}`),
  conflict: (detail: string) => new ApiError(409, 'HTTP-409', 'Conflict', detail),
  payloadTooLarge: (detail: string) => new ApiError(413, 'HTTP-413', 'Payload too large', detail),
  unsupportedMediaType: (detail: string) => new ApiError(415, 'HTTP-415', 'Unsupported media type', detail),
  tooManyRequests: (detail: string) => new ApiError(429, 'HTTP-429', 'Too many requests', detail),
  internal: () => new ApiError(500, 'HTTP-500', 'Internal server error', 'an unexpected error occurred; quote the traceId'),
  unavailable: (detail: string) => new ApiError(503, 'HTTP-503', 'Service unavailable', detail),
};
