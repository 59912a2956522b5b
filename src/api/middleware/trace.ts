import { randomBytes } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    traceId: string;
  }
}

/**
 * Every request gets a trace id: in the `X-Trace-Id` header, in every error body and in the
 * request's log line. With tracing on it is the id of the request's trace (a caller joins a trace
 * of its own with a W3C `traceparent` header); otherwise a caller's `X-Trace-Id`, or a new one.
 */
export function traceId(req: Request, res: Response, next: NextFunction): void {
  const span = trace.getActiveSpan()?.spanContext();
  const incoming = req.header('x-trace-id');
  if (span && isSpanContextValid(span)) req.traceId = span.traceId;
  else req.traceId = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomBytes(16).toString('hex');
  res.setHeader('X-Trace-Id', req.traceId);
  next();
}
