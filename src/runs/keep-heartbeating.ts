import type { RunContext, RunProgress } from './run-performer';

/**
 * Runs `work` while telling the engine, every quarter of the heartbeat timeout, that this attempt
 * is alive and where it stands (`progress()`): an attempt that waits long on the database or on
 * the far side is slow, not dead, and must not be given up and retried beside itself. A frozen or
 * dead process sends nothing, so the engine still gives it up after the heartbeat timeout.
 */
export async function keepHeartbeating<T>(context: RunContext, progress: () => RunProgress, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => context.heartbeat(progress()), context.heartbeatTimeoutMs / 4);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
