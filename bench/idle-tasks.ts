/**
 * Idle tasks: N scheduled sharing tasks, created over the HTTP API, whose next occurrence is
 * about 22 hours away. Measures creation throughput, how long the worker needs to settle every
 * new workflow (first workflow task + the recordNextRun activity + its timer), the worker
 * process's RSS with the configured cache bound, the Temporal dev server's SQLite file and
 * FerretDB's files per task; then, with a second worker whose cache holds every workflow, the RSS
 * each cached workflow costs (every workflow is replayed into the cache by a `status` query).
 *
 *   npx tsx bench/idle-tasks.ts [--tasks 10000] [--concurrency 16] [--settle-timeout-seconds 1800]
 *                               [--no-cache-probe] [--probe-concurrency 8] [--what-if-id-filter] [--keep-data]
 */
import { Client } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { statusQuery } from '../workflows/definitions';
import { taskWorkflowId } from '../src/contract/task-workflow';
import { chartTaskRequest } from '../test/support/fixtures';
import { BENCH_TENANT, createTasks, startBenchApi, type CreatedTask, type CreationResult } from './support/api';
import { assertDataDir, databaseSizes, startBenchStack, type BenchStack, type DatabaseSizes } from './support/bench-stack';
import { machineInfo } from './support/machine';
import { intOption, log, markdownTable, resultPath, sleep, writeResult } from './support/output';
import { startSampler, type Sample } from './support/sampler';
import { probeStores, type StoreProbeResult } from './support/store-probe';
import { distribution, KiB, MiB, round, roundDistribution, type Distribution } from './support/stats';
import { TemporalProbe } from './support/temporal';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';

const WHAT_IF_ID_FILTER = 'bench/support/what-if-id-filter.ts';

interface Options {
  tasks: number;
  concurrency: number;
  settleTimeoutSeconds: number;
  cacheProbe: boolean;
  probeConcurrency: number;
  preload: string[];
  keepData: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string' },
      concurrency: { type: 'string' },
      'settle-timeout-seconds': { type: 'string' },
      'no-cache-probe': { type: 'boolean', default: false },
      'probe-concurrency': { type: 'string' },
      'what-if-id-filter': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
    },
  });
  return {
    tasks: intOption('tasks', values.tasks, 10_000),
    concurrency: intOption('concurrency', values.concurrency, 16),
    settleTimeoutSeconds: intOption('settle-timeout-seconds', values['settle-timeout-seconds'], 1_800),
    cacheProbe: !values['no-cache-probe'],
    probeConcurrency: intOption('probe-concurrency', values['probe-concurrency'], 8),
    preload: values['what-if-id-filter'] ? [WHAT_IF_ID_FILTER] : [],
    keepData: values['keep-data'],
  };
}

/** A daily rule two hours behind the clock: its next occurrence is about 22 hours away. */
function idleBody(): (index: number) => Record<string, unknown> {
  const hour = (new Date().getUTCHours() + 22) % 24;
  const rule = `RRULE:FREQ=DAILY;BYHOUR=${hour};BYMINUTE=0;BYSECOND=0`;
  return (index) =>
    chartTaskRequest({
      name: `idle ${index}`,
      recipients: { emailAddresses: [`idle-${index}@bench.local`] },
      scheduleOptions: { timezone: 'UTC', recurrence: [rule] },
    });
}

interface Snapshot {
  at: string;
  workerRssMiB?: number;
  database: DatabaseSizes;
}

function snapshot(bench: BenchStack, worker: WorkerProcess): Snapshot {
  const rss = worker.rssBytes();
  return { at: new Date().toISOString(), workerRssMiB: rss === undefined ? undefined : round(rss / MiB, 1), database: databaseSizes(bench.dataDir, bench.stack.postgresClusterDir) };
}

