import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretDb, type MongoService } from '../../scripts/stack/services';
import { createTemporalClient } from '../../src/temporal/connection';
import { taskWorkflowId } from '../../src/contract/task-workflow';
import { testEnv } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The variables of a running service, to start a second process on the same database. */
const testEnvOf = (service: TestService) => ({
  ...testEnv(),
  MONGODB_URI: service.config.mongo.uri,
  MONGODB_DB: service.config.mongo.dbName,
  TEMPORAL_TASK_QUEUE: service.config.temporal.taskQueue,
});
const TENANT = 'tenant-db-outage';

/**
 * The database goes down under a running service (its own FerretDB, stopped and started again on
 * the same port and data: SQLite backend, one process). Requests fail fast with 503, nothing is
 * half-created, and the reconciler repairs what it could not reach meanwhile.
 */
describe('a database outage', function () {
  this.timeout(120_000);
  let dataDir: string;
  let port: number;
  let database: MongoService | undefined;
  let service: TestService;
  let temporal: Client;
  const startDatabase = async () => {
    database = await startFerretDb({ dataDir, log: 'file', reuse: false, port, backend: 'sqlite' });
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sharing-tasks-outage-'));
    port = await freePort();
    await startDatabase();
    // LOG_LEVEL error: the outage's expected warnings (each 503, each failed reconciliation) are not news here.
    service = await TestService.start({ MONGODB_URI: database!.uri, RECONCILE_INTERVAL_SECONDS: '1', LOG_LEVEL: 'error' });
    temporal = createTemporalClient(service.config.temporal);
  });
  after(async () => {
    await service?.stop();
    await temporal?.connection.close();
    await database?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const runningTaskWorkflows = async () => {
    const ids: string[] = [];
    const query = `WorkflowType = 'sharingTaskWorkflow' AND ExecutionStatus = 'Running' AND SharingTenant = '${TENANT}'`;
    for await (const workflow of temporal.workflow.list({ query })) ids.push(workflow.workflowId);
    return ids.sort();
  };

  /** A request that must fail with 503 in the error shape, with Retry-After, well before the old 5 s. */
  const unavailable = async (token: string, method: string, path: string, body?: unknown) => {
    const startedAt = Date.now();
    const response = await service.request(token, method, path, body);
    const elapsedMs = Date.now() - startedAt;
    assert.equal(response.status, 503, `${method} ${path}: ${JSON.stringify(response.body)}`);
    const [error] = response.body.errors;
    assert.equal(error.code, 'HTTP-503');
    assert.equal(error.meta.httpCode, 503);
    assert.match(error.detail, /database cannot be reached/);
    assert.doesNotMatch(JSON.stringify(response.body), new RegExp(String(port)), 'no host or port of the database');
    assert.equal(response.body.traceId, response.headers.get('x-trace-id'));
    assert.match(response.headers.get('retry-after') ?? '', /^\d+$/);
    assert.ok(elapsedMs < 3_000, `${method} ${path} answered after ${elapsedMs} ms`);
    return elapsedMs;
  };

  it('answers 503 quickly, creates nothing half-way, and the reconciler repairs the missing workflow once it is back', async () => {
    const token = service.token({ tenant: TENANT, userId: 'u' });
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ name: 'before the outage' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body;
    const workflowId = taskWorkflowId(TENANT, task.id);
    await eventually(async () => ((await runningTaskWorkflows()).includes(workflowId) ? true : undefined), 10_000, 'the task workflow');

    await database!.stop();
    // The state a crash between the database write and the workflow start leaves: a task, no workflow.
    await temporal.workflow.getHandle(workflowId).terminate('lost, as in a crash before its start');

    const latencies = [
      await unavailable(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ name: 'during the outage' })),
      await unavailable(token, 'PATCH', `/api/v1/sharing-tasks/${task.id}`, [{ op: 'replace', path: '/name', value: 'renamed during the outage' }]),
      await unavailable(token, 'GET', '/api/v1/sharing-tasks'),
    ];
    await sleep(2_000); // reconciler rounds fail meanwhile: it cannot read the tasks
    assert.deepEqual(await runningTaskWorkflows(), [], 'nothing started while the database is down');
    // By now the driver knows the server is gone and waits for one to select: MONGODB_SERVER_SELECTION_TIMEOUT_MS.
    latencies.push(await unavailable(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ name: 'later in the outage' })));
    console.log(`      503 after ${latencies.join(', ')} ms (POST, PATCH, GET, POST 2 s later)`);

    const downFor = Date.now();
    await startDatabase();
    await eventually(async () => ((await runningTaskWorkflows()).includes(workflowId) ? true : undefined), 20_000, 'the reconciler to start the workflow again');
    console.log(`      workflow restarted ${Date.now() - downFor} ms after the database was back`);

    const list = await service.request(token, 'GET', '/api/v1/sharing-tasks');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(list.body.sharingTasks.map((t: { name: string }) => t.name), ['before the outage'], 'the failed POSTs stored nothing, the failed PATCH changed nothing');
    assert.deepEqual(await runningTaskWorkflows(), [workflowId], 'one workflow per stored task, none for the failed POST');
    const after = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ name: 'after the outage' }));
    assert.equal(after.status, 201, JSON.stringify(after.body));
  });

  it('an API started while the database is down answers 503, then serves once the database is up', async () => {
    await database!.stop();
    database = undefined;
    const late = await TestService.fromEnv({ ...testEnvOf(service), LOG_LEVEL: 'error' }, { worker: false });
    try {
      const token = late.token({ tenant: TENANT, userId: 'u' });
      const down = await late.request(token, 'GET', '/api/v1/sharing-tasks');
      assert.equal(down.status, 503, JSON.stringify(down.body));
      await startDatabase();
      const up = await eventually(async () => {
        const list = await late.request(token, 'GET', '/api/v1/sharing-tasks');
        return list.status === 200 ? list : undefined;
      }, 10_000, 'the late API to reach the database');
      assert.equal(up.body.totalCount, 2);
    } finally {
      await late.stop();
    }
  });
});
