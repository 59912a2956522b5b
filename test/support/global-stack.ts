/**
 * Mocha global fixture: one local stack (Temporal dev server, FerretDB or MONGODB_URI, maildev)
 * on free ports with throwaway data, shared by every test file and stopped at the end. It never
 * touches the ports or data of a running `npm start`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack';
import { installTemporalRuntime } from '../../src/worker/create-worker';

let stack: LocalStack | undefined;
let dataDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  installTemporalRuntime('warn');
  dataDir = mkdtempSync(join(tmpdir(), 'sharing-tasks-test-'));
  stack = await startLocalStack({
    dataDir,
    reuse: false,
    log: 'file',
    // Small enough for a test to reach the continue-as-new suggestion in seconds.
    temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 120 },
  });
  process.env.TEST_TEMPORAL_ADDRESS = stack.temporalAddress;
  process.env.TEST_TEMPORAL_UI_URL = stack.temporalUiUrl;
  process.env.TEST_MONGODB_URI = stack.mongoUri;
  process.env.TEST_SMTP_HOST = stack.smtp.host;
  process.env.TEST_SMTP_PORT = String(stack.smtp.port);
  process.env.TEST_INBOX_URL = stack.inboxUrl;
  process.env.TEST_STACK_DATA_DIR = dataDir;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stack?.stop();
  if (dataDir && !process.env.KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
}
