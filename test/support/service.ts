import { issueToken, type Caller } from '../../src/auth/claims';
import { loadConfig, type Config } from '../../src/config';
import { startApi, type RunningApi } from '../../src/api/main';
import { createLogger } from '../../src/logger';
import { createWorkerRuntime, type WorkerRuntime } from '../../src/worker/create-worker';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { MongoClient } from 'mongodb';
import { createMongo, createStores, type Stores } from '../../src/store';
import { testEnv } from './env';
import { workflowBundle } from './workflow-bundle';

export interface RunningWorker {
  runtime: WorkerRuntime;
  stop(): Promise<void>;
}

/** Starts the real worker (same composition root as `npm run worker`) with the test run's workflow bundle (or another). */
export async function startWorker(config: Config, bundle?: WorkflowBundleWithSourceMap): Promise<RunningWorker> {
  const runtime = await createWorkerRuntime(config, createLogger('worker', config.logLevel, config.logFile), {
    workflowBundle: bundle ?? (await workflowBundle()),
  });
  const running = runtime.run();
  return {
    runtime,
    async stop() {
      runtime.shutdown();
      await running;
      await runtime.close();
    },
  };
}

/** The whole service for one suite: the API and a worker on their own database and task queue. */
export class TestService {
  worker?: RunningWorker;
  /** The suite's own view of its database, for asserting what the service stored. */
  readonly stores: Stores;
  private readonly mongo: MongoClient;

  private constructor(
    readonly config: Config,
    readonly api: RunningApi,
  ) {
    const { client, db } = createMongo(config.mongo);
    this.mongo = client;
    this.stores = createStores(db);
  }

  static start(overrides: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<TestService> {
    return TestService.fromEnv(testEnv(overrides), options);
  }

  /** The service configured by these variables (testEnv()), e.g. shared with a worker run as its own process. */
  static async fromEnv(env: Record<string, string>, options: { worker?: boolean } = {}): Promise<TestService> {
    const config = loadConfig(env);
    const service = new TestService(config, await startApi(config));
    if (options.worker !== false) service.worker = await startWorker(config);
    return service;
  }

  token(caller: Partial<Caller> & { tenant: string; userId: string }): string {
    return issueToken({ roles: [], ...caller }, this.config.auth);
  }

  /** A fetch against the API with a caller's token; JSON bodies in and out. */
  async request(
    token: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${this.api.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    await this.api.close();
    await this.mongo.close();
  }
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs` with the last state. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The task's latest execution once it has ended, as the API shows it. */
export function latestFinishedRun(service: TestService, token: string, taskId: string, timeoutMs: number): Promise<any> {
  return eventually(async () => {
    const latest = await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}/executions/latest`);
    return latest.status === 200 && latest.body.endTime ? latest.body : undefined;
  }, timeoutMs, 'the run to end');
}
