/**
 * The service's two processes, the API and the worker, as `npm start` runs them: each a child
 * process (`node --import tsx <entry>`), restarted by the supervisor when it exits, so a dead
 * worker never takes the API down and comes back by itself.
 */
import { join } from 'node:path';
import { startProcess, type LogMode } from './process';
import { supervise, type Supervisable, type Supervision, type SupervisorOptions } from './supervisor';

const root = join(__dirname, '..', '..');

export const APPLICATION_PROCESSES = { api: 'src/api/main.ts', worker: 'src/worker/main.ts' } as const;
export type ApplicationProcess = keyof typeof APPLICATION_PROCESSES;

export interface Application {
  supervisions: Record<ApplicationProcess, Supervision>;
  /** The pid of the process running now (undefined while it is down). */
  pid(name: ApplicationProcess): number | undefined;
  stop(): Promise<void>;
}

export interface ApplicationOptions extends SupervisorOptions {
  env: NodeJS.ProcessEnv;
  /** 'prefix': `[api] line` on the console (npm start); 'file': `<logDir>/<name>.log`. */
  output: LogMode;
  logDir: string;
}

export function startApplication(options: ApplicationOptions): Application {
  const pids: Partial<Record<ApplicationProcess, number>> = {};
  const start = (name: ApplicationProcess): Supervisable => {
    const managed = startProcess(name, process.execPath, ['--import', 'tsx', APPLICATION_PROCESSES[name]], {
      log: options.output,
      logDir: options.logDir,
      env: name === 'worker' ? { ...options.env, TZ: 'UTC' } : options.env,
      cwd: root,
    });
    pids[name] = managed.child.pid;
    void managed.exited.then(() => {
      if (pids[name] === managed.child.pid) delete pids[name];
    });
    return managed;
  };
  const supervised = (name: ApplicationProcess) => supervise(name, start(name), async () => start(name), options);
  const supervisions = { api: supervised('api'), worker: supervised('worker') };
  return {
    supervisions,
    pid: (name) => pids[name],
    // The worker first: it may be finishing an activity that the API's clients wait for.
    stop: async () => {
      await supervisions.worker.stop();
      await supervisions.api.stop();
    },
  };
}
