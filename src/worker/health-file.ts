import { writeFile } from 'node:fs/promises';
import type { Worker } from '@temporalio/worker';

export const HEALTH_FILE_INTERVAL_MS = 5_000;

/**
 * Writes `{"state","at"}` to `path` every 5 s while the worker is RUNNING (polling its task queue),
 * so a probe that reads the file's age learns that the process lives, its event loop turns and the
 * worker runs: what a container health check of a process without a port can know. Returns a stop.
 */
export function keepHealthFile(path: string, worker: Pick<Worker, 'getState'>, intervalMs = HEALTH_FILE_INTERVAL_MS): () => void {
  const write = () => {
    const state = worker.getState();
    if (state !== 'RUNNING') return;
    void writeFile(path, `${JSON.stringify({ state, at: new Date().toISOString() })}\n`).catch(() => undefined);
  };
  write();
  const timer = setInterval(write, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
