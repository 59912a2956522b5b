/**
 * Due burst: N sharing tasks, created over the HTTP API, whose next occurrence is the same UTC
 * minute; each run renders a PDF and e-mails it to the task's own recipient at an SMTP sink.
 * Measures, per worker setting (each on a fresh stack): lateness of every run after the due
 * instant, time to drain, duplicates and misses, task-queue backlog, and where the time went.
 *
 *   npx tsx bench/due-burst.ts [--tasks 1000] [--variant default --variant sticky10s ...]
 *                              [--concurrency 16] [--lead-seconds N] [--stall-seconds 180]
 *                              [--drain-timeout-seconds 1800] [--no-histories] [--keep-data]
 *                              [--statement-stats]   (PostgreSQL's pg_stat_statements over the burst)
 *                              [--distinct-charts]   (each task's chart its own: no picture shared between runs)
 *
 * A variant is a preset name (see PRESETS) or `name:VAR=value,VAR=value` with src/config variables;
 * variants run one after another, each on a fresh stack, so their ratios come from one run.
 */
import { MongoClient } from 'mongodb';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config';
import { taskWorkflowId } from '../src/contract/task-workflow';
import { chartTaskRequest } from '../test/support/fixtures';
import { BENCH_TENANT, createTasks, startBenchApi, type BenchApi, type CreatedTask, type CreationResult } from './support/api';
import { assertDataDir, startBenchStack, type BenchStack } from './support/bench-stack';
import {
  engineBreakdown,
  latenessOf,
  outcomesOf,
  recipientOf,
  type EngineBreakdown,
  type ExecutionDoc,
  type Outcomes,
} from './support/burst-analysis';
import { machineInfo } from './support/machine';
import { cpuOfAllProcesses, topCpuUsers } from './support/proc';
import { probeStores, type StoreProbeResult } from './support/store-probe';
import { intOption, log, markdownTable, resultPath, sleep, writeResult } from './support/output';
import { cpuBetween, sampleNear, startSampler, type CpuShare, type Sample, type Sampler } from './support/sampler';
import { distribution, MiB, round, roundDistribution, type Distribution } from './support/stats';
import { TemporalProbe } from './support/temporal';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';

interface Variant {
  name: string;
  env: Record<string, string>;
  /** Modules the worker imports first (what-if experiments in bench/support/what-if-*.ts). */
  preload?: string[];
}

const WHAT_IF_ID_FILTER = 'bench/support/what-if-id-filter.ts';
const WHAT_IF_CHEAP_RETENTION = 'bench/support/what-if-cheap-retention.ts';

const PRESETS: Record<string, (tasks: number) => Omit<Variant, 'name'>> = {
  default: () => ({ env: {} }),
  sticky10s: () => ({ env: { WORKER_STICKY_QUEUE_TIMEOUT: '10s' } }),
  sticky60s: () => ({ env: { WORKER_STICKY_QUEUE_TIMEOUT: '60s' } }),
  cacheAll: (tasks) => ({ env: { WORKER_MAX_CACHED_WORKFLOWS: String(2 * tasks + 100) } }),
  'cacheAll-sticky10s': (tasks) => ({ env: { WORKER_MAX_CACHED_WORKFLOWS: String(2 * tasks + 100), WORKER_STICKY_QUEUE_TIMEOUT: '10s' } }),
  // Not a setting: the worker with the task store's `{_id}`-only filter (a proposed src change).
  'whatif-id-filter': () => ({ env: {}, preload: [WHAT_IF_ID_FILTER] }),
  'whatif-id-filter-sticky10s': () => ({ env: { WORKER_STICKY_QUEUE_TIMEOUT: '10s' }, preload: [WHAT_IF_ID_FILTER] }),
  // The stack's FerretDB on its SQLite backend instead of PostgreSQL (the local stack's default since 2026-11-29).
  sqlite: () => ({ env: { FERRETDB_BACKEND: 'sqlite' } }),
  // The stack's PostgreSQL without the GIN indexes FerretDB's finds use (scripts/stack/ferretdb-gin-indexes.sql).
  noGin: () => ({ env: { STACK_POSTGRES_GIN_INDEXES: '0' } }),
  // Not a setting: the default worker, its main thread sampled into bench/tmp/worker-<pid>.cpuprofile.
  profile: () => ({ env: {}, preload: ['bench/support/cpu-profile.ts'] }),
  // Not a setting: no retention scan and no chunk clean-up scan on a run's path (see the module).
  'whatif-cheap-retention': () => ({ env: {}, preload: [WHAT_IF_CHEAP_RETENTION] }),
};

