import type { RunContext, RunProgress } from './run-performer';

/**
 * Runs `work` while telling the engine, every quarter of the heartbeat timeout, that this attempt
 * is alive and where it last said it stands (`initial` until its first heartbeat): an attempt
 * that waits long on the database or on the far side is slow, not dead, and must not be given up
 * and retried beside itself. A frozen or dead process sends nothing, so the engine still gives it
 * up after the heartbeat timeout. `work` heartbeats through the context it is given.
 */
export async function keepHeartbeating<T>(context: RunContext, initial: RunProgress, work: (alive: RunContext) => Promise<T>): Promise<T> {
  let latest = initial;
  const alive: RunContext = {
    ...context,
    heartbeat: (progress) => {
      latest = progress;
      context.heartbeat(progress);
    },
  };
  const timer = setInterval(() => context.heartbeat(latest), context.heartbeatTimeoutMs / 4);
  try {
    return await work(alive);
  } finally {
    clearInterval(timer);
  }
}
