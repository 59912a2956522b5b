import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through mocha (test/support/global-stack.ts)`);
  return value;
}

/** A configuration for one test suite on the shared test stack: its own database and task queue. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testEnv(overrides));
}

/** testConfig() as environment variables, for a service started as its own process. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const suffix = randomBytes(4).toString('hex');
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    MONGODB_URI: required('TEST_MONGODB_URI'),
    MONGODB_DB: `test_${suffix}`,
    MONGODB_MAX_POOL_SIZE: '5',
    TEMPORAL_ADDRESS: required('TEST_TEMPORAL_ADDRESS'),
    TEMPORAL_TASK_QUEUE: `test-${suffix}`,
    SMTP_HOST: required('TEST_SMTP_HOST'),
    SMTP_PORT: required('TEST_SMTP_PORT'),
    RECONCILE_INTERVAL_SECONDS: '0',
    JWT_SECRET: 'test-secret-at-least-16-chars',
    // Many workers run at once, in this process and in others: metrics on free ports, no SDK exporter each.
    WORKER_METRICS_PORT: '0',
    TEMPORAL_SDK_METRICS_PORT: '0',
    LOG_FILE: required('TEST_LOG_FILE'),
    ...overrides,
  };
}

export function inboxUrl(): string {
  return required('TEST_INBOX_URL');
}

/** Where the suite's in-process Temporal runtime serves the SDK's metrics (test/support/global-stack.ts). */
export function temporalSdkMetricsUrl(): string {
  return required('TEST_TEMPORAL_SDK_METRICS_URL');
}

export function temporalUiUrl(): string {
  return required('TEST_TEMPORAL_UI_URL');
}
