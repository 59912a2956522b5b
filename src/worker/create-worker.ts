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
import { createRenderer } from '../render';
import { DeliveryService } from '../runs/delivery-service';
import { RunPerformer } from '../runs/run-performer';
import { RunService } from '../runs/run-service';
import { TaskStatusService } from '../runs/task-status';
import { AppReloadFanout } from '../sharing-tasks/app-reload-fanout';
import { Reconciler } from '../sharing-tasks/reconciler';
import { createMongo, createStores, ensureIndexes } from '../store';
import { createTemporalClient } from '../temporal/connection';
import { TaskWorkflows } from '../temporal/task-workflows';

export interface WorkerRuntime {
  worker: Worker;
  reconciler: Reconciler;
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

/** Routes the SDK's own logs at the service's level; call once per process, before any worker or connection. */
export function installTemporalRuntime(level: string): void {
  const sdkLevel = ({ trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' } as Record<string, LogLevel>)[level] ?? 'ERROR';
  Runtime.install({ logger: new DefaultLogger(sdkLevel) });
}

/** The worker process's composition root: configuration in, a wired worker out. */
export async function createWorkerRuntime(
  config: Config,
  logger: Logger,
  source: WorkflowSource = { workflowsPath: require.resolve('../../workflows') },
): Promise<WorkerRuntime> {
  let mongo: MongoClient | undefined;
  let connection: NativeConnection | undefined;
  try {
    const opened = createMongo(config.mongo);
    mongo = opened.client;
    const stores = createStores(opened.db);
    await ensureIndexes(stores);
    const taskStatus = new TaskStatusService(stores, systemClock);
    const email = new EmailSender(config.smtp);
    const renderer = createRenderer(config.render);
    const runs = new RunService(stores, taskStatus, renderer, systemClock, config.rules);
    const apiBaseUrl = config.http.publicBaseUrl ?? `http://${config.http.host}:${config.http.port}`;
    const sharePoint = config.sharePoint && new SharePointUploader(config.sharePoint);
    const fileLinks = new FileLinks(apiBaseUrl, new FileLinkSigner(config.fileLinks));
    // The mail's inline chart is drawn here only by the built-in renderer: a reporting engine is asked for the files alone.
    const chartRenderer = config.render.kind === 'builtin' ? renderer : undefined;
    const deliveries = new DeliveryService(stores, { email, sharePoint }, fileLinks, systemClock, chartRenderer);

    const client = createTemporalClient(config.temporal);
    const taskWorkflows = new TaskWorkflows(client, config.temporal.taskQueue, config.staging);
    const reconciler = new Reconciler(stores, taskWorkflows, client, logger, config.temporal.taskQueue);
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
        performer: new RunPerformer(runs, deliveries, systemClock),
        deliveries,
        taskStatus,
        reconciler,
        fanout: new AppReloadFanout(stores, taskWorkflows),
        limits: { timeoutSeconds: config.rules.runTimeoutSeconds, deliveryTimeoutSeconds: config.rules.deliveryTimeoutSeconds },
      }),
      maxCachedWorkflows: config.temporal.maxCachedWorkflows,
      stickyQueueScheduleToStartTimeout: config.temporal.stickyQueueScheduleToStartTimeout as `${number}s`,
      maxConcurrentActivityTaskExecutions: config.temporal.maxConcurrentActivities,
    });

    const closeAll = async () => {
      email.close();
      await client.connection.close();
      await connection!.close();
      await mongo!.close();
    };
    return {
      worker,
      reconciler,
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
    throw error;
  }
}
