import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError, errors, ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import { z } from '../../sharing-tasks/schemas/zod';
import type { IdempotencyRecord, IdempotencyStore, IdempotentResponse } from '../../store';
import { callerOf } from './authenticate';

export interface IdempotencyOptions {
  store: IdempotencyStore;
  ttlSeconds: number;
  logger: Logger;
  /** How long a repeat waits for the first request with its key to finish before a 409. */
  waitMs?: number;
}

/** The request header, validated here and documented in the OpenAPI document. */
export const IdempotencyHeadersSchema = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional()
    .openapi({ description: 'makes the request safe to repeat: repeats with this key get the first answer again (Idempotent-Replayed: true); 1 to 255 visible ASCII characters, kept 24 h per user' }),
});
const POLL_MS = 100;
const SWEEP_EVERY_MS = 3_600_000;

/** JSON with object keys sorted, so two equal bodies hash alike whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fingerprintOf(req: Request): string {
  return createHash('sha256').update(`${req.method} ${req.path}\n${canonicalJson(req.body)}`).digest('hex');
}

const mismatch = () =>
  new ApiError(422, 'HTTP-422', 'Unprocessable content', 'this Idempotency-Key was already used with a different request (method, path or body); use a new key');

function replay(res: Response, response: IdempotentResponse): void {
  res.status(response.status).setHeader('Idempotent-Replayed', 'true');
  if (response.location) res.location(response.location);
  if (response.body === undefined) res.end();
  else res.type('json').send(response.body);
}

/**
 * `Idempotency-Key` on a POST (draft-ietf-httpapi-idempotency-key-header): the first request
 * with a key runs; repeats with the same key and request wait for it and get its answer again,
 * with `Idempotent-Replayed: true`. A key is the caller's own (tenant and user) and lives
 * `ttlSeconds`. A failed first request (4xx/5xx) gives its key back, so a repeat runs again.
 */
export function idempotency({ store, ttlSeconds, logger, waitMs = 30_000 }: IdempotencyOptions): RequestHandler {
  let lastSweep = 0;
  const sweep = (now: Date) => {
    if (now.getTime() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now.getTime();
    store.deleteExpired(now).catch((error: Error) => logger.warn({ err: error }, 'sweeping expired idempotency keys failed'));
  };

  /** Runs the request and records what it answered before the answer leaves. */
  const runFirst = (id: string, res: Response, next: NextFunction) => {
    let body: unknown;
    const json = res.json.bind(res);
    res.json = (value: unknown) => {
      body = value;
      return json(value);
    };
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      const succeeded = res.statusCode >= 200 && res.statusCode < 300;
      const location = res.getHeader('location');
      const settle = succeeded
        ? store.complete(id, { status: res.statusCode, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(location ? { location: String(location) } : {}) })
        : store.release(id);
      settle.catch((error: Error) => logger.warn({ err: error, id }, 'recording an idempotency key failed')).finally(() => end(...args));
      return res;
    }) as Response['end'];
    next();
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.header('idempotency-key');
    if (key === undefined) return next();
    if (!IdempotencyHeadersSchema.shape['Idempotency-Key'].safeParse(key).success) {
      throw new ValidationError([{ field: 'header.Idempotency-Key', rule: 'invalid_format', message: 'must be 1 to 255 visible ASCII characters' }]);
    }
    const caller = callerOf(req);
    const fingerprint = fingerprintOf(req);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const now = new Date();
      sweep(now);
      const claim = await store.claim({ tenant: caller.tenant, userId: caller.userId, key }, fingerprint, now, ttlSeconds);
      if (claim.claimed) return runFirst(claim.id, res, next);
      if (claim.existing.fingerprint !== fingerprint) throw mismatch();
      const settled = await settledOrGone(claim.existing, deadline);
      if (settled === 'pending') throw errors.conflict('a request with this Idempotency-Key is still in progress; repeat it later');
      if (settled === 'gone') continue;
      return replay(res, settled.response!);
    }
  };

  /** The record once its first request finished, 'gone' if that request failed, or 'pending' at the deadline. */
  async function settledOrGone(record: IdempotencyRecord, deadline: number): Promise<IdempotencyRecord | 'gone' | 'pending'> {
    let current: IdempotencyRecord | null = record;
    while (current.state === 'pending') {
      if (Date.now() > deadline) return 'pending';
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      current = await store.find(record._id);
      if (!current) return 'gone';
    }
    return current;
  }
}
