/**
 * Child processes of the local stack: logs prefixed on the console or written to a file, stopped
 * with SIGTERM then SIGKILL, and never outliving the process that started them.
 *
 * Each child runs in its own process group (so Ctrl-C reaches only the parent, which stops the
 * application before its databases), and is killed with its whole group:
 * - on `stop()`;
 * - on SIGINT/SIGTERM/SIGHUP when nothing else in the parent handles the signal, and on exit;
 * - if the parent dies without running any of that (SIGKILL, OOM), by a small guardian shell
 *   that holds a pipe from the parent and kills what is still registered when the pipe closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type LogMode = 'prefix' | 'file';

export interface LogOptions {
  log: LogMode;
  /** Where `<name>.log` goes in 'file' mode. */
  logDir: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** The log file in 'file' mode. */
  logFile?: string;
  /** Settles when the process has exited (also after stop()), or could not be spawned (code null, no signal). */
  exited: Promise<ProcessExit>;
  stop(): Promise<void>;
}

/** "exit code 1", "signal SIGKILL": how a process ended, for a log line. */
export function describeExit({ code, signal }: ProcessExit): string {
  if (signal) return `signal ${signal}`;
  return code === null ? 'a failure to start' : `exit code ${code}`;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

let guardian: ChildProcess | undefined;

/** `+pid` registers a process group, `-pid` forgets it; on end of input the rest is killed. */
const GUARDIAN_SCRIPT = `
groups=" "
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) groups="\${groups/ \${line#-} / }" ;;
  esac
done
for pid in $groups; do kill -TERM -- "-$pid" 2>/dev/null; done
[ -n "\${groups// /}" ] && sleep 5
for pid in $groups; do kill -KILL -- "-$pid" 2>/dev/null; done
exit 0
`;

function tellGuardian(line: string): void {
  if (!guardian) {
    guardian = spawn('bash', ['-c', GUARDIAN_SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    guardian.unref();
    (guardian.stdin as Socket).unref();
    guardian.stdin!.on('error', () => undefined); // a dead guardian must not take the parent down
  }
  guardian.stdin!.write(`${line}\n`);
}

let hooksInstalled = false;

function installParentHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Exit handlers cannot wait: a last SIGTERM, and the guardian follows up with SIGKILL.
  process.once('exit', () => {
    for (const child of running) killGroup(child, 'SIGTERM');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // Someone else handles it (cli.ts, start.ts, mocha): they stop the stack and exit.
      if (process.listenerCount(signal) > 1) return;
      void stopAll().finally(() => process.exit(128 + constants.signals[signal]));
    });
  }
}

async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}

async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (!hasExited(child)) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  killGroup(child, 'SIGKILL'); // anything the child left behind in its group
  running.delete(child);
  if (child.pid) tellGuardian(`-${child.pid}`);
}

/** A line sink for a service's own messages: `[name] line` on the console, or its log file. */
export function serviceLogger(name: string, options: LogOptions): (line: string) => void {
  if (options.log === 'prefix') return (line) => console.log(`[${name}] ${line}`);
  mkdirSync(options.logDir, { recursive: true });
  const file = join(options.logDir, `${name}.log`);
  return (line) => appendFileSync(file, `${line}\n`);
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: LogOptions & { env?: NodeJS.ProcessEnv; cwd?: string },
): ManagedProcess {
  installParentHooks();
  let logFile: string | undefined;
  let fd: number | undefined;
  if (options.log === 'file') {
    mkdirSync(options.logDir, { recursive: true });
    logFile = join(options.logDir, `${name}.log`);
    fd = openSync(logFile, 'a'); // the child writes its log itself: nothing is lost if we die
  }
  const output = fd ?? 'pipe';
  const child = spawn(command, args, { detached: true, stdio: ['ignore', output, output], env: options.env ?? process.env, cwd: options.cwd });
  if (fd !== undefined) closeSync(fd);
  running.add(child);
  if (child.pid) tellGuardian(`+${child.pid}`);
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    child.once('error', () => {
      running.delete(child); // spawn failure: surfaces through waitUntilReady
      if (!child.pid) resolve({ code: null, signal: null });
    });
  });
  if (options.log === 'prefix') {
    const log = serviceLogger(name, options);
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', log);
  }
  return { name, child, logFile, exited, stop: () => stopChild(child) };
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

/** Whether something accepts TCP connections on the port. */
export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (answers: boolean) => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(500);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.ok;
}

function logTail(file: string | undefined, lines = 15): string {
  if (!file || !existsSync(file)) return '';
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n  ');
  return tail ? `; the end of ${file}:\n  ${tail}` : '';
}

/** Polls `ready` until it resolves true; fails naming the service if its process dies or time runs out. */
export async function waitUntilReady(
  what: string,
  ready: () => Promise<boolean>,
  options: { timeoutMs: number; process?: ManagedProcess },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let spawnError: Error | undefined;
  options.process?.child.once('error', (error) => (spawnError = error));
  for (;;) {
    const child = options.process?.child;
    if (spawnError) throw new Error(`${what} could not start: ${spawnError.message}`);
    if (child && hasExited(child)) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready${logTail(options.process?.logFile)}`);
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${options.timeoutMs / 1000} s${logTail(options.process?.logFile)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits for a started process to be ready; if it never is, stops it (or everything `stop` stops) before failing. */
export async function readyOrStopped(
  server: ManagedProcess,
  checks: [what: string, ready: () => Promise<boolean>, timeoutMs: number][],
  stop = server.stop,
): Promise<void> {
  try {
    for (const [what, ready, timeoutMs] of checks) await waitUntilReady(what, ready, { timeoutMs, process: server });
  } catch (error) {
    await stop();
    throw error;
  }
}
