import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Db } from 'mongodb';
import { errors } from '../errors';
import { resource } from './resource';

const PROBE_MS = 2_000;

/**
 * `/health`: the process lives. `/ready`: MongoDB and Temporal answer (503 naming what does not).
 * Probes still under way are awaited by `drain()` before the connections close, so a late gRPC
 * retry never meets a closed channel.
 */
export function healthRouter(dependencies: { db: Db; temporal: Client }): { router: Router; drain(): Promise<void> } {
  const inflight = new Set<Promise<unknown>>();
  const probe = <T>(name: string, run: () => Promise<T>): Promise<string | undefined> => {
    const call = run();
    inflight.add(call);
    void call.catch(() => undefined).finally(() => inflight.delete(call));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`${name}: no answer within ${PROBE_MS} ms`), PROBE_MS + 500);
    });
    return Promise.race([call.then(() => undefined, (error: Error) => `${name}: ${error.message}`), timeout]).finally(() => clearTimeout(timer));
  };

  const router = Router();
  // Probes are resources like the API's: another method (TRACE, POST...) is a 405 naming GET.
  resource(router, '/health', {
    get: (_req, res) => {
      res.json({ status: 'ok' });
    },
  });
  resource(router, '/ready', { get: async (_req, res, next) => {
    const { db, temporal } = dependencies;
    const failures = (
      await Promise.all([
        probe('mongodb', () => db.command({ ping: 1 }, { timeoutMS: PROBE_MS })),
        probe('temporal', () => temporal.connection.withDeadline(Date.now() + PROBE_MS, () => temporal.connection.workflowService.getSystemInfo({}))),
      ])
    ).filter(Boolean);
    if (failures.length > 0) return next(errors.unavailable(`not ready: ${failures.join('; ')}`));
    res.json({ status: 'ready', mongodb: 'ok', temporal: 'ok' });
  } });
  return {
    router,
    drain: async () => {
      await Promise.allSettled([...inflight]);
    },
  };
}
