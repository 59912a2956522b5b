import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  /** SIGKILL, as the OOM killer or a power cut would: no shutdown, no last word to Temporal. */
  kill(): Promise<void>;
  /** SIGSTOP, returning once the process is stopped: a frozen process (a GC pause, a suspended VM) that still holds its connections. */
  freeze(): void;
  /** SIGCONT: the frozen process goes on where it stopped. */
  thaw(): void;
}

/** The process's state letter in /proc (`T`: stopped). */
function stateOf(pid: number): string | undefined {
  try {
    return /\) (\S) /.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** `npm run worker` as its own process, configured by these variables (testEnv()), so it can be killed. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    freeze() {
      child.kill('SIGSTOP');
      // Synchronously: what the caller does next (answer the process) must find it stopped.
      const deadline = Date.now() + 5_000;
      while (stateOf(child.pid!) !== 'T') {
        if (Date.now() > deadline) throw new Error(`worker ${child.pid} did not stop`);
      }
    },
    thaw() {
      child.kill('SIGCONT');
    },
  };
}
