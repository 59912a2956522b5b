import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logger';
import { ApiError, errors } from '../../errors';
import { isDatabaseUnavailable } from '../../store';

/** What a 503 tells the client to wait before trying again: a database or workflow engine coming back. */
const RETRY_AFTER_SECONDS = 5;

/** Errors thrown by body-parser carry a status and a type; they become the API's own errors here. */
function fromBodyParser(error: { type?: string; status?: number; message?: string }): ApiError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return errors.payloadTooLarge('the request body is larger than 1 MB');
    case 'entity.parse.failed':
      return new ApiError(400, 'HTTP-400', 'Bad request', `malformed JSON: ${error.message}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return errors.unsupportedMediaType(error.message ?? 'unsupported encoding');
    default:
      return error.status && error.status >= 400 && error.status < 500
        ? new ApiError(error.status, `HTTP-${error.status}`, 'Bad request', error.message)
        : undefined;
  }
}

/** An outage of a dependency is a 503 the client may retry; the driver's message (hosts, ports) stays in the log. */
function fromOutage(error: unknown): ApiError | undefined {
  return isDatabaseUnavailable(error) ? errors.unavailable('the database cannot be reached; retry after the Retry-After header\'s seconds') : undefined;
}

/** The one place errors become responses: always the reference's JSON shape, never a stack trace. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = error instanceof ApiError ? error : (fromBodyParser(error as Record<string, never>) ?? fromOutage(error));
    const apiError = known ?? errors.internal();
    // Only the service's own failures are errors worth a stack; a bad request is the client's (pino-http logs its status).
    if (!known) logger.error({ err: error, traceId: req.traceId }, 'request failed');
    else if (apiError.status >= 500) logger.warn({ traceId: req.traceId, detail: apiError.detail, cause: (error as Error).message }, apiError.title);
    if (res.headersSent) return void res.end();
    if (apiError.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(apiError.status).json({ errors: apiError.toItems(), traceId: req.traceId });
  };
}
