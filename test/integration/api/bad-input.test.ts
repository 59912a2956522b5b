import assert from 'node:assert/strict';
import { request } from 'node:http';
import { MAX_TASK_DOCUMENT_BYTES } from '../../../src/sharing-tasks/schemas';
import { SHARING_TASKS_COLLECTION } from '../../../src/store/sharing-task-store';
import { createMongo } from '../../../src/store';
import { chartTaskRequest } from '../../support/fixtures';
import { TestService } from '../../support/service';

const TASKS = '/api/v1/sharing-tasks';

function nestedJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Every class of bad input over HTTP: a 4xx in the error shape naming field and rule, and nothing written. */
describe('bad input over HTTP', function () {
  this.timeout(60_000);
  let service: TestService;
  let owner: string;
  const tenant = 'tenant-bad-input';

  before(async () => {
    service = await TestService.start({}, { worker: false });
    owner = service.token({ tenant, userId: 'owner', email: 'owner@example.com' });
  });
  after(async () => service?.stop());

  async function taskCount(): Promise<number> {
    return (await service.stores.tasks.list({ tenant }, { sort: [], limit: 100, offset: 0 })).totalCount;
  }

  function assertRefused(response: { status: number; body: any }, status: number, field: string, rule: string): void {
    assert.equal(response.status, status, JSON.stringify(response.body)?.slice(0, 500));
    assert.ok(typeof response.body.traceId === 'string');
    const item = (response.body.errors as any[]).find((error) => error.meta?.field === field);
    assert.ok(item, `no error names ${field}: ${JSON.stringify(response.body).slice(0, 500)}`);
    assert.equal(item.meta.rule, rule);
    assert.equal(item.meta.httpCode, status);
  }

  it('refuses a 5,000-deep body with 400 too_deep (no RangeError, no 500) and stores nothing', async () => {
    const body = `{"name":"deep","state":${nestedJson(5_000)}}`;
    const response = await service.request(owner, 'POST', TASKS, body);
    assertRefused(response, 400, `state${'.a'.repeat(63)}`, 'too_deep');
    const patch = await service.request(owner, 'PATCH', `${TASKS}/000000000000000000000000`, `[{"op":"replace","path":"/name","value":${nestedJson(5_000)}}]`);
    assert.equal(patch.status, 400);
    assert.equal(await taskCount(), 0);
  });

  it('refuses deep, $-prefixed, dotted and NUL keys in free-form objects with 400 and stores nothing', async () => {
    const deep = JSON.parse(nestedJson(40));
    const cases: [unknown, string, string][] = [
      [{ ...chartTaskRequest(), state: deep }, `state${'.a'.repeat(32)}`, 'too_deep'],
      [{ ...chartTaskRequest(), state: { $where: 'x' } }, 'state.$where', 'invalid_key'],
      [{ ...chartTaskRequest(), state: { 'a.b': 1 } }, 'state.a.b', 'invalid_key'],
      [{ ...chartTaskRequest(), state: { 'a\u0000': 1 } }, 'state.a\u0000', 'invalid_key'],
    ];
    for (const [body, field, rule] of cases) assertRefused(await service.request(owner, 'POST', TASKS, body), 400, field, rule);
    assert.equal(await taskCount(), 0);
  });

  it('refuses NUL and control characters in strings, path ids, query values and the tenant claim, never 500', async () => {
    assertRefused(await service.request(owner, 'POST', TASKS, { ...chartTaskRequest(), name: 'a\u0000b' }), 400, 'name', 'control_character');
    assertRefused(await service.request(owner, 'POST', TASKS, { ...chartTaskRequest(), emailContent: { subject: 'x\r\nBcc: y@example.com' } }), 400, 'emailContent.subject', 'control_character');
    assertRefused(await service.request(owner, 'POST', `${TASKS}/actions/app-reloaded`, { appId: 'a\u0000', reloadId: 'r', reloadTime: new Date().toISOString() }), 400, 'appId', 'control_character');
    assertRefused(await service.request(owner, 'GET', `${TASKS}/abc%00def`), 400, 'params.taskId', 'control_character');
    assertRefused(await service.request(owner, 'GET', `${TASKS}/abc/executions/x%00y`), 400, 'params.executionId', 'control_character');
    assertRefused(await service.request(owner, 'GET', `${TASKS}?appid=a%00b`), 400, 'query.appid', 'control_character');
    assertRefused(await service.request(owner, 'GET', `${TASKS}?owner=%01`), 400, 'query.owner', 'control_character');
    const nulTenant = service.token({ tenant: 'bad\u0000tenant', userId: 'u' });
    const response = await service.request(nulTenant, 'GET', TASKS);
    assert.equal(response.status, 401);
    assert.equal(response.body.errors[0].code, 'HTTP-401');
    assert.equal(await taskCount(), 0);
  });

  it('refuses a task over the size budget with 400 DOCUMENT_TOO_LARGE on create and on a PATCH that grows it', async () => {
    const huge = { ...chartTaskRequest(), state: { fields: ['x'.repeat(MAX_TASK_DOCUMENT_BYTES)] } };
    assertRefused(await service.request(owner, 'POST', TASKS, huge), 400, 'state', 'DOCUMENT_TOO_LARGE');
    assert.equal(await taskCount(), 0);

    const created = await service.request(owner, 'POST', TASKS, chartTaskRequest());
    assert.equal(created.status, 201);
    const template = (chartTaskRequest().templates as any[])[0];
    const bigTemplates = Array.from({ length: 3 }, () => ({ ...template, chartData: { ...template.chartData, jsOpts: { blob: 'y'.repeat(100_000) } } }));
    const patched = await service.request(owner, 'PATCH', `${TASKS}/${created.body.id}`, [{ op: 'replace', path: '/templates', value: bigTemplates }]);
    assertRefused(patched, 400, 'templates', 'DOCUMENT_TOO_LARGE');
    const stored = await service.stores.tasks.get(tenant, created.body.id);
    assert.equal(stored!.templates.length, 1);
    await service.request(owner, 'DELETE', `${TASKS}/${created.body.id}`);
  });

  it('refuses blank enum and boolean query values with 400 naming query.<name>', async () => {
    const cases: [string, string, string][] = [
      ['?role=', 'query.role', 'blank'],
      ['?type=', 'query.type', 'blank'],
      ['?type=chart-sharing,', 'query.type', 'blank'],
      ['?excludeDeleting=', 'query.excludeDeleting', 'invalid_enum'],
    ];
    for (const [query, field, rule] of cases) assertRefused(await service.request(owner, 'GET', `${TASKS}${query}`), 400, field, rule);
    const created = await service.request(owner, 'POST', TASKS, chartTaskRequest());
    assertRefused(await service.request(owner, 'GET', `${TASKS}/${created.body.id}?isViewChart=`), 400, 'query.isViewChart', 'invalid_enum');
    const unviewed = await service.stores.tasks.get(tenant, created.body.id);
    assert.equal(unviewed!.lastViewed, undefined);
    await service.request(owner, 'DELETE', `${TASKS}/${created.body.id}`);
  });

  it('bounds trigger.recurrence (too_big) and stores nothing', async () => {
    const body = { ...chartTaskRequest(), trigger: { recurrence: Array.from({ length: 40_000 }, () => 'FREQ=DAILY') } };
    assertRefused(await service.request(owner, 'POST', TASKS, body), 400, 'trigger.recurrence', 'too_big');
    assert.equal(await taskCount(), 0);
  });

  it('PATCHes a task created without scheduleOptions (/ownerId, /name) and keeps it without a schedule', async () => {
    const admin = service.token({ tenant, userId: 'admin', roles: ['TenantAdmin'] });
    const { scheduleOptions: _none, ...unscheduled } = chartTaskRequest();
    const created = await service.request(owner, 'POST', TASKS, unscheduled);
    assert.equal(created.status, 201);
    const renamed = await service.request(owner, 'PATCH', `${TASKS}/${created.body.id}`, [{ op: 'replace', path: '/name', value: 'renamed' }]);
    assert.equal(renamed.status, 204, JSON.stringify(renamed.body));
    const moved = await service.request(admin, 'PATCH', `${TASKS}/${created.body.id}`, [{ op: 'replace', path: '/ownerId', value: 'someone' }]);
    assert.equal(moved.status, 204, JSON.stringify(moved.body));
    const stored = await service.stores.tasks.get(tenant, created.body.id);
    assert.equal(stored!.name, 'renamed');
    assert.equal(stored!.owner, 'someone');
    assert.deepEqual(stored!.scheduleOptions!.recurrence, []);
    await service.request(admin, 'DELETE', `${TASKS}/${created.body.id}`);
  });

  it('stores no nulls: a task without an app id or a next run omits them, in the store and the response', async () => {
    const { scheduleOptions: _none, ...unscheduled } = chartTaskRequest({
      templates: [{ type: 'file', subType: 'pdf', fileName: 'plain' }],
    });
    const created = await service.request(owner, 'POST', TASKS, unscheduled);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { client, db } = createMongo(service.config.mongo);
    try {
      const raw = await db.collection<any>(SHARING_TASKS_COLLECTION).findOne({ _id: created.body.id });
      for (const field of ['appId', 'nextScheduledRun']) assert.equal(field in raw!, false, `${field} stored as ${raw![field]}`);
      assert.equal('nextExecutionTime' in raw!.scheduleOptions, false);
    } finally {
      await client.close();
    }
    const read = await service.request(owner, 'GET', `${TASKS}/${created.body.id}`);
    assert.equal('appId' in read.body, false);
    assert.equal('nextScheduledRun' in read.body, false);
    await service.request(owner, 'DELETE', `${TASKS}/${created.body.id}`);
  });

  it('answers 405 with Allow to another method on the probes', async () => {
    // fetch refuses to send TRACE: node:http does.
    for (const method of ['TRACE', 'POST', 'DELETE']) {
      const { status, allow } = await new Promise<{ status?: number; allow?: string }>((resolve, reject) => {
        request(`${service.api.url}/health`, { method }, (response) => {
          response.resume();
          resolve({ status: response.statusCode, allow: response.headers.allow });
        }).once('error', reject).end();
      });
      assert.equal(status, 405, method);
      assert.equal(allow, 'GET');
    }
  });
});
