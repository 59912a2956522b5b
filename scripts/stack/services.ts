/**
 * The services of the local stack, each started and waited for until it really answers:
 * the Temporal dev server (+ UI) and FerretDB as child processes, maildev in this process.
 * With `reuse`, a service already answering on its port is used as is (and left running).
 */
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/temporal/search-attributes';
import { ensureFerretDb, ensureTemporalCli } from './install';
import { startPostgres, type PostgresServer } from './postgres';
import { freePort, httpOk, portAnswers, readyOrStopped, serviceLogger, startProcess, type LogMode, type ProcessExit } from './process';

export { freePort };

export interface ServiceOptions {
  /** Data and, in 'file' mode, `<name>.log` files go here. */
  dataDir: string;
  log: LogMode;
  reuse: boolean;
}

export interface RunningService {
  name: string;
  /** Already running before us: reused, and left running by `stop()`. */
  reused: boolean;
  /** For a service run as child processes: settles when one of them exits. */
  exited?: Promise<ProcessExit>;
  stop(): Promise<void>;
}

export interface TemporalService extends RunningService {
  address: string;
  uiUrl: string;
  /** The server's Prometheus metrics; absent when reused (its port is not known then). */
  metricsUrl?: string;
  /** SIGKILL, as a crash would (tests); resolves once the server is gone. Absent when reused. */
  kill?(): Promise<void>;
}

export interface MongoService extends RunningService {
  uri: string;
  /** Where FerretDB's PostgreSQL keeps its data, when it started one. */
  postgresClusterDir?: string;
  /** SQL against that PostgreSQL (benchmarks' statement statistics). */
  postgresQuery?: PostgresServer['query'];
}

export interface MailService extends RunningService {
  smtp: { host: string; port: number };
  webUrl: string;
}

const HOST = '127.0.0.1';
const leaveRunning = async () => undefined;

async function withTimeout<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** With `reuse`, a port that already answers must be the expected service: true to reuse it, else a clear error. */
async function answersAlready(options: ServiceOptions, port: number, what: string, isIt: () => Promise<boolean>): Promise<boolean> {
  if (!options.reuse || !(await portAnswers(port))) return false;
  if (await isIt().catch(() => false)) return true;
  throw new Error(`port ${port} is taken by a program that is not ${what}: stop it, or use other ports`);
}

async function temporalAnswers(address: string): Promise<boolean> {
  const connection = Connection.lazy({ address, connectTimeout: '1s' });
  try {
    // Closed in any case: a failed Connection.connect() would leave its channel (and socket) open.
    await connection.ensureConnected();
    await withTimeout(2_000, connection.workflowService.describeNamespace({ namespace: 'default' }));
    return true;
  } finally {
    await connection.close();
  }
}

export async function startTemporalDevServer(
  options: ServiceOptions & { port: number; uiPort: number; metricsPort?: number; dynamicConfig?: Record<string, string | number | boolean> },
): Promise<TemporalService> {
  const address = `${HOST}:${options.port}`;
  const uiUrl = `http://${HOST}:${options.uiPort}`;
  const service = { name: 'temporal', address, uiUrl };
  if (await answersAlready(options, options.port, 'a Temporal server', () => temporalAnswers(address))) {
    return { ...service, reused: true, stop: leaveRunning };
  }
  const args = [
    'server', 'start-dev',
    '--ip', HOST,
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    ...(options.metricsPort ? ['--metrics-port', String(options.metricsPort)] : []),
    '--db-filename', join(options.dataDir, 'temporal.sqlite'),
    '--namespace', 'default',
    '--ui-disable-news-fetch',
    // On the console only errors (a graceful stop alone logs a page of warnings); log files get warnings.
    '--log-level', options.log === 'prefix' ? 'error' : 'warn',
    ...SEARCH_ATTRIBUTE_NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
    // Values are JSON: numbers and booleans as they are, strings quoted.
    ...Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
  ];
  await mkdir(options.dataDir, { recursive: true });
  const server = startProcess('temporal', await ensureTemporalCli(), args, { log: options.log, logDir: options.dataDir });
  await readyOrStopped(server, [
    ['the Temporal dev server', () => temporalAnswers(address), 60_000],
    ['the Temporal UI', () => httpOk(uiUrl), 30_000],
  ]);
  const kill = async () => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
  };
  return { ...service, ...(options.metricsPort ? { metricsUrl: `http://${HOST}:${options.metricsPort}/metrics` } : {}), reused: false, exited: server.exited, stop: server.stop, kill };
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

export type FerretDbBackend = 'postgresql' | 'sqlite';

