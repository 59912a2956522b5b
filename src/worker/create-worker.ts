import { FileLinkSigner } from '../auth/file-link-signature';
import { FileLinks } from '../runs/file-links';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import type { MongoClient } from 'mongodb';
import { createActivities } from '../../activities';
import { systemClock } from '../clock';
import type { Config } from '../config';
import { EmailSender } from '../deliver/email';
import { SharePointUploader } from '../deliver/sharepoint';
import type { Logger } from '../logger';
import { RunMetrics } from '../metrics/run-metrics';
import { serveMetrics, type MetricsServer } from '../metrics/registry';
import { activeTracing } from '../telemetry/instrument';
import { createRenderer } from '../render';
import { DeliveryService } from '../runs/delivery-service';
import { RunPerformer } from '../runs/run-performer';
import { RunService } from '../runs/run-service';
import { TaskStatusService } from '../runs/task-status';
import { AppReloadFanout } from '../sharing-tasks/app-reload-fanout';
import { FeatureToggleFanout } from '../sharing-tasks/feature-toggle-fanout';
import { OrderedTaskChanges } from '../sharing-tasks/ordered-change';
import { Reconciler } from '../sharing-tasks/reconciler';
import { createMongo, createStores, ensureIndexes } from '../store';
import { createTemporalClient } from '../temporal/connection';
import { TaskWorkflows } from '../temporal/task-workflows';

export interface WorkerRuntime {
  worker: Worker;
  reconciler: Reconciler;
  /** The worker's run metrics, e.g. http://127.0.0.1:9464/metrics (WORKER_METRICS_HOST, WORKER_METRICS_PORT). */
  metricsUrl: string;
  /** Runs the worker until shutdown() (or a fatal error), starting the reconciler workflow when none runs. */
  run(): Promise<void>;
  shutdown(): void;
  /** Closes connections after run() has returned. */
  close(): Promise<void>;
}

/**
 * The workflow code's pure modules — luxon, rrule and the schedule module built on them — loaded
 * once per worker thread and shared by every workflow in the reusable V8 context; otherwise each
 * cached workflow evaluates its own copy (bench/README.md, finding 7). Only stateless code belongs
 * here (Temporal's `preloadModules`): no mutable module state, no /g regular expressions.
 */
export const WORKFLOW_PRELOADED_MODULES = ['luxon', 'rrule', require.resolve('../schedule')];

/** Where the workflow code comes from: bundled from source (default) or a bundle prepared once (tests). */
export type WorkflowSource = Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle'>;

const SDK_LOG_LEVELS: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' };
const PINO_LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The Temporal SDK's logs (its own and its native core's) as lines of the service's logger. */
export function sdkLogger(level: string, logger: Logger): DefaultLogger {
  return new DefaultLogger(SDK_LOG_LEVELS[level] ?? 'ERROR', ({ level: entryLevel, message, meta }) =>
    logger[PINO_LEVELS[entryLevel]]({ sdk: meta }, message),
  );
}

/**
 * Sets up the Temporal SDK's process-wide runtime; call once per process, before any worker or
 * connection. Its logs, native ones included, go to `logger` at the service's level; with
 * `sdkMetrics`, its own Prometheus exporter serves the SDK's metrics (`temporal_*`) there.
 */
export function installTemporalRuntime(level: string, logger: Logger, sdkMetrics?: { host: string; port: number }): void {
  const sdkLevel = SDK_LOG_LEVELS[level] ?? 'ERROR';
  const bindAddress = sdkMetrics && `${sdkMetrics.host.includes(':') ? `[${sdkMetrics.host}]` : sdkMetrics.host}:${sdkMetrics.port}`;
  Runtime.install({
    logger: sdkLogger(level, logger),
    telemetryOptions: {
      logging: { filter: { core: sdkLevel, other: sdkLevel }, forward: {} },
      ...(bindAddress ? { metrics: { prometheus: { bindAddress, useSecondsForDurations: true, unitSuffix: true, countersTotalSuffix: true } } } : {}),
    },
  });
}

