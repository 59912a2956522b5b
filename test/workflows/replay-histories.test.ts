import { Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundle } from '../support/workflow-bundle';

const HISTORIES_DIR = join(__dirname, 'histories');

/**
 * Today's workflow code must replay every history recorded from the real stack by earlier versions
 * (test/workflows/histories, written by its capture.ts): they stand for the workflows open in
 * production when this code is deployed. A change that would make any of them take another path
 * fails here; README's "Changing workflow code" says how to make such a change (patched()).
 */
describe('recorded workflow histories replay on today\'s workflow code', function () {
  this.timeout(120_000);
  const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort();

  it('has histories of every trigger kind and control to replay', () => {
    const scenarios = new Set(files.map((file) => file.split('.')[0]));
    for (const scenario of ['scheduled', 'creation', 'execute-now', 'app-reload', 'pause-resume', 'patch', 'cancel', 'series-end', 'catch-up', 'max-failures', 'continue-as-new']) {
      assert.ok(scenarios.has(scenario), `no recorded history for ${scenario}`);
    }
  });

  it('replays each of them without a determinism error', async () => {
    const histories = files.map((file) => JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as { workflowId: string; history: unknown });
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    assert.equal(replayed, histories.length);
    assert.deepEqual(failures, []);
  });
});
