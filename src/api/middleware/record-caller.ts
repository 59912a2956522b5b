import type { NextFunction, Request, Response } from 'express';
import type { DirectoryService } from '../../directory/directory-service';
import type { Logger } from '../../logger';
import { callerOf } from './authenticate';

/**
 * Keeps the tenant's directory current with who calls the API, so tasks can name them as
 * `userIds` recipients. Never delays or fails the request: a failed write is logged and retried
 * on the caller's next request.
 */
export function recordCaller(directory: DirectoryService, logger: Logger) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    directory.recordCaller(callerOf(req)).catch((error: Error) => logger.warn({ err: error }, 'recording the caller in the directory failed'));
    next();
  };
}