const TERMINAL = ['successful', 'failed', 'cancelled'];

interface Options {
  tasks: number;
  variants: Variant[];
  concurrency: number;
  leadSeconds: number;
  histories: boolean;
  /** Each task's chart differs (its title names the task), so no two runs draw the same picture. */
  distinctCharts: boolean;
  keepData: boolean;
  stallSeconds: number;
  drainTimeoutSeconds: number;
}

function parseVariant(text: string, tasks: number): Variant {
  const [name, assignments] = text.split(':', 2) as [string, string | undefined];
  if (assignments === undefined) {
    const preset = PRESETS[name];
    if (!preset) throw new Error(`unknown variant ${name}; presets: ${Object.keys(PRESETS).join(', ')}, or name:VAR=value,...`);
    return { name, ...preset(tasks) };
  }
  const env = Object.fromEntries(assignments.split(',').map((pair) => pair.split('=', 2) as [string, string]));
  return { name, env };
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string' },
      variant: { type: 'string', multiple: true, default: ['default', 'sticky10s'] },
      concurrency: { type: 'string' },
      'lead-seconds': { type: 'string' },
      'stall-seconds': { type: 'string' },
      'drain-timeout-seconds': { type: 'string' },
      'no-histories': { type: 'boolean', default: false },
      'distinct-charts': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      'statement-stats': { type: 'boolean', default: false },
    },
  });
  // Read by the stack's PostgreSQL start (scripts/stack/postgres.ts).
  if (values['statement-stats']) process.env.STACK_POSTGRES_STATEMENT_STATS = '1';
  const tasks = intOption('tasks', values.tasks, 1000);
  return {
    tasks,
    variants: values.variant.map((text) => parseVariant(text, tasks)),
    concurrency: intOption('concurrency', values.concurrency, 16),
    // Enough for creation at ~10 tasks/s plus settling; the run stops if creation overruns it.
    leadSeconds: intOption('lead-seconds', values['lead-seconds'], 40 + Math.ceil(tasks / 10)),
    histories: !values['no-histories'],
    distinctCharts: values['distinct-charts'],
    keepData: values['keep-data'],
    stallSeconds: intOption('stall-seconds', values['stall-seconds'], 180),
    drainTimeoutSeconds: intOption('drain-timeout-seconds', values['drain-timeout-seconds'], 1_800),
  };
}

/** The first whole UTC minute at least `leadSeconds` from now. */
function dueMinuteAfter(leadSeconds: number): Date {
  const earliest = Date.now() + leadSeconds * 1000;
  return new Date(Math.ceil(earliest / 60_000) * 60_000);
}

function taskBody(due: Date, distinctCharts: boolean): (index: number) => Record<string, unknown> {
  const rule = `RRULE:FREQ=DAILY;BYHOUR=${due.getUTCHours()};BYMINUTE=${due.getUTCMinutes()};BYSECOND=0`;
  return (index) => {
    const task = chartTaskRequest({
      name: `burst ${index}`,
      recipients: { emailAddresses: [recipientOf(index)] },
      scheduleOptions: { timezone: 'UTC', recurrence: [rule] },
    });
    if (!distinctCharts) return task;
    const [template] = task.templates as { chartData: { objectDef: { title: string } } }[];
    template!.chartData.objectDef = { ...template!.chartData.objectDef, title: `Sales by region (burst ${index})` };
    return task;
  };
}

/** Waits until the normal queues are empty and the worker is (nearly) idle: every timer is set. */
async function waitUntilSettled(probe: TemporalProbe, worker: WorkerProcess, deadline: number): Promise<number | undefined> {
  let previousCpu = worker.cpuSeconds() ?? 0;
  let quietSamples = 0;
  while (Date.now() < deadline) {
    await sleep(1_000);
    const backlog = await probe.backlog();
    const cpu = worker.cpuSeconds() ?? 0;
    const idle = backlog.workflowBacklog === 0 && backlog.activityBacklog === 0 && cpu - previousCpu < 0.1;
    quietSamples = idle ? quietSamples + 1 : 0;
    previousCpu = cpu;
    if (quietSamples >= 3) return Date.now();
  }
  return undefined;
}

