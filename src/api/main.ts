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
import { createApp } from './app';
import type { Server } from 'node:http';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** The API process's composition root. Starts even when MongoDB or Temporal are down (then /ready says 503). */
export async function startApi(config: Config): Promise<RunningApi> {
  const logger = createLogger('api', config.logLevel);
  const mongo = createMongo(config.mongo);
  const stores = createStores(mongo.db);
  const temporal = createTemporalClient(config.temporal);
  const workflows = new TaskWorkflows(temporal, config.temporal.taskQueue, config.staging);
  const settings = new SettingsService(stores, systemClock);
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
  return {
    server,
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await drain();
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
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void api.close());
    },
    (error: Error) => {
      console.error(`api failed to start: ${error.message}`);
      process.exit(1);
    },
  );
}
