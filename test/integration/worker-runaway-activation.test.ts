import { TestWorkflowEnvironment } from '@temporalio/testing';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureTemporalTestServer } from '../../scripts/stack/install';

const root = join(__dirname, '..', '..');

/**
 * Why a workflow activation's CPU must stay bounded (the worker crash of issue 15): workflow code
 * that runs past Temporal's isolate timeout (5 s) inside a cancellation scope does not fail its
 * workflow task. V8 stops it in the middle of a promise callback, the worker thread's async-context
 * stack is left unbalanced, and Node aborts the whole worker process with the signature seen under
 * `npm start`. The task workflow got there through its schedule evaluation (five every-minute YEARLY
 * rules cost ~2 s an evaluation in December); test/unit/schedule/day-times.test.ts bounds that cost.
 */
describe('a workflow activation that runs past the isolate timeout', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;

  before(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: await ensureTemporalTestServer() } },
    });
  });
  after(async () => env?.teardown());

  // reuseV8Context: false (one context per workflow) is a published mitigation; it does not help here.
  for (const reuseV8Context of [true, false]) {
    it(`aborts the worker process: "async hook stack has become corrupted" (reuseV8Context: ${reuseV8Context})`, async () => {
      const taskQueue = `runaway-${reuseV8Context}`;
      const worker = spawn(process.execPath, ['--import', 'tsx', 'test/support/runaway/worker.ts'], {
        cwd: root,
        env: { ...process.env, TEMPORAL_ADDRESS: env.address, TASK_QUEUE: taskQueue, REUSE_V8_CONTEXT: String(reuseV8Context) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
      try {
        // Tens of seconds of synchronous work on any machine: well past the 5 s isolate timeout.
        await env.client.workflow.start('runawayActivation', { taskQueue, workflowId: `runaway-${Date.now()}`, args: [2e10] });
        const code = await Promise.race([exited, new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), 60_000).unref())]);
        assert.notEqual(code, 'alive', `the worker survived: ${output.slice(-2000)}`);
        assert.notEqual(code, 0);
        assert.match(output, /async hook stack has become corrupted \(actual: \d+, expected: \d+\)/);
      } finally {
        worker.kill('SIGKILL');
      }
    });
  }
});
