import '../telemetry/trace-api'; // first: it must run before anything loads http or mongodb

import { activeTracing } from '../telemetry/instrument';
import { FileLinkSigner } from '../auth/file-link-signature';
import { systemClock } from '../clock';
import { ConfigError, loadConfig, type Config } from '../config';
import { DirectoryService } from '../directory/directory-service';
import { createLogger } from '../logger';
import { ExecutionService } from '../sharing-tasks/execution-service';
import { SettingsService } from '../sharing-tasks/settings-service';
import { SharingTaskService } from '../sharing-tasks/sharing-task-service';
import { createMongo, createStores } from '../store';
import { createTemporalClient } from '../temporal/connection';
import { TaskWorkflows } from '../temporal/task-workflows';
import { serveMetrics, type MetricsServer } from '../metrics/registry';
import { createApp } from './app';
import { requestMetrics } from './middleware/request-metrics';
import type { Server } from 'node:http';

export interface RunningApi {
  server: Server;
  url: string;
  /** GET /metrics: on the API's port, or on API_METRICS_PORT's. */
  metricsUrl: string;
  close(): Promise<void>;
}

/** The API process's composition root. Starts even when MongoDB or Temporal are down (then /ready says 503). */
export async function startApi(config: Config): Promise<RunningApi> {
  const logger = createLogger('api', config.logLevel, config.logFile);
  const metrics = requestMetrics();
  const mongo = createMongo(config.mongo);
  const stores = createStores(mongo.db);
  const temporal = createTemporalClient(config.temporal);
  const workflows = new TaskWorkflows(temporal, config.temporal.taskQueue, config.staging);
  const settings = new SettingsService(stores, systemClock, workflows);
  const tasks = new SharingTaskService(stores, settings, workflows, systemClock, config.rules);
  const { app, drain } = createApp({
    logger,
    db: mongo.db,
    temporal,
    auth: config.auth,
    tasks,
    executions: new ExecutionService(stores, tasks),
    settings,
    directory: new DirectoryService(stores.directory, systemClock),
    rateLimits: config.rateLimits,
    links: { publicBaseUrl: config.http.publicBaseUrl, listenHost: config.http.host, allowedHosts: config.http.allowedHosts },
    trustProxy: config.http.trustProxy,
    idempotency: { store: stores.idempotency, ttlSeconds: config.idempotencyKeyTtlSeconds },
    metrics: { requests: metrics, serveHere: config.metrics.apiPort === undefined },
    fileLinks: new FileLinkSigner(config.fileLinks),
    console: config.console,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.http.port, config.http.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = `http://${config.http.host}:${port}`;
  logger.info({ url }, 'api listening');
  const metricsServer: MetricsServer | undefined =
    config.metrics.apiPort === undefined ? undefined : await serveMetrics(metrics.registry, { host: config.http.host, port: config.metrics.apiPort }, logger);
  return {
    server,
    url,
    metricsUrl: metricsServer?.url ?? `${url}/metrics`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await drain();
      await metricsServer?.close();
      await temporal.connection.close().catch(() => undefined);
      await mongo.client.close();
    },
  };
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  startApi(config).then(
    (api) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void api.close().then(() => activeTracing()?.shutdown()));
    },
    (error: Error) => {
      console.error(`api failed to start: ${error.message}`);
      process.exit(1);
    },
  );
}
