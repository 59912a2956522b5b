import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Db } from 'mongodb';
import { errors } from '../errors';

async function withTimeout<T>(probe: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/health`: the process lives. `/ready`: MongoDB and Temporal answer (503 naming what does not). */
export function healthRouter(dependencies: { db: Db; temporal: Client }): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res, next) => {
    const checks = await Promise.allSettled([
      withTimeout(dependencies.db.command({ ping: 1 }), 2_000),
      withTimeout(dependencies.temporal.connection.workflowService.getSystemInfo({}), 2_000),
    ]);
    const failures = checks
      .map((check, i) => (check.status === 'rejected' ? `${['mongodb', 'temporal'][i]}: ${(check.reason as Error).message}` : undefined))
      .filter(Boolean);
    if (failures.length > 0) return next(errors.unavailable(`not ready: ${failures.join('; ')}`));
    res.json({ status: 'ready', mongodb: 'ok', temporal: 'ok' });
  });
  return router;
}
