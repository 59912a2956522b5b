/** The three services of the local stack, each started as a child process and waited for until ready. */
import { Connection } from '@temporalio/client';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/temporal/search-attributes';
import { ensureFerretDb, ensureTemporalCli } from './install';
import { freePort, portAnswers, startProcess, waitUntilReady, type LogMode } from './process';

export interface RunningService {
  name: string;
  /** Reused services were already running before us and are left running. */
  reused: boolean;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  dataDir: string;
  log: LogMode;
  reuse: boolean;
}

const reusedService = (name: string): RunningService => ({ name, reused: true, stop: async () => undefined });

async function temporalAnswers(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: '1s' });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } finally {
    await connection.close();
  }
}

export async function startTemporalDevServer(
  options: ServiceOptions & { port: number; uiPort: number; dynamicConfig?: Record<string, string | number | boolean> },
): Promise<RunningService> {
  const address = `127.0.0.1:${options.port}`;
  if (options.reuse && (await portAnswers(options.port)) && (await temporalAnswers(address).catch(() => false))) {
    return reusedService('temporal');
  }
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--http-port', String(await freePort()),
    '--metrics-port', String(await freePort()),
    '--db-filename', join(options.dataDir, 'temporal.sqlite'),
    '--namespace', 'default',
    '--ui-disable-news-fetch',
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTE_NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
    ...Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
  ];
  const server = startProcess('temporal', ensureTemporalCli(), args, { log: options.log, logDir: options.dataDir });
  await waitUntilReady('Temporal dev server', () => temporalAnswers(address), {
    timeoutMs: 60_000,
    process: server,
    logHint: join(options.dataDir, 'temporal.log'),
  });
  await waitUntilReady('Temporal UI', () => portAnswers(options.uiPort), { timeoutMs: 30_000, process: server });
  return { name: 'temporal', reused: false, stop: server.stop };
}

async function mongoAnswers(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}

export async function startFerretDb(options: ServiceOptions & { port: number }): Promise<RunningService> {
  const uri = `mongodb://127.0.0.1:${options.port}`;
  if (options.reuse && (await portAnswers(options.port)) && (await mongoAnswers(uri).catch(() => false))) {
    return reusedService('ferretdb');
  }
  const dataDir = join(options.dataDir, 'ferretdb');
  mkdirSync(dataDir, { recursive: true });
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--listen-addr=127.0.0.1:${options.port}`,
    `--debug-addr=127.0.0.1:${await freePort()}`,
    '--telemetry=disable',
    '--log-level=warn',
    '--state-dir=' + dataDir,
  ];
  const server = startProcess('ferretdb', ensureFerretDb(), args, { log: options.log, logDir: options.dataDir });
  await waitUntilReady('FerretDB', () => mongoAnswers(uri), { timeoutMs: 30_000, process: server, logHint: join(options.dataDir, 'ferretdb.log') });
  return { name: 'ferretdb', reused: false, stop: server.stop };
}

export async function startMailDev(options: ServiceOptions & { smtpPort: number; webPort: number }): Promise<RunningService> {
  const healthz = `http://127.0.0.1:${options.webPort}/api/healthz`;
  const answers = async () => (await fetch(healthz)).ok;
  if (options.reuse && (await portAnswers(options.smtpPort)) && (await answers().catch(() => false))) {
    return reusedService('maildev');
  }
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    join(__dirname, '..', '..', 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js'),
    '--smtp', String(options.smtpPort),
    '--ip', '127.0.0.1',
    '--web', String(options.webPort),
    '--web-ip', '127.0.0.1',
  ];
  const server = startProcess('maildev', process.execPath, args, { log: options.log, logDir: options.dataDir });
  await waitUntilReady('maildev', async () => (await portAnswers(options.smtpPort)) && (await answers()), {
    timeoutMs: 30_000,
    process: server,
    logHint: join(options.dataDir, 'maildev.log'),
  });
  return { name: 'maildev', reused: false, stop: server.stop };
}
