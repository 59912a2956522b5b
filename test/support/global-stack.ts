/**
 * Mocha global fixture: one local stack (Temporal dev server, FerretDB or MONGODB_URI, maildev)
 * on free ports with throwaway data, shared by every test file and stopped at the end. It never
 * touches the ports or data of a running `npm start`.
 *
 * The suite's console shows the test list and the summary only: the service's logs and the
 * Temporal SDK's (warnings, the activity failures tests provoke) go to `<data dir>/service.log`,
 * next to the stack's own logs. A failed test's message names that file, and the directory is
 * kept when anything failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack';
import { Runtime } from '@temporalio/worker';
import { addToFailure } from './failure-note';
import { freePort } from '../../scripts/stack/process';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/worker/create-worker';

let stack: LocalStack | undefined;
let dataDir: string | undefined;
let anyFailed = false;

export async function mochaGlobalSetup(): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'sharing-tasks-test-'));
  const logFile = join(dataDir, 'service.log');
  process.env.TEST_LOG_FILE = logFile;
  const sdkMetricsPort = await freePort();
  installTemporalRuntime('warn', createLogger('temporal-sdk', 'warn', logFile), { host: '127.0.0.1', port: sdkMetricsPort });
  process.env.TEST_TEMPORAL_SDK_METRICS_URL = `http://127.0.0.1:${sdkMetricsPort}/metrics`;
  stack = await startLocalStack({
    dataDir,
    reuse: false,
    log: 'file',
    // Small enough for a test to reach the continue-as-new suggestion in seconds.
    temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 120 },
  });
  process.env.TEST_TEMPORAL_ADDRESS = stack.temporalAddress;
  process.env.TEST_TEMPORAL_UI_URL = stack.temporalUiUrl;
  if (stack.temporalMetricsUrl) process.env.TEST_TEMPORAL_METRICS_URL = stack.temporalMetricsUrl;
  process.env.TEST_MONGODB_URI = stack.mongoUri;
  process.env.TEST_SMTP_HOST = stack.smtp.host;
  process.env.TEST_SMTP_PORT = String(stack.smtp.port);
  process.env.TEST_INBOX_URL = stack.inboxUrl;
  process.env.TEST_STACK_DATA_DIR = dataDir;
}

export const mochaHooks = {
  afterEach(this: Mocha.Context): void {
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    anyFailed = true;
    if (!test.err || !dataDir) return;
    const note = `(logs: ${join(dataDir, 'service.log')}, the stack's *.log beside it; kept after the run)`;
    addToFailure(test.err, note);
  },
};

export async function mochaGlobalTeardown(): Promise<void> {
  // The SDK shuts its runtime down when its last worker or connection closes; one that never had
  // any (a run of files without workers) would keep forwarding logs, and the process alive.
  await Runtime.instance().shutdown();
  await stack?.stop();
  if (!dataDir) return;
  if (anyFailed || process.env.KEEP_TEST_DATA) console.log(`test logs and data kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
}