function uniqueRecipients(bench: BenchStack): number {
  return new Set(bench.sink.mails.map((mail) => mail.recipient)).size;
}

/** Waits until every task's recipient got a mail, or nothing new arrived for `stallSeconds`, or `timeoutSeconds` passed. */
async function waitForMails(bench: BenchStack, expected: number, options: Options, probe: TemporalProbe): Promise<boolean> {
  const deadline = Date.now() + options.drainTimeoutSeconds * 1000;
  let last = -1;
  let lastChange = Date.now();
  for (let tick = 0; ; tick++) {
    const received = uniqueRecipients(bench);
    if (received >= expected) return true;
    if (received !== last) [last, lastChange] = [received, Date.now()];
    if (Date.now() - lastChange > options.stallSeconds * 1000 || Date.now() > deadline) {
      log(`  giving up: ${received}/${expected} recipients mailed`);
      return false;
    }
    if (tick % 5 === 0) {
      assertDataDir(bench);
      const backlog = await probe.backlog().catch(() => undefined);
      log(`  ${received}/${expected} recipients mailed; backlog workflow ${backlog?.workflowBacklog ?? '?'} activity ${backlog?.activityBacklog ?? '?'}`);
    }
    await sleep(1_000);
  }
}

async function waitForExecutions(executions: ReturnType<MongoClient['db']>, dueIso: string, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const finished = await executions.collection('executions').countDocuments({ eventTime: dueIso, status: { $in: TERMINAL } });
    if (finished >= expected) return;
    await sleep(2_000);
  }
}

async function readExecutions(mongoUri: string): Promise<ExecutionDoc[]> {
  const client = new MongoClient(mongoUri);
  try {
    const db = client.db('bench');
    const executions = await db
      .collection<ExecutionDoc>('executions')
      .find({}, { projection: { _id: 1, sharingTaskId: 1, status: 1, trigger: 1, eventTime: 1, startTime: 1, endTime: 1, files: 1 } })
      .toArray();
    const files = await db.collection<{ _id: string; uploadDate: Date }>('reportFiles.files').find({}, { projection: { _id: 1, uploadDate: 1 } }).toArray();
    const storedAt = new Map(files.map((file) => [file._id, file.uploadDate]));
    for (const execution of executions) {
      const first = execution.files?.[0];
      if (first && storedAt.has(first.fileID)) execution.firstFileStoredAt = storedAt.get(first.fileID);
    }
    return executions;
  } finally {
    await client.close();
  }
}

interface BacklogSummary {
  peakWorkflowBacklog: number;
  peakWorkflowBacklogAgeSeconds: number;
  peakActivityBacklog: number;
  peakActivityBacklogAgeSeconds: number;
}

function backlogSummary(samples: Sample[]): BacklogSummary {
  const peak = (pick: (s: Sample) => number | undefined) => Math.max(0, ...samples.map((s) => pick(s) ?? 0));
  return {
    peakWorkflowBacklog: peak((s) => s.workflowBacklog),
    peakWorkflowBacklogAgeSeconds: round(peak((s) => s.workflowBacklogAgeMs) / 1000, 1),
    peakActivityBacklog: peak((s) => s.activityBacklog),
    peakActivityBacklogAgeSeconds: round(peak((s) => s.activityBacklogAgeMs) / 1000, 1),
  };
}

interface VariantResult {
  variant: string;
  env: Record<string, string>;
  preload?: string[];
  ferretDbBackend: string;
  worker: { maxCachedWorkflows: number; stickyQueueScheduleToStartTimeout: string; maxConcurrentActivities: number; startupSeconds: number };
  tasks: number;
  distinctCharts: boolean;
  dueAt: string;
  creation: Omit<CreationResult, 'created' | 'latencyMs'> & { latencyMs: Distribution; failureCount: number };
  /** Seconds between the moment every timer was set and the due instant (negative: it overran). */
  settledSecondsBeforeDue?: number;
  allMailed: boolean;
  /** Seconds from the due instant to the last mail at the sink (when every recipient got one). */
  lastMailSeconds?: number;
  /** Seconds after the due instant. */
  runStartLateness: Distribution;
  /** Due instant → the run's first file stored: its first render, wherever it was drawn, is done. */
  firstFileLateness: Distribution;
  runEndLateness: Distribution;
  drainSeconds: number;
  /** Every run finished before the benchmark stopped waiting (else drainSeconds is a lower bound). */
  complete: boolean;
  outcomes: Outcomes;
  backlog: BacklogSummary;
  /** CPU seconds per process from the due instant to the last run's end. */
  cpuDuringBurst?: CpuShare;
  workerRssMiB: { atDue?: number; peak: number };
  /** The processes of the whole machine that used the most CPU from the due instant until every mail arrived. */
  topCpuDuringBurst: { pid: number; name: string; seconds: number }[];
  /** With --statement-stats: the SQL statements that cost PostgreSQL the most, from the due instant until the runs finished. */
  postgresStatements?: StatementCost[];
  engine?: EngineBreakdown;
  stores?: StoreProbeResult;
  samples: Sample[];
}

