/**
 * The API in this process (the same composition root as `npm run api`) and a client that creates
 * sharing tasks over HTTP with a bounded number of requests in flight, as a busy client would.
 */
import { startApi, type RunningApi } from '../../src/api/main';
import { issueToken } from '../../src/auth/claims';
import { loadConfig } from '../../src/config';
import { distribution, round, type Distribution } from './stats';

export const BENCH_TENANT = 'bench';

export interface BenchApi {
  api: RunningApi;
  token: string;
  close(): Promise<void>;
}

export async function startBenchApi(env: Record<string, string>): Promise<BenchApi> {
  const config = loadConfig(env);
  const api = await startApi(config);
  return { api, token: benchToken(env), close: () => api.close() };
}

/** A token of the longest allowed life for a plain (non-admin) owner of `tenant`, signed as the API expects. */
export function benchToken(env: Record<string, string>, tenant = BENCH_TENANT): string {
  const { auth } = loadConfig(env);
  return issueToken(
    { tenant, userId: 'bench-owner', userName: 'Bench Owner', email: 'owner@bench.local', timezone: 'UTC', roles: [] },
    auth,
    auth.maxLifetimeSeconds,
  );
}

export interface CreatedTask {
  index: number;
  id: string;
}

export interface CreationFailure {
  index: number;
  status: number;
  detail: string;
}

export interface CreationResult {
  created: CreatedTask[];
  failures: CreationFailure[];
  elapsedMs: number;
  tasksPerSecond: number;
  /** Request latency in milliseconds. */
  latencyMs: Distribution;
  /** Throughput of each successive block of `blockSize` creations (does it fall as the stores grow?). */
  blocks: { upTo: number; tasksPerSecond: number }[];
}

export interface CreationOptions {
  apiUrl: string;
  token: string;
  count: number;
  concurrency: number;
  body: (index: number) => Record<string, unknown>;
  blockSize?: number;
  onProgress?: (done: number) => void;
}

async function createOne(options: CreationOptions, index: number): Promise<{ id?: string; status: number; detail: string }> {
  try {
    const response = await fetch(`${options.apiUrl}/api/v1/sharing-tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(options.body(index)),
    });
    const text = await response.text();
    if (response.status !== 201) return { status: response.status, detail: text.slice(0, 300) };
    return { id: (JSON.parse(text) as { id: string }).id, status: 201, detail: '' };
  } catch (error) {
    return { status: 0, detail: (error as Error).message };
  }
}

function blockRates(finishedAt: number[], started: number, blockSize: number): { upTo: number; tasksPerSecond: number }[] {
  const sorted = [...finishedAt].sort((a, b) => a - b);
  const blocks: { upTo: number; tasksPerSecond: number }[] = [];
  for (let end = blockSize; end <= sorted.length; end += blockSize) {
    const from = end === blockSize ? started : sorted[end - blockSize - 1]!;
    const seconds = (sorted[end - 1]! - from) / 1000;
    blocks.push({ upTo: end, tasksPerSecond: round(blockSize / Math.max(seconds, 0.001), 1) });
  }
  return blocks;
}

/** Creates `count` tasks, `concurrency` requests at a time; failures are recorded, never retried. */
export async function createTasks(options: CreationOptions): Promise<CreationResult> {
  const created: CreatedTask[] = [];
  const failures: CreationFailure[] = [];
  const latencies: number[] = [];
  const finishedAt: number[] = [];
  const started = Date.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < options.count) {
      const index = next++;
      const sent = Date.now();
      const result = await createOne(options, index);
      const now = Date.now();
      latencies.push(now - sent);
      finishedAt.push(now);
      if (result.id) created.push({ index, id: result.id });
      else failures.push({ index, status: result.status, detail: result.detail });
      if (finishedAt.length % 100 === 0) options.onProgress?.(finishedAt.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  const elapsedMs = Date.now() - started;
  created.sort((a, b) => a.index - b.index);
  return {
    created,
    failures,
    elapsedMs,
    tasksPerSecond: round(created.length / (elapsedMs / 1000), 1),
    latencyMs: distribution(latencies),
    blocks: blockRates(finishedAt, started, options.blockSize ?? Math.max(100, Math.ceil(options.count / 10))),
  };
}