/** The worker process's composition root: configuration in, a wired worker out. */
export async function createWorkerRuntime(
  config: Config,
  logger: Logger,
  source: WorkflowSource = { workflowsPath: require.resolve('../../workflows') },
): Promise<WorkerRuntime> {
  let mongo: MongoClient | undefined;
  let connection: NativeConnection | undefined;
  let metricsServer: MetricsServer | undefined;
  try {
    const opened = createMongo(config.mongo);
    mongo = opened.client;
    const stores = createStores(opened.db);
    await ensureIndexes(stores);
    const metrics = new RunMetrics();
    const taskStatus = new TaskStatusService(stores, systemClock, metrics);
    const email = new EmailSender(config.smtp);
    const renderer = createRenderer(config.render);
    const runs = new RunService(stores, taskStatus, renderer, systemClock, config.rules, metrics);
    const apiBaseUrl = config.http.publicBaseUrl ?? `http://${config.http.host}:${config.http.port}`;
    const sharePoint = config.sharePoint && new SharePointUploader(config.sharePoint);
    const fileLinks = new FileLinks(apiBaseUrl, new FileLinkSigner(config.fileLinks));
    // The mail's inline chart is drawn here only by the built-in renderer: a reporting engine is asked for the files alone.
    const chartRenderer = config.render.kind === 'builtin' ? renderer : undefined;
    const deliveries = new DeliveryService(stores, { email, sharePoint }, fileLinks, systemClock, metrics, config.rules.deliveryTimeoutSeconds * 1000, chartRenderer);
    const tracing = activeTracing()?.worker;

    const client = createTemporalClient(config.temporal);
    const taskWorkflows = new TaskWorkflows(client, config.temporal.taskQueue, config.staging);
    const featureToggles = new FeatureToggleFanout(stores, new OrderedTaskChanges(stores, taskWorkflows, systemClock), taskWorkflows, systemClock);
    const reconciler = new Reconciler(stores, taskWorkflows, client, logger, config.temporal.taskQueue, featureToggles);
    connection = await NativeConnection.connect({ address: config.temporal.address });
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      ...source,
      // A prepared bundle (tests) was bundled with the same list: test/support/workflow-bundle.ts.
      ...(source.workflowsPath ? { bundlerOptions: { preloadModules: WORKFLOW_PRELOADED_MODULES } } : {}),
      activities: createActivities({
        runs,
        performer: new RunPerformer(runs, deliveries, systemClock, config.rules.runConcurrency),
        deliveries,
        taskStatus,
        reconciler,
        fanout: new AppReloadFanout(stores, taskWorkflows),
        featureToggles,
        limits: {
          timeoutSeconds: config.rules.runTimeoutSeconds,
          deliveryTimeoutSeconds: config.rules.deliveryTimeoutSeconds,
          heartbeatTimeoutSeconds: config.rules.runHeartbeatTimeoutSeconds,
        },
      }),
      maxCachedWorkflows: config.temporal.maxCachedWorkflows,
      stickyQueueScheduleToStartTimeout: config.temporal.stickyQueueScheduleToStartTimeout as `${number}s`,
      maxConcurrentActivityTaskExecutions: config.temporal.maxConcurrentActivities,
      ...(tracing ? { interceptors: tracing.interceptors, sinks: tracing.sinks } : {}),
    });
    metricsServer = await serveMetrics(metrics.registry, config.metrics.worker, logger);

    const closeAll = async () => {
      email.close();
      await renderer.close?.();
      await client.connection.close();
      await connection!.close();
      await mongo!.close();
      await metricsServer!.close();
    };
    return {
      worker,
      reconciler,
      metricsUrl: metricsServer.url,
      async run() {
        const running = worker.run();
        if (config.reconcileIntervalSeconds > 0) {
          await taskWorkflows.ensureReconciler(config.reconcileIntervalSeconds).catch((error: Error) => logger.warn({ err: error }, 'the reconciler workflow did not start'));
        }
        await running;
      },
      shutdown: () => worker.shutdown(),
      close: closeAll,
    };
  } catch (error) {
    await connection?.close().catch(() => undefined);
    await mongo?.close().catch(() => undefined);
    await metricsServer?.close();
    throw error;
  }
}
