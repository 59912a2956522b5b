process.env.TZ = 'UTC'; // activities format dates; keep the worker's own zone fixed

import '../telemetry/trace-worker'; // first: it must run before anything loads http or mongodb

import { activeTracing } from '../telemetry/instrument';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { createWorkerRuntime, installTemporalRuntime } from './create-worker';
import { keepHealthFile } from './health-file';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.logLevel, config.logFile);
  const sdkMetricsPort = config.metrics.temporalSdkPort;
  installTemporalRuntime(config.logLevel, logger, sdkMetricsPort ? { host: config.metrics.worker.host, port: sdkMetricsPort } : undefined);
  const runtime = await createWorkerRuntime(config, logger);
  let stopping = false;
  const stop = () => {
    if (stopping) return; // Ctrl-C reaches the worker twice under npm start (terminal and parent)
    stopping = true;
    runtime.shutdown();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
  logger.info({ taskQueue: config.temporal.taskQueue, temporal: config.temporal.address, metrics: runtime.metricsUrl }, 'worker started');
  const running = runtime.run();
  // The worker turns RUNNING once run() has started polling.
  const stopHealthFile = config.workerHealthFile ? keepHealthFile(config.workerHealthFile, runtime.worker) : undefined;
  await running;
  stopHealthFile?.();
  await runtime.close();
  await activeTracing()?.shutdown();
  logger.info('worker stopped');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `worker failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
