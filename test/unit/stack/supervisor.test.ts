import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../../../scripts/stack/process';
import { DEFAULT_BACKOFF, nextRestartDelay, supervise } from '../../../scripts/stack/supervisor';

describe('supervisor', () => {
  it('waits 1 s, then doubles up to 30 s while a process keeps dying, and 1 s again after a minute up', () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let exit = 0; exit < 8; exit++) delays.push((delay = nextRestartDelay(DEFAULT_BACKOFF, delay, 2_000)));
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    assert.equal(nextRestartDelay(DEFAULT_BACKOFF, 30_000, 59_999), 30_000);
    assert.equal(nextRestartDelay(DEFAULT_BACKOFF, 30_000, 60_000), 1_000);
  });

  it('restarts a real process that exits, logging the exit code and the growing delay, and stops it for good', async function () {
    this.timeout(10_000);
    const lines: string[] = [];
    const logDir = mkdtempSync(join(tmpdir(), 'supervisor-'));
    // Exits with code 3 at once the first two times, then stays up.
    let starts = 0;
    const start = () => {
      starts++;
      const script = starts <= 2 ? 'process.exit(3)' : 'setInterval(() => {}, 1000)';
      return startProcess('flaky', process.execPath, ['-e', script], { log: 'file', logDir });
    };
    const backoff = { initialMs: 200, maxMs: 1_000, resetAfterMs: 60_000 };
    const supervision = supervise('flaky', start(), async () => start(), { log: (line) => lines.push(line), backoff });
    const deadline = Date.now() + 5_000;
    while (supervision.restarts < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await supervision.stop();
    rmSync(logDir, { recursive: true, force: true });
    assert.equal(supervision.restarts, 2);
    assert.match(lines[0]!, /^flaky exited \(exit code 3\) after [\d.]+ s; restarting in 0\.2 s$/);
    assert.equal(lines[1], 'flaky restarted (restart 1)');
    assert.match(lines[2]!, /^flaky exited \(exit code 3\) after [\d.]+ s; restarting in 0\.4 s$/);
    assert.equal(lines[3], 'flaky restarted (restart 2)');
    assert.equal(lines.length, 4, 'stop() restarts nothing');
  });
});
