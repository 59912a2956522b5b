/**
 * The API under load next to a bare Express + mongodb-driver server (bench/support/bare-api.ts)
 * doing the least the same routes need, on the same database in the same run: get one task,
 * list a page, create, patch /name. Each side is its own process; autocannon drives them from
 * this one, sides alternating (A B A B) so the shared machine's noise falls on both; the ratio
 * of each round is taken, and the median of the rounds reported. Create and patch also run
 * against the bare server plus the Temporal call the real routes make (`bare-workflow`), to
 * split their gap into Temporal and the rest. CPU per request: the serving process's user +
 * system time over the run (/proc, as process.cpuUsage counts it) over the requests answered.
 * A list page reads and decodes every task of the tenant in FerretDB (seconds at 1,000 tasks), so
 * it runs with fewer connections for longer (--list-connections, --list-seconds). After every run
 * the next waits until the server and FerretDB are quiet again.
 *   npx tsx bench/api-load.ts [--seconds 10] [--rounds 2] [--connections 10] [--list-seconds 20]
 *     [--list-connections 2] [--tasks 1000] [--other-tenants 4] [--other-tasks 250]
 *     [--warmup-seconds 3] [--route get-one ...] [--cpu-prof]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import { startProcess, type ManagedProcess } from '../scripts/stack/process';
import { chartTaskRequest } from '../test/support/fixtures';
import { BENCH_TENANT, benchToken, createTasks } from './support/api';
import type { Side } from './support/api-load-server';
import { startBenchStack } from './support/bench-stack';
import { machineInfo } from './support/machine';
import { intOption, log, markdownTable, resultPath, sleep, writeResult } from './support/output';
import { cpuSeconds } from './support/proc';
import { round } from './support/stats';
import { REPO_ROOT } from './support/worker-process';

const ROUTES = ['get-one', 'list-a-page', 'patch', 'create'] as const;
type Route = (typeof ROUTES)[number];
/** Create and patch are also measured against bare + their workflow call; reads make none. */
const SIDES_OF: Record<Route, Side[]> = {
  'get-one': ['service', 'bare'],
  'list-a-page': ['service', 'bare'],
  patch: ['service', 'bare', 'bare-workflow'],
  create: ['service', 'bare', 'bare-workflow'],
};
const EXPECTED_STATUS: Record<Route, number> = { 'get-one': 200, 'list-a-page': 200, patch: 204, create: 201 };
const GOAL_RATIO = 0.7;
const DRAIN_LIMIT_MS = 120_000;
/** No request is abandoned and sent again while the first still runs (autocannon's default is 10 s). */
const REQUEST_TIMEOUT_SECONDS = 120;

interface ServerProcess {
  side: Side;
  url: string;
  pid: number;
  managed: ManagedProcess;
}

interface RunResult {
  route: Route;
  side: Side;
  round: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  unexpected: { non2xx: number; errors: number; timeouts: number; statuses: Record<string, number> };
  cpuMsPerRequest: number;
  /** How long the side took to go quiet after the previous run, before this one started. */
  drainMs: number;
}

async function startServer(side: Side, env: Record<string, string>, logDir: string, cpuProfDir?: string): Promise<ServerProcess> {
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const managed = startProcess(`api-load-${side}`, process.execPath, [...profile, '--import', 'tsx', join('bench', 'support', 'api-load-server.ts'), side], {
    log: 'file',
    logDir,
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const text = existsSync(managed.logFile!) ? readFileSync(managed.logFile!, 'utf8') : '';
    const url = /^LISTENING (\S+)$/m.exec(text)?.[1];
    if (url) return { side, url, pid: managed.child.pid!, managed };
    if (managed.child.exitCode !== null || Date.now() > deadline) {
      await managed.stop();
      throw new Error(`the ${side} server did not start; see ${managed.logFile}`);
    }
    await sleep(200);
  }
}

/**
 * Waits until the side's process and FerretDB are quiet: a run's end leaves its last requests
 * running on the server, and the next run must not start behind them. Returns the wait in ms.
 */
async function drain(server: ServerProcess, ferretdbPid: number | undefined): Promise<number> {
  const started = Date.now();
  const busy = (pid: number | undefined, before: number | undefined) => pid !== undefined && before !== undefined && (cpuSeconds(pid) ?? 0) - before > 0.1;
  while (Date.now() - started < DRAIN_LIMIT_MS) {
    const serverBefore = cpuSeconds(server.pid);
    const ferretBefore = ferretdbPid === undefined ? undefined : cpuSeconds(ferretdbPid);
    await sleep(1_000);
    if (!busy(server.pid, serverBefore) && !busy(ferretdbPid, ferretBefore)) break;
  }
  return Date.now() - started;
}

function requestsOf(route: Route, ids: string[]): CannonRequest[] {
  const randomId = () => ids[Math.floor(Math.random() * ids.length)]!;
  let renamed = 0;
  switch (route) {
    case 'get-one':
      return [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/sharing-tasks/${randomId()}` }) }];
    case 'list-a-page':
      return [{ method: 'GET', path: '/api/v1/sharing-tasks?limit=20' }];
    case 'patch':
      return [
        {
          method: 'PATCH',
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/sharing-tasks/${randomId()}`,
            body: JSON.stringify([{ op: 'replace', path: '/name', value: `Weekly sales, renamed ${++renamed}` }]),
          }),
        },
      ];
    case 'create':
      return [{ method: 'POST', path: '/api/v1/sharing-tasks', body: JSON.stringify(chartTaskRequest()) }];
  }
}

