import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    traceId: string;
  }
}

/** Every request gets a trace id: in the `X-Trace-Id` header, in every error body and in the request's log line. */
export function traceId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-trace-id');
  req.traceId = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomBytes(16).toString('hex');
  res.setHeader('X-Trace-Id', req.traceId);
  next();
}
