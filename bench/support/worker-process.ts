/**
 * The worker as production runs it: its own Node process running src/worker/main.ts (bundling the
 * workflows from source), configured by environment variables. Its memory is read from /proc.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startProcess, type ManagedProcess } from '../../scripts/stack/process';
import { cpuSeconds, rssBytes } from './proc';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface WorkerProcess {
  pid: number;
  logFile: string;
  /** Milliseconds from spawn to the worker's "worker started" log line (bundling included). */
  startupMs: number;
  rssBytes(): number | undefined;
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

function logHas(file: string | undefined, text: string): boolean {
  return !!file && existsSync(file) && readFileSync(file, 'utf8').includes(text);
}

async function waitForStart(managed: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (logHas(managed.logFile, '"msg":"worker started"')) return;
    const { exitCode, signalCode } = managed.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`the worker exited (${exitCode ?? signalCode}) before it started; see ${managed.logFile}`);
    }
    if (Date.now() > deadline) throw new Error(`the worker did not start within ${timeoutMs / 1000} s; see ${managed.logFile}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/**
 * Starts `node --import tsx src/worker/main.ts` with the given configuration; resolves once it polls.
 * `preload`: modules (paths from the repository root) imported first, for what-if experiments.
 */
export async function startWorkerProcess(options: {
  name: string;
  env: Record<string, string>;
  logDir: string;
  preload?: string[];
}): Promise<WorkerProcess> {
  const started = Date.now();
  const preload = options.preload ?? [];
  const entry = preload.length > 0 ? join('bench', 'support', 'worker-entry.ts') : join('src', 'worker', 'main.ts');
  const managed = startProcess(options.name, process.execPath, ['--import', 'tsx', entry], {
    log: 'file',
    logDir: options.logDir,
    cwd: REPO_ROOT,
    // info: the worker's start line is the readiness signal; the SDK logs little more at that level.
    env: { ...process.env, ...options.env, LOG_LEVEL: 'info', BENCH_PRELOAD: preload.join(',') },
  });
  try {
    await waitForStart(managed, 120_000);
  } catch (error) {
    await managed.stop();
    throw error;
  }
  const pid = managed.child.pid!;
  return {
    pid,
    logFile: managed.logFile!,
    startupMs: Date.now() - started,
    rssBytes: () => rssBytes(pid),
    cpuSeconds: () => cpuSeconds(pid),
    stop: managed.stop,
  };
}