/** The services of one variant and how to stop them (in reverse order of starting). */
interface Running {
  bench: BenchStack;
  config: Config;
  api: BenchApi;
  worker: WorkerProcess;
  probe: TemporalProbe;
  sampler: Sampler;
  stops: (() => Promise<unknown>)[];
}

async function startServices(variant: Variant, options: Options): Promise<Running> {
  const bench = await startBenchStack({ keepData: options.keepData, envOverrides: variant.env });
  const stops: (() => Promise<unknown>)[] = [() => bench.stop()];
  try {
    const api = await startBenchApi(bench.env);
    stops.unshift(() => api.close());
    const worker = await startWorkerProcess({ name: 'worker', env: bench.env, logDir: bench.dataDir, preload: variant.preload });
    stops.unshift(() => worker.stop());
    const config = loadConfig(bench.env);
    const probe = await TemporalProbe.connect(bench.stack.temporalAddress, config.temporal.taskQueue);
    stops.unshift(() => probe.close());
    const sampler = startSampler({ probe, pids: () => ({ worker: worker.pid, ...bench.pids }), progress: () => bench.sink.mails.length });
    stops.unshift(() => sampler.stop());
    log(`  worker up in ${(worker.startupMs / 1000).toFixed(1)} s (pid ${worker.pid}); data in ${bench.dataDir}`);
    return { bench, config, api, worker, probe, sampler, stops };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function stopAll(stops: (() => Promise<unknown>)[]): Promise<void> {
  for (const stop of stops) await stop().catch((error: Error) => log(`  cleanup: ${error.message}`));
}

/** Creates the tasks for the next due minute after the lead time and waits until every timer is set. */
async function createDueTasks(run: Running, options: Options): Promise<{ due: Date; creation: CreationResult; settledAt?: number }> {
  const due = dueMinuteAfter(options.leadSeconds);
  log(`  creating ${options.tasks} tasks due at ${due.toISOString()}`);
  const creation = await createTasks({
    apiUrl: run.api.api.url,
    token: run.api.token,
    count: options.tasks,
    concurrency: options.concurrency,
    body: taskBody(due, options.distinctCharts),
    onProgress: (done) => done % 500 === 0 && log(`  ${done} created`),
  });
  log(`  created ${creation.created.length} (${creation.failures.length} failed) at ${creation.tasksPerSecond} tasks/s`);
  if (creation.failures.length > 0) log(`  first failure: ${JSON.stringify(creation.failures[0])}`);
  const settledAt = await waitUntilSettled(run.probe, run.worker, due.getTime() - 2_000);
  if (!settledAt) log('  WARNING: the workers were still busy with creations at the due time (raise --lead-seconds)');
  if (Date.now() > due.getTime()) throw new Error(`creation overran the due minute ${due.toISOString()}: raise --lead-seconds`);
  return { due, creation, settledAt };
}

/** What happened from the due instant until every mail arrived (or the wait gave up) and the runs finished. */
interface Burst {
  rssAtDue?: number;
  allMailed: boolean;
  stoppedWaitingAt: number;
  topCpu: { pid: number; name: string; seconds: number }[];
  samples: Sample[];
  executions: ExecutionDoc[];
  statements?: StatementCost[];
}

/** One SQL statement shape FerretDB sent PostgreSQL during the burst (pg_stat_statements). */
interface StatementCost {
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  query: string;
}

const TOP_STATEMENTS_SQL = `SELECT calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3), rows,
  regexp_replace(left(query, 400), '\\s+', ' ', 'g') FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25`;

async function topStatements(run: Running): Promise<StatementCost[] | undefined> {
  const query = run.bench.stack.postgresQuery;
  if (!query || process.env.STACK_POSTGRES_STATEMENT_STATS !== '1') return undefined;
  return (await query(TOP_STATEMENTS_SQL)).map((line) => {
    const [calls, totalMs, meanMs, rows, ...text] = line.split('|');
    return { calls: Number(calls), totalMs: Number(totalMs), meanMs: Number(meanMs), rows: Number(rows), query: text.join('|') };
  });
}

async function watchBurst(run: Running, due: Date, expected: number, options: Options): Promise<Burst> {
  await sleep(due.getTime() - Date.now());
  const rssAtDue = run.worker.rssBytes();
  const cpuAtDue = cpuOfAllProcesses();
  if (process.env.STACK_POSTGRES_STATEMENT_STATS === '1') await run.bench.stack.postgresQuery?.('SELECT pg_stat_statements_reset()');
  log(`  due now; waiting for ${expected} mails`);
  const allMailed = await waitForMails(run.bench, expected, options, run.probe);
  const stoppedWaitingAt = Date.now();
  const topCpu = topCpuUsers(cpuAtDue, cpuOfAllProcesses());
  const db = new MongoClient(run.bench.stack.mongoUri);
  await waitForExecutions(db.db('bench'), due.toISOString(), expected, 120_000).finally(() => db.close());
  const statements = await topStatements(run);
  log('  runs finished (or 120 s passed); watching 10 s more for duplicates');
  await sleep(10_000);
  const samples = await run.sampler.stop();
  return { rssAtDue, allMailed, stoppedWaitingAt, topCpu, samples, statements, executions: await readExecutions(run.bench.stack.mongoUri) };
}

/** Store reads timed against the task created halfway (a scan that stops at its first match reads half the collection). */
async function probeMiddleTask(run: Running, created: CreatedTask[], executions: ExecutionDoc[], dueIso: string): Promise<StoreProbeResult | undefined> {
  const middle = created[Math.floor(created.length / 2)];
  const probed = executions.find((e) => e.sharingTaskId === middle?.id && e.eventTime === dueIso && e.files?.length);
  if (!probed) return undefined;
  return probeStores(run.bench.stack.mongoUri, 'bench', {
    tenant: BENCH_TENANT,
    taskId: probed.sharingTaskId,
    executionId: probed._id,
    fileId: probed.files?.[0]?.fileID,
  });
}

async function analyse(
  run: Running,
  variant: Variant,
  options: Options,
  created: { due: Date; creation: CreationResult; settledAt?: number },
  burst: Burst,
): Promise<VariantResult> {
  const { due, creation, settledAt } = created;
  const dueIso = due.toISOString();
  const lateness = latenessOf(burst.executions, dueIso);
  const drainSeconds = round(Math.max(0, ...lateness.endSeconds), 2);
  const complete = lateness.endSeconds.length === creation.created.length;
  const burstEnd = complete ? due.getTime() + drainSeconds * 1000 : burst.stoppedWaitingAt;
  const [atDue, atEnd] = [sampleNear(burst.samples, due.getTime()), sampleNear(burst.samples, burstEnd)];
  const burstSamples = burst.samples.filter((s) => s.at >= due.getTime() - 5_000 && s.at <= burstEnd + 5_000);
  const lastMail = Math.max(0, ...run.bench.sink.mails.map((mail) => mail.receivedAt));
  const { created: tasks, latencyMs, ...creationRest } = creation;
  return {
    variant: variant.name,
    env: variant.env,
    preload: variant.preload,
    ferretDbBackend: run.bench.ferretDbBackend,
    worker: {
      maxCachedWorkflows: run.config.temporal.maxCachedWorkflows,
      stickyQueueScheduleToStartTimeout: run.config.temporal.stickyQueueScheduleToStartTimeout,
      maxConcurrentActivities: run.config.temporal.maxConcurrentActivities,
      startupSeconds: round(run.worker.startupMs / 1000, 1),
    },
    tasks: options.tasks,
    distinctCharts: options.distinctCharts,
    dueAt: dueIso,
    creation: { ...creationRest, failures: creation.failures.slice(0, 5), failureCount: creation.failures.length, latencyMs: roundDistribution(latencyMs, 0) },
    settledSecondsBeforeDue: settledAt === undefined ? undefined : round((due.getTime() - settledAt) / 1000, 1),
    allMailed: burst.allMailed,
    lastMailSeconds: burst.allMailed ? round((lastMail - due.getTime()) / 1000, 2) : undefined,
    runStartLateness: roundDistribution(distribution(lateness.startSeconds)),
    firstFileLateness: roundDistribution(distribution(lateness.firstFileSeconds)),
    runEndLateness: roundDistribution(distribution(lateness.endSeconds)),
    drainSeconds,
    complete,
    outcomes: outcomesOf(tasks, burst.executions, run.bench.sink.mails, dueIso),
    backlog: backlogSummary(burstSamples),
    cpuDuringBurst: atDue && atEnd ? cpuBetween(atDue, atEnd) : undefined,
    workerRssMiB: {
      atDue: burst.rssAtDue === undefined ? undefined : round(burst.rssAtDue / MiB, 1),
      peak: round(Math.max(0, ...burstSamples.map((s) => s.workerRssBytes ?? 0)) / MiB, 1),
    },
    topCpuDuringBurst: burst.topCpu,
    postgresStatements: burst.statements,
    engine: options.histories
      ? await engineBreakdown(run.probe, tasks.map((task) => taskWorkflowId(BENCH_TENANT, task.id)), due.getTime())
      : undefined,
    stores: await probeMiddleTask(run, tasks, burst.executions, dueIso),
    samples: burstSamples,
  };
}

/** Everything of one variant on a fresh stack; the stack is always stopped. */
async function runVariant(variant: Variant, options: Options): Promise<VariantResult> {
  log(`variant ${variant.name} ${JSON.stringify(variant.env)}: starting a stack`);
  const run = await startServices(variant, options);
  try {
    const created = await createDueTasks(run, options);
    const burst = await watchBurst(run, created.due, created.creation.created.length, options);
    return await analyse(run, variant, options, created, burst);
  } finally {
    await stopAll(run.stops);
  }
}

function summaryTable(results: VariantResult[]): string {
  const base = results[0]!;
  const ratio = (r: VariantResult) => (r.complete && base.complete && base.drainSeconds > 0 ? `${round(r.drainSeconds / base.drainSeconds, 2)}x` : '-');
  return markdownTable(
    ['variant', 'database', 'cache / sticky', 'create/s', 'start p50 / p99 / max s', 'first file p99 s', 'all mails s', 'drain s', 'drain vs first', 'dup', 'miss', 'peak wf backlog', 'wf-task timeouts'],
    results.map((r) => [
      r.variant,
      `FerretDB/${r.ferretDbBackend}`,
      `${r.worker.maxCachedWorkflows} / ${r.worker.stickyQueueScheduleToStartTimeout}`,
      r.creation.tasksPerSecond,
      `${r.runStartLateness.p50} / ${r.runStartLateness.p99} / ${r.runStartLateness.max}`,
      r.firstFileLateness.p99,
      r.lastMailSeconds ?? 'not all',
      r.complete ? r.drainSeconds : `>${r.drainSeconds} (${r.runEndLateness.count} finished)`,
      ratio(r),
      r.outcomes.duplicateRuns + r.outcomes.duplicateMails,
      r.outcomes.missedRuns + r.outcomes.missedMails,
      r.backlog.peakWorkflowBacklog,
      r.engine ? r.engine.parentWorkflowTaskTimeouts + r.engine.childWorkflowTaskTimeouts : '-',
    ]),
  );
}

async function main(): Promise<void> {
  const options = parseOptions();
  const machine = machineInfo();
  log(`due burst: ${options.tasks} tasks, variants ${options.variants.map((v) => v.name).join(', ')}; ${machine.nproc} cores, load ${machine.loadAverage.join(' ')}`);
  const results: VariantResult[] = [];
  const file = resultPath(`due-burst-${options.tasks}`);
  const save = () =>
    writeResult(file, {
      benchmark: 'due-burst',
      command: `npx tsx bench/due-burst.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      machineAfter: machineInfo(),
      options: { ...options, variants: options.variants },
      results,
    });
  // Saved after every variant: a long run stopped half-way keeps what it measured.
  for (const variant of options.variants) {
    results.push(await runVariant(variant, options));
    save();
  }
  console.log(summaryTable(results));
  console.log(`\nraw results: ${file}`);
}

main().catch((error: unknown) => {
  console.error(`due-burst failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
