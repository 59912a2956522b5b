import assert from 'node:assert/strict';
import { keepHeartbeating } from '../../../src/runs/keep-heartbeating';
import type { RunContext, RunProgress } from '../../../src/runs/run-performer';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function recordingContext(heartbeatTimeoutMs: number): { context: RunContext; beats: RunProgress[] } {
  const beats: RunProgress[] = [];
  const context: RunContext = {
    heartbeat: (progress) => beats.push(progress),
    sleep,
    signal: new AbortController().signal,
    attempt: 1,
    heartbeatTimeoutMs,
  };
  return { context, beats };
}

describe('keepHeartbeating', () => {
  it('tells the engine where the attempt stands every quarter of the heartbeat timeout while its work waits', async () => {
    const { context, beats } = recordingContext(200); // a beat every 50 ms
    const result = await keepHeartbeating(context, { step: 'beginning' }, async (alive) => {
      await sleep(180); // a database that answers slowly: longer than half the heartbeat timeout, no beat of its own
      alive.heartbeat({ step: 'rendering', done: 0, of: 1 });
      await sleep(180);
      return 'done';
    });
    assert.equal(result, 'done');
    const steps = beats.map((beat) => beat.step);
    assert.ok(steps.filter((step) => step === 'beginning').length >= 2, `beats: ${steps.join(', ')}`);
    assert.ok(steps.filter((step) => step === 'rendering').length >= 2, `beats: ${steps.join(', ')}`);
    assert.ok(steps.indexOf('rendering') > steps.lastIndexOf('beginning'), 'each beat says where the work stands then');
  });

  it('stops beating once the work is over, whether it succeeded or failed', async () => {
    const { context, beats } = recordingContext(40);
    await assert.rejects(keepHeartbeating(context, { step: 'delivering' }, async () => {
      await sleep(30);
      throw new Error('the far side refused');
    }), /refused/);
    const afterFailure = beats.length;
    await sleep(60);
    assert.equal(beats.length, afterFailure, 'a beat came after the work had ended');
  });
});
