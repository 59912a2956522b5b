/**
 * One benchmark's own local stack (Temporal dev server, FerretDB on FERRETDB_BACKEND, maildev) on free ports in a
 * temporary directory, as test/support/global-stack.ts does for the tests, plus the SMTP sink
 * and the configuration both service processes get.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/stack/local-stack';
import { ferretDbBackend, type FerretDbBackend } from '../../scripts/stack/services';
import { pidsWhoseCommandContains } from './proc';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

export const BENCH_JWT_SECRET = 'bench-secret-at-least-16-chars';

export interface BenchStack {
  dataDir: string;
  ferretDbBackend: FerretDbBackend;
  stack: LocalStack;
  sink: SmtpSink;
  /** Environment of the API and the worker (src/config variables). */
  env: Record<string, string>;
  /** The stack's server processes, found by their data directory in their command line. */
  pids: { temporal?: number; ferretdb?: number; postgres?: number };
  stop(): Promise<void>;
}

export interface DatabaseSizes {
  /** temporal.sqlite alone, and with its -wal and -shm files. */
  temporalMainBytes: number;
  temporalTotalBytes: number;
  /** Every file under <dataDir>/ferretdb (its SQLite databases on that backend). */
  ferretdbBytes: number;
  /** FerretDB's PostgreSQL: its tables and indexes (`base/`), not the preallocated WAL. */
  postgresBytes: number;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function directoryBytes(dir: string): number {
  try {
    return readdirSync(dir, { withFileTypes: true }).reduce(
      (sum, entry) => sum + (entry.isDirectory() ? directoryBytes(join(dir, entry.name)) : sizeOf(join(dir, entry.name))),
      0,
    );
  } catch {
    return 0;
  }
}

export function databaseSizes(dataDir: string, postgresClusterDir?: string): DatabaseSizes {
  const main = join(dataDir, 'temporal.sqlite');
  const temporalMainBytes = sizeOf(main);
  return {
    temporalMainBytes,
    temporalTotalBytes: temporalMainBytes + sizeOf(`${main}-wal`) + sizeOf(`${main}-shm`),
    ferretdbBytes: directoryBytes(join(dataDir, 'ferretdb')),
    postgresBytes: postgresClusterDir ? directoryBytes(join(postgresClusterDir, 'base')) : 0,
  };
}

/**
 * Stack data lives in bench/tmp/ (git-ignored), not in the system temp directory: on this shared
 * machine a cleanup of /tmp removed a running benchmark's databases once.
 */
const DATA_ROOT = resolve(__dirname, '..', 'tmp');

/** Fails when the stack's data directory has vanished (the servers then write to unlinked files). */
export function assertDataDir(bench: Pick<BenchStack, 'dataDir'>): void {
  if (!existsSync(join(bench.dataDir, 'temporal.sqlite'))) throw new Error(`${bench.dataDir} was deleted while the benchmark ran`);
}

export async function startBenchStack(options: { keepData: boolean; envOverrides?: Record<string, string> }): Promise<BenchStack> {
  if (process.env.MONGODB_URI) throw new Error('unset MONGODB_URI: the benchmarks measure their own FerretDB');
  mkdirSync(DATA_ROOT, { recursive: true });
  const dataDir = mkdtempSync(join(DATA_ROOT, 'stack-'));
  // FERRETDB_BACKEND in a variant's overrides picks the stack's FerretDB storage (sqlite or postgresql).
  const backend = ferretDbBackend(options.envOverrides?.FERRETDB_BACKEND ?? process.env.FERRETDB_BACKEND);
  // STACK_POSTGRES_GIN_INDEXES=0 in a variant: FerretDB's tables without the stack's GIN indexes (scripts/stack/ferretdb-gin-indexes.sql).
  const postgresGinIndexes = options.envOverrides?.STACK_POSTGRES_GIN_INDEXES !== '0';
  const stack = await startLocalStack({ dataDir, reuse: false, log: 'file', ferretDbBackend: backend, postgresGinIndexes });
  const sink = await startSmtpSink();
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    MONGODB_URI: stack.mongoUri,
    MONGODB_DB: 'bench',
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_TASK_QUEUE: 'bench',
    SMTP_HOST: sink.host,
    SMTP_PORT: String(sink.port),
    // The reconciler's start-up listing would add load the benchmark does not mean to measure.
    RECONCILE_INTERVAL_SECONDS: '0',
    JWT_SECRET: BENCH_JWT_SECRET,
    RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    RATE_LIMIT_READS_PER_MINUTE: '1000000',
    ...options.envOverrides,
  };
  const pids = {
    temporal: pidsWhoseCommandContains(join(dataDir, 'temporal.sqlite'))[0],
    ferretdb: pidsWhoseCommandContains(join(dataDir, 'ferretdb'))[0],
    postgres: stack.postgresClusterDir ? pidsWhoseCommandContains(stack.postgresClusterDir)[0] : undefined,
  };
  return {
    dataDir,
    ferretDbBackend: backend,
    stack,
    sink,
    env,
    pids,
    async stop() {
      await sink.stop();
      await stack.stop();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