/**
 * FERRETDB_BACKEND picks FerretDB's storage by default: `postgresql` (default) or `sqlite`. FerretDB v1
 * reads without indexes on both, but on SQLite most filters are evaluated in its Go code, ten
 * times slower than PostgreSQL's scan: bench/README.md, finding 1.
 */
export function ferretDbBackend(value = process.env.FERRETDB_BACKEND): FerretDbBackend {
  const backend = value ?? 'postgresql';
  if (backend !== 'postgresql' && backend !== 'sqlite') throw new Error(`FERRETDB_BACKEND must be postgresql or sqlite, not "${backend}"`);
  return backend;
}

/**
 * FerretDB, its state in `<dataDir>/ferretdb/`, storing in PostgreSQL (a cluster of its own,
 * stopped after FerretDB) or in SQLite files there. Its log level is FERRETDB_LOG_LEVEL, by default
 * error: its warnings dump every unsupported command, such as the `endSessions` of each client close.
 */
export async function startFerretDb(
  options: ServiceOptions & { port: number; backend: FerretDbBackend; postgresGinIndexes?: boolean },
): Promise<MongoService> {
  const uri = `mongodb://${HOST}:${options.port}`;
  if (await answersAlready(options, options.port, 'a MongoDB server', () => mongoAnswers(uri))) {
    return { name: 'ferretdb', uri, reused: true, stop: leaveRunning };
  }
  const dataDir = join(options.dataDir, 'ferretdb');
  await mkdir(dataDir, { recursive: true });
  const postgres = options.backend === 'postgresql' ? await startPostgres({ ...options, ginIndexes: options.postgresGinIndexes }) : undefined;
  const storage = postgres ? ['--handler=pg', `--postgresql-url=${postgres.url}`] : ['--handler=sqlite', `--sqlite-url=file:${dataDir}/`];
  const args = [
    ...storage,
    `--state-dir=${dataDir}`,
    `--listen-addr=${HOST}:${options.port}`,
    '--debug-addr=-', // no debug/metrics HTTP listener (its default 127.0.0.1:8088 collides between stacks)
    '--telemetry=disable',
  ];
  const env = { FERRETDB_LOG_LEVEL: 'error', ...process.env };
  const server = startProcess('ferretdb', await ensureFerretDb(), args, { log: options.log, logDir: options.dataDir, env });
  const stop = async () => {
    await server.stop();
    await postgres?.process.stop();
  };
  await readyOrStopped(server, [['FerretDB', () => mongoAnswers(uri), 30_000]], stop);
  const exited = Promise.race([server.exited, ...(postgres ? [postgres.process.exited] : [])]);
  return { name: 'ferretdb', uri, reused: false, exited, stop, postgresClusterDir: postgres?.clusterDir, postgresQuery: postgres?.query };
}

/**
 * maildev 3 through its programmatic API, in this process (an ES module: imported lazily).
 * Mail is kept in `<dataDir>/maildev/`. Port 0 picks a free port.
 */
export async function startMailDev(options: ServiceOptions & { smtpPort: number; webPort: number }): Promise<MailService> {
  const existingUrl = `http://${HOST}:${options.webPort}`;
  const isMaildev = async () => (await portAnswers(options.webPort)) && (await httpOk(`${existingUrl}/api/healthz`));
  if (options.smtpPort !== 0 && (await answersAlready(options, options.smtpPort, 'maildev', isMaildev))) {
    return { name: 'maildev', smtp: { host: HOST, port: options.smtpPort }, webUrl: existingUrl, reused: true, stop: leaveRunning };
  }
  const { MailDev } = await import('maildev');
  const maildev = new MailDev({
    smtp: options.smtpPort,
    ip: HOST,
    web: options.webPort,
    webIp: HOST,
    mailDirectory: join(options.dataDir, 'maildev'),
    silent: true,
  });
  const servers = await printingTo(serviceLogger('maildev', { log: options.log, logDir: options.dataDir }), () => maildev.start());
  const web = servers.api?.getAddress();
  if (!web) throw new Error('maildev started without its web server');
  return {
    name: 'maildev',
    smtp: { host: HOST, port: servers.smtp.getAddress().port },
    webUrl: `http://${HOST}:${web.port}`,
    reused: false,
    // maildev's stop waits up to 30 s for SMTP clients that keep a connection open: not us.
    stop: () => Promise.race([maildev.stop(), new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref())]),
  };
}

/** maildev prints "API running at …" with console.info even when silent: route that to its log. */
async function printingTo<T>(log: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const info = console.info;
  console.info = (...parts: unknown[]) => log(parts.map(String).join(' '));
  try {
    return await work();
  } finally {
    console.info = info;
  }
}
