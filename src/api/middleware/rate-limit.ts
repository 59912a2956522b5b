import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { errors } from '../../errors';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Per-user limits by tier, as the reference: reads (Tier 1) and writes (Tier 2) per minute. Answers
 * 429 with Retry-After and the standard RateLimit headers. Counters live in this API process; several
 * replicas behind a balancer each count their share (a shared store is the next step for strict limits).
 */
export function rateLimits(limits: { readsPerMinute: number; writesPerMinute: number }): RequestHandler {
  const limiter = (limit: number, tier: string) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: tier,
      keyGenerator: (req) => `${req.caller?.tenant}/${req.caller?.userId}`,
      handler: (_req: Request, _res: Response, next: NextFunction) =>
        next(errors.tooManyRequests(`more than ${limit} ${tier} requests a minute; retry after the Retry-After header's seconds`)),
    });
  const reads = limiter(limits.readsPerMinute, 'read');
  const writes = limiter(limits.writesPerMinute, 'write');
  return (req, res, next) => (READ_METHODS.has(req.method) ? reads : writes)(req, res, next);
}
