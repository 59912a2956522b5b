import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApplication, type Application } from '../../scripts/stack/application';
import { freePort } from '../../scripts/stack/process';
import { issueToken } from '../../src/auth/claims';
import { loadConfig } from '../../src/config';
import { testEnv } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { eventually } from '../support/service';

/**
 * `npm start`'s supervision on real processes: the API and the worker as child processes under the
 * supervisor (scripts/stack/application.ts, what scripts/start.ts runs), the worker killed with
 * SIGKILL. The API keeps answering, the supervisor says why and restarts the worker, which runs a task.
 */
describe('npm start supervision', function () {
  this.timeout(180_000);
  let application: Application | undefined;
  let logDir: string;
  const supervisorLines: string[] = [];
  let base: string;
  let token: string;
  let healthFile: string;

  before(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'supervision-'));
    healthFile = join(logDir, 'worker-health.json');
    // LOG_FILE unset: the supervisor's log files (worker.log) get the processes' own lines, as under npm start.
    const env = testEnv({ PORT: String(await freePort()), LOG_LEVEL: 'info', WORKER_HEALTH_FILE: healthFile, LOG_FILE: '' });
    const config = loadConfig(env);
    base = `http://${config.http.host}:${config.http.port}`;
    token = issueToken({ tenant: 'tenant-sup', userId: 'u1', roles: [] }, config.auth);
    application = startApplication({ env: { ...process.env, ...env }, output: 'file', logDir, log: (line) => supervisorLines.push(line) });
    await eventually(() => get(`${base}/health`).then((status) => (status === 200 ? true : undefined)), 60_000, 'the API');
    await eventually(async () => (workerLog().includes('worker started') ? true : undefined), 90_000, 'the worker');
  });

  after(async () => {
    await application?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  const workerLog = () => {
    try {
      return readFileSync(join(logDir, 'worker.log'), 'utf8');
    } catch {
      return '';
    }
  };

  async function get(url: string): Promise<number | undefined> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.status;
    } catch {
      return undefined;
    }
  }

  it('restarts a worker killed with SIGKILL, says why, keeps the API answering, and the new worker runs a task', async () => {
    const killed = application!.pid('worker')!;
    assert.ok(killed, 'the worker runs');
    process.kill(killed, 'SIGKILL');

    const exitLine = await eventually(async () => supervisorLines.find((line) => line.startsWith('worker exited')), 10_000, 'the exit line');
    assert.match(exitLine, /^worker exited \(signal SIGKILL\) after [\d.]+ s; restarting in 1 s$/);
    // While the worker is down or starting: the API answers.
    assert.equal(await get(`${base}/health`), 200);
    await eventually(async () => supervisorLines.find((line) => line === 'worker restarted (restart 1)'), 15_000, 'the restart line');
    const restartedAt = Date.now();
    assert.notEqual(application!.pid('worker'), killed);
    assert.equal(await get(`${base}/health`), 200);
    assert.equal(application!.supervisions.api.restarts, 0, 'the API was not touched');

    const created = await fetch(`${base}/api/v1/sharing-tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(chartTaskRequest({ executeOnCreation: true })),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: string };
    const execution = await eventually(
      async () => {
        const response = await fetch(`${base}/api/v1/sharing-tasks/${id}/executions`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { executions?: { status: string }[] };
        return body.executions?.find((run) => run.status === 'successful');
      },
      120_000,
      'a successful run by the restarted worker',
    );
    assert.equal(execution.status, 'successful');

    // The health file the compose file's worker probe reads: written again by the new worker.
    const health = await eventually(
      async () => {
        try {
          const written = JSON.parse(readFileSync(healthFile, 'utf8')) as { state: string; at: string };
          return Date.parse(written.at) > restartedAt ? written : undefined;
        } catch {
          return undefined;
        }
      },
      15_000,
      'the restarted worker writing its health file',
    );
    assert.equal(health.state, 'RUNNING');
  });
});