async function load(server: ServerProcess, route: Route, ids: string[], token: string, seconds: number, connections: number) {
  const statuses: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        connections,
        duration: seconds,
        timeout: REQUEST_TIMEOUT_SECONDS,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        requests: requestsOf(route, ids),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  return { result, statuses };
}

async function measure(server: ServerProcess, route: Route, roundNumber: number, ids: string[], token: string, seconds: number, connections: number, drainMs: number): Promise<RunResult> {
  const cpuBefore = cpuSeconds(server.pid)!;
  const { result, statuses } = await load(server, route, ids, token, seconds, connections);
  const cpu = cpuSeconds(server.pid)! - cpuBefore;
  const expected = statuses[EXPECTED_STATUS[route]] ?? 0;
  const requests = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    route,
    side: server.side,
    round: roundNumber,
    requests,
    // Answered with the route's success status, per second of the run.
    requestsPerSecond: round(expected / result.duration, 1),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    unexpected: { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, statuses },
    cpuMsPerRequest: round((cpu * 1000) / Math.max(requests, 1), 3),
    drainMs,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function summarize(route: Route, runs: RunResult[]) {
  const of = (side: Side) => runs.filter((run) => run.route === route && run.side === side);
  const sides = Object.fromEntries(
    SIDES_OF[route].map((side) => {
      const mine = of(side);
      return [
        side,
        {
          requestsPerSecond: round(median(mine.map((run) => run.requestsPerSecond)), 1),
          p50Ms: median(mine.map((run) => run.latencyMs.p50)),
          p99Ms: median(mine.map((run) => run.latencyMs.p99)),
          cpuMsPerRequest: round(median(mine.map((run) => run.cpuMsPerRequest)), 3),
        },
      ];
    }),
  );
  const ratioTo = (other: Side) => {
    const service = of('service');
    const others = of(other);
    if (others.length === 0) return undefined;
    // Each round's own ratio, then the median: a noisy round moves both of its sides.
    const perRound = service.map((run) => run.requestsPerSecond / others.find((o) => o.round === run.round)!.requestsPerSecond);
    return { perRound: perRound.map((ratio) => round(ratio, 3)), median: round(median(perRound), 3) };
  };
  return { route, sides, ratioToBare: ratioTo('bare')!, ratioToBareWorkflow: ratioTo('bare-workflow') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      'list-seconds': { type: 'string' },
      'list-connections': { type: 'string' },
      tasks: { type: 'string' },
      'other-tenants': { type: 'string' },
      'other-tasks': { type: 'string' },
      'warmup-seconds': { type: 'string' },
      route: { type: 'string', multiple: true },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  const seconds = intOption('seconds', values.seconds, 10);
  const rounds = intOption('rounds', values.rounds, 2);
  const connections = intOption('connections', values.connections, 10);
  const listSeconds = intOption('list-seconds', values['list-seconds'], 2 * seconds);
  const listConnections = intOption('list-connections', values['list-connections'], 2);
  const shapeOf = (route: Route) => (route === 'list-a-page' ? { seconds: listSeconds, connections: listConnections } : { seconds, connections });
  const taskCount = intOption('tasks', values.tasks, 1000);
  const otherTenants = intOption('other-tenants', values['other-tenants'], 4);
  const otherTasks = intOption('other-tasks', values['other-tasks'], 250);
  const warmupSeconds = intOption('warmup-seconds', values['warmup-seconds'], 3);
  const routes = (values.route ?? [...ROUTES]) as Route[];
  for (const route of routes) if (!ROUTES.includes(route)) throw new Error(`--route must be one of ${ROUTES.join(', ')}, not ${route}`);

  const bench = await startBenchStack({ keepData: false });
  const servers: ServerProcess[] = [];
  try {
    const cpuProfDir = values['cpu-prof'] ? join(REPO_ROOT, 'bench', 'tmp', 'profiles') : undefined;
    for (const side of ['service', 'bare', 'bare-workflow'] as Side[]) {
      servers.push(await startServer(side, bench.env, bench.dataDir, side === 'service' ? cpuProfDir : undefined));
    }
    const serverOf = (side: Side) => servers.find((server) => server.side === side)!;
    const token = benchToken(bench.env);

    log(`seeding ${taskCount} tasks in ${BENCH_TENANT} and ${otherTasks} in each of ${otherTenants} other tenants, through the API`);
    const seed = async (tenant: string, count: number) => {
      const created = await createTasks({
        apiUrl: serverOf('service').url,
        token: benchToken(bench.env, tenant),
        count,
        concurrency: 8,
        body: (index) => chartTaskRequest({ name: `Weekly sales ${index}` }),
      });
      if (created.failures.length > 0) throw new Error(`seeding ${tenant}: ${created.failures.length} failed, first ${JSON.stringify(created.failures[0])}`);
      return created.created.map((task) => task.id);
    };
    const ids = await seed(BENCH_TENANT, taskCount);
    for (let t = 1; t <= otherTenants; t++) await seed(`bench-other-${t}`, otherTasks);

    const runs: RunResult[] = [];
    for (const route of routes) {
      if (warmupSeconds > 0) {
        log(`${route}: warm-up, ${warmupSeconds} s a side`);
        for (const side of SIDES_OF[route]) await load(serverOf(side), route, ids, token, warmupSeconds, shapeOf(route).connections);
      }
      const shape = shapeOf(route);
      for (let r = 1; r <= rounds; r++) {
        for (const side of SIDES_OF[route]) {
          const drainMs = await drain(serverOf(side), bench.pids.ferretdb);
          const run = await measure(serverOf(side), route, r, ids, token, shape.seconds, shape.connections, drainMs);
          runs.push(run);
          const odd = run.requests - (run.unexpected.statuses[EXPECTED_STATUS[route]] ?? 0) + run.unexpected.errors;
          log(`${route} round ${r} ${side}: ${run.requestsPerSecond} req/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, ${run.cpuMsPerRequest} CPU-ms/req (after ${run.drainMs} ms to quiet)${odd ? `, ${odd} unexpected: ${JSON.stringify(run.unexpected)}` : ''}`);
        }
      }
    }

    const summaries = routes.map((route) => summarize(route, runs));
    const result = {
      benchmark: 'api-load',
      date: new Date().toISOString(),
      machine: machineInfo(),
      ferretDbBackend: bench.ferretDbBackend,
      options: { seconds, rounds, connections, listSeconds, listConnections, taskCount, otherTenants, otherTasks, warmupSeconds, cpuProf: values['cpu-prof'] },
      goal: { ratioToBare: GOAL_RATIO },
      summaries,
      runs,
    };
    const file = writeResult(resultPath(`api-load-${taskCount}`), result);
    const rows = summaries.flatMap((summary) =>
      Object.entries(summary.sides).map(([side, s]) => [
        summary.route,
        side,
        s.requestsPerSecond,
        s.p50Ms,
        s.p99Ms,
        s.cpuMsPerRequest,
        side === 'service' ? `${summary.ratioToBare.median}${summary.ratioToBare.median >= GOAL_RATIO ? '' : ' (below 0.7)'}` : '',
        side === 'service' && summary.ratioToBareWorkflow ? summary.ratioToBareWorkflow.median : '',
      ]),
    );
    console.log(markdownTable(['route', 'side', 'req/s', 'p50 ms', 'p99 ms', 'CPU-ms/req', 'service/bare', 'service/bare+workflow'], rows));
    console.log(file);
  } finally {
    for (const server of servers) await server.managed.stop();
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