/** Waits until the normal queues are empty and the worker is idle for 5 s, logging the backlog. */
async function waitUntilSettled(probe: TemporalProbe, worker: WorkerProcess, timeoutMs: number): Promise<{ settled: boolean; seconds: number }> {
  const started = Date.now();
  let previousCpu = worker.cpuSeconds() ?? 0;
  let quiet = 0;
  for (let tick = 1; Date.now() - started < timeoutMs; tick++) {
    await sleep(1_000);
    const backlog = await probe.backlog();
    const cpu = worker.cpuSeconds() ?? 0;
    quiet = backlog.workflowBacklog === 0 && backlog.activityBacklog === 0 && cpu - previousCpu < 0.1 ? quiet + 1 : 0;
    previousCpu = cpu;
    if (quiet >= 5) return { settled: true, seconds: round((Date.now() - started) / 1000 - 5, 1) };
    if (tick % 15 === 0) log(`  settling: backlog workflow ${backlog.workflowBacklog}, activity ${backlog.activityBacklog}`);
  }
  return { settled: false, seconds: round(timeoutMs / 1000, 1) };
}

interface CacheProbe {
  maxCachedWorkflows: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  /** (after − before) / workflows queried. */
  kibPerCachedWorkflow: number;
  /** A query on a workflow not in the cache replays its history: this is the wake-up cost of an evicted workflow. */
  firstQueryMs: Distribution;
  firstQueriesPerSecond: number;
  /** The same queries again, answered from the cache. */
  secondQueryMs: Distribution;
}

