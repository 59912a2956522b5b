/**
 * PostgreSQL for FerretDB's `postgresql` backend: the machine's server (Debian's `postgresql`
 * package, installed with apt-get when it is missing and we are root), one cluster per stack data
 * directory, initialised on first start, reachable over TCP on loopback only.
 *
 * The server refuses to run as root; as root it runs as the `postgres` user the package creates.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, portAnswers, readyOrStopped, startProcess, type LogMode, type ManagedProcess } from './process';

const execFileAsync = promisify(execFile);
const HOST = '127.0.0.1';
const SERVER_USER = 'postgres';
const runningAsRoot = () => process.getuid?.() === 0;
/** Indexes FerretDB's equality filters can use (the file says why). */
const GIN_INDEXES_SQL = join(__dirname, 'ferretdb-gin-indexes.sql');

/** The folder holding `initdb` and `postgres`: Debian keeps them off PATH, in /usr/lib/postgresql/<major>/bin. */
function findServerBinaries(): string | undefined {
  const debianRoot = '/usr/lib/postgresql';
  const debian = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((major) => /^\d+$/.test(major))
        .sort((a, b) => Number(b) - Number(a))
        .map((major) => join(debianRoot, major, 'bin'))
    : [];
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...debian, ...onPath].find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

export function postgresInstalled(): boolean {
  return findServerBinaries() !== undefined;
}

export function canInstallPostgres(): boolean {
  return runningAsRoot() && existsSync('/usr/bin/apt-get');
}

const installing: { pending?: Promise<string> } = {};

/** The server binaries' folder, installing Debian's package first when they are missing. */
export function ensurePostgres(): Promise<string> {
  const found = findServerBinaries();
  if (found) return Promise.resolve(found);
  installing.pending ??= (async () => {
    if (!canInstallPostgres()) throw new Error('the PostgreSQL server is not installed (Debian: apt-get install postgresql)');
    console.log('installing PostgreSQL (Debian package postgresql) …');
    const apt = (args: string[]) => execFileAsync('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    await apt(['install', '-y', '-qq', 'postgresql']).catch(async () => {
      await apt(['update', '-qq']);
      await apt(['install', '-y', '-qq', 'postgresql']);
    });
    const installed = findServerBinaries();
    if (!installed) throw new Error('apt-get installed postgresql, but no initdb/postgres binaries were found');
    return installed;
  })();
  return installing.pending;
}

/** As root, commands run as the `postgres` user; otherwise as ourselves. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (!runningAsRoot()) return [command, args];
  return ['setpriv', [`--reuid=${SERVER_USER}`, `--regid=${SERVER_USER}`, '--init-groups', command, ...args]];
}

async function serverUserCanEnter(dir: string): Promise<boolean> {
  const [command, args] = asServerUser('test', ['-x', dir]);
  return execFileAsync(command, args).then(
    () => true,
    () => false,
  );
}

/**
 * `<dataDir>/postgres`, owned by the server's user. As root, when that user cannot reach the data
 * directory (a clone under /root), the cluster lives in the user's home instead, one per data directory.
 */
async function clusterDir(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  if (!runningAsRoot()) return join(dataDir, 'postgres');
  await chmod(dataDir, 0o711); // a mkdtemp folder is 0700
  const { stdout } = await execFileAsync('getent', ['passwd', SERVER_USER]).catch(() => {
    throw new Error(`running as root, PostgreSQL needs the "${SERVER_USER}" user (Debian's postgresql package creates it)`);
  });
  const [, , uid, gid, , home] = stdout.trim().split(':');
  const ownedByServer = async (dir: string) => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chown(dir, Number(uid), Number(gid));
    return dir;
  };
  if (await serverUserCanEnter(dataDir)) return ownedByServer(join(dataDir, 'postgres'));
  const clusters = await ownedByServer(join(home!, 'sharing-tasks-stack'));
  return ownedByServer(join(clusters, createHash('sha256').update(dataDir).digest('hex').slice(0, 16)));
}

export interface PostgresServer {
  url: string;
  /** Runs one SQL statement with psql and returns its rows, `|`-separated (benchmarks). */
  query(sql: string): Promise<string[]>;
  clusterDir: string;
  process: ManagedProcess;
}

/** `ginIndexes: false` leaves FerretDB's tables as FerretDB makes them (benchmarks compare the two). */
export async function startPostgres(options: { dataDir: string; log: LogMode; ginIndexes?: boolean }): Promise<PostgresServer> {
  const binaries = await ensurePostgres();
  const dir = await clusterDir(options.dataDir);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    const [command, args] = asServerUser(join(binaries, 'initdb'), ['-D', dir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await execFileAsync(command, args);
  }
  const port = await freePort();
  const [command, args] = asServerUser(join(binaries, 'postgres'), [
    '-D', dir,
    '-p', String(port),
    '-c', `listen_addresses=${HOST}`,
    '-c', 'unix_socket_directories=',
    // A development database: a crash may lose the last commits, never corrupt the cluster.
    '-c', 'synchronous_commit=off',
    '-c', 'max_connections=200',
    '-c', 'log_min_messages=warning', // not the start-up and checkpoint chatter
    // FerretDB's statements name the field as a parameter: only a plan made with the values can use an index.
    '-c', 'plan_cache_mode=force_custom_plan',
    ...(statementStatsWanted() ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'] : []),
  ]);
  const server = startProcess('postgres', command, args, { log: options.log, logDir: options.dataDir });
  await readyOrStopped(server, [['PostgreSQL', () => portAnswers(port), 30_000]]);
  const url = `postgres://postgres@${HOST}:${port}/postgres`;
  const query = async (sql: string) => {
    const { stdout } = await execFileAsync(join(binaries, 'psql'), [url, '-X', '-A', '-t', '-F', '|', '-c', sql], { maxBuffer: 16 * 1024 * 1024 });
    return stdout.split('\n').filter((line) => line.length > 0);
  };
  if (options.ginIndexes !== false) await execFileAsync(join(binaries, 'psql'), [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', GIN_INDEXES_SQL]);
  if (statementStatsWanted()) await query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  return { url, query, clusterDir: dir, process: server };
}

/** STACK_POSTGRES_STATEMENT_STATS=1: the server keeps pg_stat_statements (what each SQL statement FerretDB sends costs). */
function statementStatsWanted(): boolean {
  return process.env.STACK_POSTGRES_STATEMENT_STATS === '1';
}
