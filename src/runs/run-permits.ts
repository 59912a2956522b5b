import type { RunContext } from './run-performer';

/** How often a run waiting for its turn tells the engine it is alive. */
const QUEUED_HEARTBEAT_MS = 5_000;

/**
 * At most `limit` runs of this worker perform at once (0: no bound), the others wait in arrival
 * order. Thousands of staged runs reach their instant together: begun all at once on one event
 * loop they share it, and every one of them finishes late; taken in turn, the first mails go out
 * at once and the rest at the machine's rate. A waiting run heartbeats and stops waiting when it
 * is cancelled.
 */
export class RunPermits {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves with the release of the permit once it is this run's turn. */
  async acquire(context: RunContext): Promise<() => void> {
    if (this.limit === 0) return () => undefined;
    if (this.running < this.limit) return this.granted();
    let turn!: () => void;
    const ready = new Promise<void>((resolve) => (turn = resolve));
    this.waiting.push(turn);
    try {
      for (let given = false; !given; ) {
        context.heartbeat({ step: 'queued', of: this.waiting.length });
        given = await Promise.race([ready.then(() => true), context.sleep(QUEUED_HEARTBEAT_MS).then(() => false)]);
      }
    } catch (error) {
      // Cancelled while waiting: give the turn on if it came meanwhile, else leave the queue.
      const index = this.waiting.indexOf(turn);
      if (index >= 0) this.waiting.splice(index, 1);
      else this.release();
      throw error;
    }
    return this.releaser();
  }

  private granted(): () => void {
    this.running++;
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** Hands the permit to the next in line, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
