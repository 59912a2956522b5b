/**
 * What metrics and tracing cost an API request: two API processes on one stack and database, one
 * with tracing off (metrics only, the default) and one exporting traces to a local OTLP collector
 * stand-in, timed by the same loop of `GET /sharing-tasks/{id}` in interleaved blocks so the
 * machine's noise hits both alike; plus the cost of one observation of the request histogram.
 *   npx tsx bench/request-cost.ts [--requests 2000]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Histogram, Registry } from 'prom-client';
import { freePort } from '../scripts/stack/process';
import { issueToken } from '../src/auth/claims';
import { loadConfig } from '../src/config';
import { chartTaskRequest } from '../test/support/fixtures';
import { startOtlpCollector } from '../test/support/otlp-collector';
import { startBenchStack } from './support/bench-stack';
import { machineInfo } from './support/machine';
import { log, markdownTable, resultPath, writeResult } from './support/output';
import { distribution, round, roundDistribution } from './support/stats';
import { REPO_ROOT } from './support/worker-process';

const BLOCK = 100;

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function startApiProcess(env: Record<string, string>): Promise<{ base: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/api/main.ts'], { cwd: REPO_ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error('the API process did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { base, stop: async () => void (child.kill('SIGTERM'), await exited) };
}

function observationCostNs(): number {
  const histogram = new Histogram({ name: 'h', help: 'h', labelNames: ['method', 'route', 'status'], registers: [new Registry()] });
  const rounds = 200_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) histogram.startTimer()({ method: 'GET', route: '/api/v1/sharing-tasks/:taskId', status: '200' });
  return Number(process.hrtime.bigint() - start) / rounds;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' } } });
  const requests = Number(values.requests);
  const bench = await startBenchStack({ keepData: false });
  const collector = await startOtlpCollector();
  const apis = {
    off: await startApiProcess(bench.env),
    on: await startApiProcess({ ...bench.env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }),
  };
  try {
    const config = loadConfig(bench.env);
    const token = issueToken({ tenant: 'bench', userId: 'bench-owner', roles: [] }, config.auth);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${apis.off.base}/api/v1/sharing-tasks`, { method: 'POST', headers, body: JSON.stringify(chartTaskRequest()) });
    const { id } = (await created.json()) as { id: string };
    const timings: Record<'off' | 'on', number[]> = { off: [], on: [] };
    const get = async (which: 'off' | 'on') => {
      const start = process.hrtime.bigint();
      const response = await fetch(`${apis[which].base}/api/v1/sharing-tasks/${id}`, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    for (const which of ['off', 'on'] as const) for (let i = 0; i < 50; i++) await get(which); // warm-up
    log(`timing ${requests} GETs against each API, in blocks of ${BLOCK}`);
    for (let done = 0; done < requests; done += BLOCK) {
      for (const which of ['off', 'on'] as const) for (let i = 0; i < BLOCK; i++) timings[which].push(await get(which));
    }
    const off = distribution(timings.off);
    const on = distribution(timings.on);
    const result = {
      machine: machineInfo(),
      requests,
      tracingOffMs: roundDistribution(off, 3),
      tracingOnMs: roundDistribution(on, 3),
      meanOffMs: round(mean(timings.off), 3),
      meanOnMs: round(mean(timings.on), 3),
      meanRatio: round(mean(timings.on) / mean(timings.off), 3),
      p50Ratio: round(on.p50 / off.p50, 3),
      spansExported: collector.spans.length,
      histogramObservationNs: round(observationCostNs(), 0),
    };
    const file = writeResult(resultPath('request-cost'), result);
    console.log(
      markdownTable(
        ['GET /sharing-tasks/{id}', 'mean ms', 'p50 ms', 'p99 ms'],
        [
          ['tracing off (metrics on)', result.meanOffMs, round(off.p50, 3), round(off.p99, 3)],
          ['tracing on (OTLP/HTTP)', result.meanOnMs, round(on.p50, 3), round(on.p99, 3)],
        ],
      ),
    );
    console.log(`\non/off: mean ${result.meanRatio}, p50 ${result.p50Ratio}; ${result.spansExported} spans exported; one histogram observation ${result.histogramObservationNs} ns; raw: ${file}`);
  } finally {
    await apis.off.stop();
    await apis.on.stop();
    await collector.close();
    await bench.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
