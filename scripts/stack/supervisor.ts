/**
 * Keeps the processes `npm start` started running: one that exits (crash, kill -9, OOM) is started
 * again after a delay that doubles from 1 s to 30 s while it keeps dying, and starts at 1 s again
 * once it has stayed up for a minute. Each exit and each restart is one log line saying why and when.
 */
import { describeExit, type ProcessExit } from './process';

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Up this long: the next exit is a fresh failure, not part of a crash loop. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

/** The wait before the next start: `previousMs` undefined before the first restart. */
export function nextRestartDelay(policy: BackoffPolicy, previousMs: number | undefined, upForMs: number): number {
  if (previousMs === undefined || upForMs >= policy.resetAfterMs) return policy.initialMs;
  return Math.min(policy.maxMs, previousMs * 2);
}

/** One running instance of a supervised thing: a child process, or a service made of some. */
export interface Supervisable {
  exited: Promise<ProcessExit>;
  stop(): Promise<void>;
}

export interface Supervision {
  name: string;
  /** Restarts so far. */
  readonly restarts: number;
  /** Stops the current instance (waiting for a start under way) and restarts nothing more. */
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  log: (line: string) => void;
  backoff?: BackoffPolicy;
  /** Called after each successful restart, with the new instance (tests). */
  onRestart?: (name: string, instance: Supervisable) => void;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Supervises `first` (already started and ready) and, after it exits, what `start` returns; a
 * `start` that throws counts as an exit at once and is retried with the same backoff.
 */
export function supervise(name: string, first: Supervisable, start: () => Promise<Supervisable>, options: SupervisorOptions): Supervision {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let stopping = false;
  let current: Supervisable | undefined = first;
  let restarts = 0;
  let wakeUp: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => (wakeUp = resolve));

  const loop = async () => {
    let delay: number | undefined;
    let upSince = Date.now();
    let instance: Supervisable | undefined = first;
    for (;;) {
      const exit = instance && (await Promise.race([instance.exited, stopped.then(() => undefined)]));
      if (stopping) return;
      await instance?.stop(); // what is left of it: a service's other processes, its process group
      const upFor = Date.now() - upSince;
      delay = nextRestartDelay(backoff, delay, upFor);
      const what = exit ? `exited (${describeExit(exit)}) after ${seconds(upFor)}` : 'is not running';
      options.log(`${name} ${what}; restarting in ${seconds(delay)}`);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, delay).unref()), stopped]);
      if (stopping) return;
      upSince = Date.now();
      try {
        instance = current = await start();
      } catch (error) {
        instance = current = undefined;
        options.log(`${name} restart failed: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
      restarts++;
      if (stopping) return void (await instance.stop());
      options.log(`${name} restarted (restart ${restarts})`);
      options.onRestart?.(name, instance);
    }
  };
  const running = loop();

  return {
    name,
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await running;
      await current?.stop();
    },
  };
}
