/** Child processes of the local stack: logs prefixed or to a file, stopped with the parent. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type LogMode = 'prefix' | 'file';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whatever happens to the parent, its stack children do not outlive it. */
function killChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { log: LogMode; logDir: string; env?: NodeJS.ProcessEnv; cwd?: string },
): ManagedProcess {
  killChildrenOnExit();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (options.log === 'prefix') {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
    }
  } else {
    const file = createWriteStream(join(options.logDir, `${name}.log`), { flags: 'a' });
    child.stdout!.pipe(file);
    child.stderr!.pipe(file);
  }
  return {
    name,
    child,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `ready` until it resolves true; fails with the service's name if the process dies or time runs out. */
export async function waitUntilReady(
  name: string,
  ready: () => Promise<boolean>,
  options: { timeoutMs: number; process?: ManagedProcess; logHint?: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.process && options.process.child.exitCode !== null) {
      throw new Error(`${name} exited with code ${options.process.child.exitCode} before it was ready${options.logHint ? ` (see ${options.logHint})` : ''}`);
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${options.timeoutMs / 1000} s${options.logHint ? ` (see ${options.logHint})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