async function queryAll(client: Client, created: CreatedTask[], concurrency: number): Promise<{ ms: number[]; elapsedMs: number }> {
  const ms: number[] = [];
  let next = 0;
  const started = Date.now();
  const lane = async () => {
    while (next < created.length) {
      const task = created[next++]!;
      const sent = performance.now();
      await client.workflow.getHandle(taskWorkflowId(BENCH_TENANT, task.id)).query(statusQuery);
      ms.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { ms, elapsedMs: Date.now() - started };
}

/** A worker whose cache holds every workflow; each is queried once (replayed into the cache), RSS before and after. */
async function probeCache(bench: BenchStack, probe: TemporalProbe, created: CreatedTask[], options: Options): Promise<CacheProbe> {
  const maxCachedWorkflows = created.length + 100;
  const env = { ...bench.env, WORKER_MAX_CACHED_WORKFLOWS: String(maxCachedWorkflows) };
  const worker = await startWorkerProcess({ name: 'worker-cache-probe', env, logDir: bench.dataDir, preload: options.preload });
  try {
    await sleep(5_000);
    const before = worker.rssBytes() ?? 0;
    const client = new Client({ connection: probe.connection });
    log(`  cache probe: querying ${created.length} workflows (replays) with a cache of ${maxCachedWorkflows}`);
    const first = await queryAll(client, created, options.probeConcurrency);
    await sleep(5_000);
    const after = worker.rssBytes() ?? 0;
    const second = await queryAll(client, created, options.probeConcurrency);
    return {
      maxCachedWorkflows,
      rssBeforeMiB: round(before / MiB, 1),
      rssAfterMiB: round(after / MiB, 1),
      kibPerCachedWorkflow: round((after - before) / KiB / created.length, 1),
      firstQueryMs: roundDistribution(distribution(first.ms), 1),
      firstQueriesPerSecond: round(created.length / (first.elapsedMs / 1000), 1),
      secondQueryMs: roundDistribution(distribution(second.ms), 1),
    };
  } finally {
    await worker.stop();
  }
}

interface IdleResult {
  tasks: number;
  created: number;
  ferretDbBackend: string;
  worker: { maxCachedWorkflows: number; stickyQueueScheduleToStartTimeout: string; preload: string[] };
  creation: Omit<CreationResult, 'created'> & { failureCount: number };
  settle: { settled: boolean; secondsAfterLastCreate: number };
  before: Snapshot;
  afterCreation: Snapshot;
  afterSettle: Snapshot;
  perTask: { temporalDbBytes: number; temporalDbMainBytes: number; ferretdbBytes: number; postgresBytes: number; workerRssKiB: number };
  cacheProbe?: CacheProbe;
  /** Task reads on the full collection (the task created halfway), and whether FerretDB pushed the filter down. */
  stores?: StoreProbeResult;
  samples: Sample[];
}

function perTask(before: Snapshot, after: Snapshot, tasks: number): IdleResult['perTask'] {
  const per = (a: number, b: number) => Math.round((b - a) / Math.max(1, tasks));
  return {
    temporalDbBytes: per(before.database.temporalTotalBytes, after.database.temporalTotalBytes),
    temporalDbMainBytes: per(before.database.temporalMainBytes, after.database.temporalMainBytes),
    ferretdbBytes: per(before.database.ferretdbBytes, after.database.ferretdbBytes),
    postgresBytes: per(before.database.postgresBytes, after.database.postgresBytes),
    workerRssKiB: round((((after.workerRssMiB ?? 0) - (before.workerRssMiB ?? 0)) * 1024) / Math.max(1, tasks), 1),
  };
}

async function run(options: Options): Promise<IdleResult> {
  const bench = await startBenchStack({ keepData: options.keepData });
  const stops: (() => Promise<unknown>)[] = [() => bench.stop()];
  try {
    const config = loadConfig(bench.env);
    const api = await startBenchApi(bench.env);
    stops.unshift(() => api.close());
    const worker = await startWorkerProcess({ name: 'worker', env: bench.env, logDir: bench.dataDir, preload: options.preload });
    const stopWorker = (() => {
      let stopped: Promise<void> | undefined;
      return () => (stopped ??= worker.stop());
    })();
    stops.unshift(stopWorker);
    const probe = await TemporalProbe.connect(bench.stack.temporalAddress, config.temporal.taskQueue);
    stops.unshift(() => probe.close());
    let createdSoFar = 0;
    const sampler = startSampler({ probe, pids: () => ({ worker: worker.pid, ...bench.pids }), progress: () => createdSoFar, intervalMs: 2_000 });
    stops.unshift(() => sampler.stop());
    await sleep(5_000);
    const before = snapshot(bench, worker);
    log(`  worker up (pid ${worker.pid}, RSS ${before.workerRssMiB} MiB); creating ${options.tasks} idle tasks; data in ${bench.dataDir}`);

    const creation = await createTasks({
      apiUrl: api.api.url,
      token: api.token,
      count: options.tasks,
      concurrency: options.concurrency,
      body: idleBody(),
      blockSize: Math.max(100, Math.ceil(options.tasks / 10)),
      onProgress: (done) => {
        createdSoFar = done;
        if (done % 1000 === 0) log(`  ${done} created`);
      },
    });
    createdSoFar = creation.created.length;
    const afterCreation = snapshot(bench, worker);
    log(`  created ${creation.created.length} (${creation.failures.length} failed) at ${creation.tasksPerSecond} tasks/s; settling`);
    const settle = await waitUntilSettled(probe, worker, options.settleTimeoutSeconds * 1000);
    await sleep(5_000);
    assertDataDir(bench);
    const afterSettle = snapshot(bench, worker);
    log(`  settled=${settle.settled} after ${settle.seconds} s: worker RSS ${afterSettle.workerRssMiB} MiB, temporal DB ${round(afterSettle.database.temporalTotalBytes / MiB, 1)} MiB`);
    const samples = await sampler.stop();

    const middle = creation.created[Math.floor(creation.created.length / 2)];
    const stores = middle
      ? await probeStores(bench.stack.mongoUri, 'bench', { tenant: BENCH_TENANT, taskId: middle.id, executionId: `${middle.id}-none` })
      : undefined;
    await stopWorker();
    const cacheProbe = options.cacheProbe ? await probeCache(bench, probe, creation.created, options) : undefined;
    const { created, ...creationRest } = creation;
    return {
      tasks: options.tasks,
      created: created.length,
      ferretDbBackend: bench.ferretDbBackend,
      worker: {
        maxCachedWorkflows: config.temporal.maxCachedWorkflows,
        stickyQueueScheduleToStartTimeout: config.temporal.stickyQueueScheduleToStartTimeout,
        preload: options.preload,
      },
      creation: { ...creationRest, failures: creation.failures.slice(0, 5), failureCount: creation.failures.length },
      settle: { settled: settle.settled, secondsAfterLastCreate: settle.seconds },
      before,
      afterCreation,
      afterSettle,
      perTask: perTask(before, afterSettle, created.length),
      cacheProbe,
      stores,
      samples,
    };
  } finally {
    for (const stop of stops) await stop().catch((error: Error) => log(`  cleanup: ${error.message}`));
  }
}

function summaryTable(r: IdleResult): string {
  const rows: (string | number)[][] = [
    ['tasks created (failed)', `${r.created} (${r.creation.failureCount})`],
    ['creation throughput, tasks/s (overall)', r.creation.tasksPerSecond],
    ['creation throughput by block, tasks/s', r.creation.blocks.map((b) => b.tasksPerSecond).join(' → ')],
    ['create latency p50 / p99 ms', `${r.creation.latencyMs.p50} / ${r.creation.latencyMs.p99}`],
    ['worker settled after the last create, s', `${r.settle.secondsAfterLastCreate}${r.settle.settled ? '' : ' (NOT settled)'}`],
    [`worker RSS before → after (cache ${r.worker.maxCachedWorkflows}), MiB`, `${r.before.workerRssMiB} → ${r.afterSettle.workerRssMiB}`],
    ['temporal.sqlite (+wal), MiB before → after', `${round(r.before.database.temporalTotalBytes / MiB, 1)} → ${round(r.afterSettle.database.temporalTotalBytes / MiB, 1)}`],
    ['Temporal DB per task, bytes (main file only)', `${r.perTask.temporalDbBytes} (${r.perTask.temporalDbMainBytes})`],
    ['FerretDB files per task, bytes (SQLite backend)', r.perTask.ferretdbBytes],
    ['PostgreSQL tables per task, bytes (PostgreSQL backend)', r.perTask.postgresBytes],
  ];
  for (const timing of r.stores?.timings.filter((t) => t.collection === 'sharingTasks') ?? []) {
    rows.push([`${timing.operation} {${timing.filter}} (pushdown ${timing.filterPushdown}), median ms`, timing.medianMs]);
  }
  if (r.cacheProbe) {
    const c = r.cacheProbe;
    rows.push(
      [`cache probe (cache ${c.maxCachedWorkflows}): RSS before → after all cached, MiB`, `${c.rssBeforeMiB} → ${c.rssAfterMiB}`],
      ['RSS per cached workflow, KiB', c.kibPerCachedWorkflow],
      ['replay (first query) p50 / p99 ms; queries/s', `${c.firstQueryMs.p50} / ${c.firstQueryMs.p99}; ${c.firstQueriesPerSecond}`],
      ['cached (second query) p50 / p99 ms', `${c.secondQueryMs.p50} / ${c.secondQueryMs.p99}`],
    );
  }
  return markdownTable(['measure', 'value'], rows);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const machine = machineInfo();
  log(`idle tasks: ${options.tasks} tasks${options.preload.length ? ` (what-if: ${options.preload.join(', ')})` : ''}; ${machine.nproc} cores, load ${machine.loadAverage.join(' ')}`);
  const result = await run(options);
  const file = writeResult(resultPath(`idle-tasks-${options.tasks}${options.preload.length ? '-whatif' : ''}`), {
    benchmark: 'idle-tasks',
    command: `npx tsx bench/idle-tasks.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    machineAfter: machineInfo(),
    options,
    result,
  });
  console.log(summaryTable(result));
  console.log(`\nraw results: ${file}`);
}

main().catch((error: unknown) => {
  console.error(`idle-tasks failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
