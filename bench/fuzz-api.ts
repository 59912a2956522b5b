/**
 * Fuzzes the API from its own OpenAPI document with schemathesis (PyPI), on a throwaway stack:
 * every operation, positive and negative data, stateful sequences (create → get → patch → delete).
 * Counts every response the server sent by status (independently of schemathesis) and what
 * schemathesis found, by check.
 *   npx tsx bench/fuzz-api.ts [--max-examples 300] [--workers 2] [--seed 1] [--checks all] [--stop-after 25000]
 * --stop-after ends schemathesis (SIGINT) once the server has answered that many requests, and still
 * writes the result: a run sized by requests rather than by examples per operation.
 * schemathesis is installed on first use into bench/.venv (git-ignored).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startApi } from '../src/api/main';
import { issueToken } from '../src/auth/claims';
import { loadConfig } from '../src/config';
import { startBenchStack } from './support/bench-stack';
import { machineInfo } from './support/machine';
import { intOption, log, resultPath, writeResult } from './support/output';
import { REPO_ROOT } from './support/worker-process';

const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = join(REPO_ROOT, 'bench', '.venv');
const SCHEMATHESIS = join(VENV, 'bin', 'schemathesis');

function ensureSchemathesis(): void {
  if (existsSync(SCHEMATHESIS)) return;
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into bench/.venv`);
  for (const [command, args] of [
    ['python3', ['-m', 'venv', VENV]],
    [join(VENV, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`]],
  ] as const) {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
  }
}

/** Every response the API sent, by status, and the requests behind each 5xx (method and path). */
class ResponseCounter {
  readonly byStatus = new Map<number, number>();
  readonly serverErrors: { method: string; url: string; status: number }[] = [];
  total = 0;

