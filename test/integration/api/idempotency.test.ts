import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { IdempotencyStore } from '../../../src/store';
import { createTemporalClient } from '../../../src/temporal/connection';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, TestService } from '../../support/service';

/** Idempotency-Key on POST: repeats, even concurrent ones, create one task and one workflow. */
describe('Idempotency-Key', function () {
  this.timeout(90_000);
  let service: TestService;
  let temporal: Client;

  before(async () => {
    service = await TestService.start();
    temporal = createTemporalClient(service.config.temporal);
  });
  after(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  const freshTenant = () => `tenant-idem-${randomBytes(4).toString('hex')}`;
  const post = (token: string, body: unknown, key?: string) =>
    service.request(token, 'POST', '/api/v1/sharing-tasks', body, key ? { 'idempotency-key': key } : {});

  async function taskWorkflows(tenant: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const workflow of temporal.workflow.list({ query: `WorkflowType = 'sharingTaskWorkflow' AND SharingTenant = '${tenant}'` })) {
      ids.push(workflow.workflowId);
    }
    return ids;
  }

  it('five identical concurrent POSTs with one key: one task, one workflow, the same 201 body for each', async () => {
    const tenant = freshTenant();
    const token = service.token({ tenant, userId: 'alice' });
    const body = chartTaskRequest({ name: 'Once only' });
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(token, body, 'create-once-1')));

    for (const response of responses) assert.equal(response.status, 201, JSON.stringify(response.body));
    const [first, ...others] = responses;
    for (const other of others) {
      assert.deepEqual(other.body, first!.body);
      assert.equal(other.headers.get('location'), first!.headers.get('location'));
    }
    assert.equal(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 4, 'four are replays');
    const stored = await service.stores.tasks.list({ tenant }, { sort: [], limit: 100, offset: 0 });
    assert.equal(stored.totalCount, 1, 'one task in the database');
    assert.equal(stored.tasks[0]!.id, first!.body.id);
    const workflows = await eventually(async () => {
      const found = await taskWorkflows(tenant);
      return found.length > 0 ? found : undefined;
    }, 15_000, 'the task workflow in visibility');
    assert.deepEqual(workflows, [`sharing-task-${tenant}-${first!.body.id}`], 'one task workflow in Temporal');
  });

  it('answers 422 to the same key with another body, and scopes keys to the caller', async () => {
    const tenant = freshTenant();
    const alice = service.token({ tenant, userId: 'alice' });
    const bob = service.token({ tenant, userId: 'bob' });
    assert.equal((await post(alice, chartTaskRequest({ name: 'First' }), 'shared-key')).status, 201);
    const reused = await post(alice, chartTaskRequest({ name: 'Second' }), 'shared-key');
    assert.equal(reused.status, 422, JSON.stringify(reused.body));
    assert.match(reused.body.errors[0].detail, /different request/);
    const bobs = await post(bob, chartTaskRequest({ name: 'Bob' }), 'shared-key');
    assert.equal(bobs.status, 201, 'another user\'s key of the same name is his own');
    assert.equal(bobs.body.name, 'Bob');
    const stored = await service.stores.tasks.list({ tenant }, { sort: [], limit: 100, offset: 0 });
    assert.deepEqual(stored.tasks.map((t) => t.name).sort(), ['Bob', 'First']);
  });

  it('without a key every POST creates; a failed request gives its key back; a malformed key is a 400 naming the header', async () => {
    const tenant = freshTenant();
    const token = service.token({ tenant, userId: 'alice' });
    const body = chartTaskRequest();
    assert.equal((await post(token, body)).status, 201);
    assert.equal((await post(token, body)).status, 201);
    const invalid = await post(token, { ...body, name: '' }, 'retry-after-fix');
    assert.equal(invalid.status, 400);
    const fixed = await post(token, body, 'retry-after-fix');
    assert.equal(fixed.status, 201, 'the failed request released its key, so the corrected one runs');
    const malformed = await post(token, body, 'has spaces and ü');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.errors[0].meta.field, 'header.Idempotency-Key');
    const stored = await service.stores.tasks.list({ tenant }, { sort: [], limit: 100, offset: 0 });
    assert.equal(stored.totalCount, 3);
  });

  it('three concurrent executes with one key start one run; another key starts another', async () => {
    const tenant = freshTenant();
    const token = service.token({ tenant, userId: 'alice' });
    const created = await post(token, chartTaskRequest());
    const execute = (key: string) =>
      service.request(token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: created.body.id }, { 'idempotency-key': key });
    const responses = await Promise.all([1, 2, 3].map(() => execute('run-once')));
    assert.deepEqual(responses.map((r) => r.status), [204, 204, 204]);
    assert.equal(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 2);
    const runs = async () => (await service.request(token, 'GET', `/api/v1/sharing-tasks/${created.body.id}/executions`)).body;
    await eventually(async () => ((await runs()).executions.some((e: { endTime?: string }) => e.endTime) ? true : undefined), 30_000, 'the run');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal((await runs()).totalCount, 1, 'one run for one key');
    assert.equal((await execute('run-twice')).status, 204);
    await eventually(async () => ((await runs()).totalCount === 2 ? true : undefined), 30_000, 'the second key\'s run');
  });

  it('an expired key is claimed afresh, and the sweep removes expired records (FerretDB has no TTL index)', async () => {
    const store = service.stores.idempotency;
    const scope = { tenant: freshTenant(), userId: 'alice', key: 'old-key' };
    const dayAgo = new Date(Date.now() - 86_400_000);
    assert.equal((await store.claim(scope, 'first', dayAgo, 3600)).claimed, true);
    const live = await store.claim(scope, 'second', new Date(dayAgo.getTime() + 60_000), 3600);
    assert.equal(live.claimed, false, 'within its life the key is taken');
    assert.equal((await store.claim(scope, 'third', new Date(), 3600)).claimed, true, 'after its life the key is free again');
    assert.equal((await store.find(IdempotencyStore.idOf(scope)))?.fingerprint, 'third');
    const other = { ...scope, key: 'swept' };
    await store.claim(other, 'x', dayAgo, 60);
    assert.ok((await store.deleteExpired(new Date())) >= 1);
    assert.equal(await store.find(IdempotencyStore.idOf(other)), null);
  });
});
