import type { NextFunction, Request, Response } from 'express';
import { verifyToken, type AuthSettings, type Caller } from '../../auth/claims';
import { errors } from '../../errors';

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

export function authenticate(settings: AuthSettings) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.header('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) return next(errors.unauthorized('missing "Authorization: Bearer <token>" header'));
    const result = verifyToken(match[1]!, settings);
    if ('reason' in result) return next(errors.unauthorized(result.reason));
    req.caller = result.caller;
    next();
  };
}

export function callerOf(req: Request): Caller {
  if (!req.caller) throw errors.unauthorized('not authenticated');
  return req.caller;
}