  observe = (req: IncomingMessage, res: ServerResponse): void => {
    res.once('finish', () => {
      this.total++;
      this.byStatus.set(res.statusCode, (this.byStatus.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500) this.serverErrors.push({ method: req.method ?? '', url: (req.url ?? '').slice(0, 300), status: res.statusCode });
    });
  };
}

interface CheckResult {
  name: string;
  status: string;
  failure_info?: { failure?: { code?: string; title?: string; message?: string } };
}

interface FailureSummary {
  /** Failed checks, each test case counted once per check. */
  byCheck: Record<string, number>;
  /** Distinct failures: check, operation and the first line of the message. */
  unique: { check: string; code: string; operation: string; message: string; cases: number }[];
}

/** The failures in schemathesis's NDJSON event stream (its ScenarioFinished events carry every check's outcome). */
function failuresFrom(reportDir: string): FailureSummary {
  const byCheck: Record<string, number> = {};
  const unique = new Map<string, FailureSummary['unique'][number]>();
  const file = readdirSync(reportDir).find((name) => name.endsWith('.ndjson'));
  if (!file) return { byCheck, unique: [] };
  for (const line of readFileSync(join(reportDir, file), 'utf8').split('\n')) {
    if (!line.startsWith('{"ScenarioFinished"') || !line.includes('"failure"') || !line.endsWith('}')) continue; // a stopped run may end mid-line
    const recorder = (JSON.parse(line) as { ScenarioFinished: { recorder?: { label?: string; checks?: Record<string, CheckResult[]> } } }).ScenarioFinished.recorder;
    for (const checks of Object.values(recorder?.checks ?? {})) {
      for (const check of checks) {
        if (check.status !== 'failure') continue;
        byCheck[check.name] = (byCheck[check.name] ?? 0) + 1;
        const failure = check.failure_info?.failure ?? {};
        const operation = recorder?.label ?? '';
        const message = (failure.message ?? failure.title ?? '').split('\n')[0]!.slice(0, 300);
        const key = `${check.name}|${operation}|${message}`;
        const entry = unique.get(key) ?? { check: check.name, code: failure.code ?? '', operation, message, cases: 0 };
        entry.cases++;
        unique.set(key, entry);
      }
    }
  }
  return { byCheck, unique: [...unique.values()].sort((a, b) => a.check.localeCompare(b.check) || b.cases - a.cases) };
}

/**
 * The run's configuration: every operation as a TenantAdmin of one tenant, except the settings
 * operations, which run as the admin of another tenant: a fuzzed PUT with `enable-sharing: false`
 * would otherwise turn every other operation into a 403 for the rest of the run.
 */
function schemathesisConfig(): string {
  return [
    'headers = { Authorization = "Bearer ${FUZZ_TOKEN}" }',
    '',
    '[[operations]]',
    'include-path = "/api/v1/sharing-tasks/settings"',
    'headers = { Authorization = "Bearer ${FUZZ_SETTINGS_TOKEN}" }',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'max-examples': { type: 'string' },
      workers: { type: 'string' },
      seed: { type: 'string' },
      checks: { type: 'string', default: 'all' },
      phases: { type: 'string', default: 'examples,coverage,fuzzing,stateful' },
      'keep-data': { type: 'boolean', default: false },
      'stop-after': { type: 'string' },
    },
  });
  const maxExamples = intOption('max-examples', values['max-examples'], 300);
  const workers = intOption('workers', values.workers, 2);
  const seed = intOption('seed', values.seed, 1);
  const stopAfter = intOption('stop-after', values['stop-after'], 0);
  ensureSchemathesis();

  const bench = await startBenchStack({ keepData: values['keep-data'] });
  const config = loadConfig(bench.env);
  const api = await startApi(config);
  const counter = new ResponseCounter();
  api.server.on('request', counter.observe);
  const adminOf = (tenant: string) =>
    issueToken({ tenant, userId: `${tenant}-admin`, userName: 'Fuzz Admin', email: `admin@${tenant}.local`, timezone: 'Europe/Paris', roles: ['TenantAdmin'] }, config.auth, config.auth.maxLifetimeSeconds);
  const reportDir = join(REPO_ROOT, 'bench', 'tmp', `fuzz-report-${Date.now()}`);
  mkdirSync(reportDir, { recursive: true });
  const configFile = join(reportDir, 'schemathesis.toml');
  writeFileSync(configFile, schemathesisConfig());
  const args = [
    '--config-file',
    configFile,
    'run',
    `${api.url}/api/v1/sharing-tasks/openapi.json`,
    '--url',
    api.url,
    '--checks',
    values.checks,
    '--phases',
    values.phases,
    '--max-examples',
    String(maxExamples),
    '--workers',
    String(workers),
    '--seed',
    String(seed),
    '--request-timeout',
    '30',
    '--continue-on-failure',
    '--suppress-health-check',
    'all',
    '--report',
    'ndjson',
    '--report-dir',
    reportDir,
    '--output-truncate',
    'true',
  ];
  const printable = ['schemathesis', ...args].join(' ');
  log(printable);
  const started = Date.now();
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(SCHEMATHESIS, args, { stdio: ['ignore', 'inherit', 'inherit'], env: {
        ...process.env,
        FUZZ_TOKEN: adminOf('fuzz'),
        FUZZ_SETTINGS_TOKEN: adminOf('fuzz-settings'),
        SCHEMATHESIS_TELEMETRY: 'false',
        NO_COLOR: '1',
      }, });
    const enough = stopAfter > 0 ? setInterval(() => {
      if (counter.total < stopAfter) return;
      log(`${counter.total} responses: stopping schemathesis (--stop-after ${stopAfter})`);
      clearInterval(enough);
      child.kill('SIGINT');
    }, 1_000) : undefined;
    child.once('exit', (code) => {
      clearInterval(enough);
      resolve(code ?? 1);
    });
  });
  const elapsedSeconds = Math.round((Date.now() - started) / 1000);
  await api.close();
  await bench.stop();

  const failures = failuresFrom(reportDir);
  const serverErrorCount = counter.serverErrors.length;
  const result = {
    benchmark: 'fuzz-api',
    date: new Date().toISOString(),
    machine: machineInfo(),
    schemathesis: SCHEMATHESIS_VERSION,
    command: printable,
    config: schemathesisConfig(),
    options: { maxExamples, workers, seed, checks: values.checks, phases: values.phases, stopAfter },
    elapsedSeconds,
    schemathesisExitCode: exitCode,
    requests: counter.total,
    byStatus: Object.fromEntries([...counter.byStatus].sort(([a], [b]) => a - b)),
    serverErrors: serverErrorCount,
    serverErrorSamples: counter.serverErrors.slice(0, 50),
    failuresByCheck: failures.byCheck,
    uniqueFailures: failures.unique,
  };
  const file = writeResult(resultPath(`fuzz-api-${counter.total}`), result);
  log(`${counter.total} requests in ${elapsedSeconds} s; ${serverErrorCount} × 5xx; failures by check ${JSON.stringify(failures.byCheck)}; written to ${file}`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
