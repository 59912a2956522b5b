import assert from 'node:assert/strict';
import { RunPermits } from '../../../src/runs/run-permits';
import type { RunContext, RunProgress } from '../../../src/runs/run-performer';

/** A run's context whose sleep is real time and whose cancellation the test triggers. */
function contextOf(heartbeats: RunProgress[] = []): RunContext & { cancel(): void } {
  const controller = new AbortController();
  return {
    heartbeat: (progress) => heartbeats.push(progress),
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Error('cancelled'));
        };
        const timer = setTimeout(() => {
          controller.signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        controller.signal.addEventListener('abort', onAbort, { once: true });
      }),
    signal: controller.signal,
    attempt: 1,
    heartbeatTimeoutMs: 30_000,
    cancel: () => controller.abort(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RunPermits', () => {
  it('lets `limit` runs perform at once and the others in arrival order', async () => {
    const permits = new RunPermits(2);
    const began: number[] = [];
    const releases: (() => void)[] = [];
    const runs = [0, 1, 2, 3].map(async (run) => {
      const release = await permits.acquire(contextOf());
      began.push(run);
      releases[run] = release;
    });
    await tick();
    assert.deepEqual(began, [0, 1]);
    releases[1]!();
    await tick();
    assert.deepEqual(began, [0, 1, 2]);
    releases[1]!(); // a second release of the same permit frees nothing more
    await tick();
    assert.deepEqual(began, [0, 1, 2]);
    releases[0]!();
    await Promise.all(runs);
    assert.deepEqual(began, [0, 1, 2, 3]);
  });

  it('with no bound, never waits', async () => {
    const permits = new RunPermits(0);
    const held = await Promise.all(Array.from({ length: 50 }, () => permits.acquire(contextOf())));
    assert.equal(held.length, 50);
  });

  it('a run cancelled while it waits leaves the queue and takes no permit', async () => {
    const permits = new RunPermits(1);
    const releaseFirst = await permits.acquire(contextOf());
    const heartbeats: RunProgress[] = [];
    const cancelled = contextOf(heartbeats);
    const waiting = permits.acquire(cancelled);
    const third = permits.acquire(contextOf());
    await tick();
    assert.deepEqual(heartbeats, [{ step: 'queued', of: 1 }], 'it said it waits, first in line');
    cancelled.cancel();
    await assert.rejects(waiting, /cancelled/);
    releaseFirst();
    const releaseThird = await third; // the turn skips the cancelled run
    let fourthBegan = false;
    void permits.acquire(contextOf()).then(() => (fourthBegan = true));
    await tick();
    assert.equal(fourthBegan, false, 'one permit, held by the third run');
    releaseThird();
    await tick();
    assert.equal(fourthBegan, true);
  });
});
