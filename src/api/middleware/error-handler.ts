import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logger';
import { ApiError, errors } from '../../errors';

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

/** The one place errors become responses: always the reference's JSON shape, never a stack trace. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const clientError = error instanceof ApiError ? undefined : fromBodyParser(error as Record<string, never>);
    const apiError = error instanceof ApiError ? error : (clientError ?? errors.internal());
    // Only the service's own failures are errors worth a stack; a bad request is the client's (pino-http logs its status).
    if (!(error instanceof ApiError) && !clientError) logger.error({ err: error, traceId: req.traceId }, 'request failed');
    else if (apiError.status >= 500) logger.warn({ traceId: req.traceId, detail: apiError.detail }, apiError.title);
    if (res.headersSent) return void res.end();
    res.status(apiError.status).json({ errors: apiError.toItems(), traceId: req.traceId });
  };
}
