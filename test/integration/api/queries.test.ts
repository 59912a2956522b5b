import assert from 'node:assert/strict';
import { newExecution } from '../../../src/sharing-tasks/execution-record';
import { chartTaskRequest } from '../../support/fixtures';
import { TestService } from '../../support/service';

type Body = Record<string, any>;

/** The list filters, the cursors, isViewChart and the executions endpoints, each against the running API. */
describe('queries of the task and execution lists', function () {
  this.timeout(60_000);
  let service: TestService;
  let admin: string;
  const tenant = 'tenant-queries';
  const get = async (token: string, path: string): Promise<Body> => {
    const response = await service.request(token, 'GET', path);
    assert.equal(response.status, 200, `${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const names = async (query: string) => ((await get(admin, `/api/v1/sharing-tasks?sort=name&${query}`)).sharingTasks as Body[]).map((t) => t.name);

  before(async () => {
    service = await TestService.start({}, { worker: false });
    admin = service.token({ tenant, userId: 'admin', roles: ['TenantAdmin'] });
    const ann = service.token({ tenant, userId: 'ann', userName: 'Ann Example' });
    const bob = service.token({ tenant, userId: 'bob', userName: 'Bob Example' });
    const template = (chartTaskRequest().templates as Body[])[0]!;
    const chart = (appId: string, templateId: string) => [{ ...template, templateId, chartData: { ...template.chartData, appId } }];
    const create = async (token: string, name: string, templates: Body[]) => {
      const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ name, templates }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body as Body;
    };
    await create(ann, 'a-sales', chart('app-sales', 'tpl-1'));
    await create(ann, 'b-ops', chart('app-ops', 'tpl-2'));
    await create(bob, 'c-sales', chart('app-sales', 'tpl-3'));
    const going = await create(bob, 'd-going', chart('app-ops', 'tpl-1'));
    await service.stores.tasks.update(tenant, going.id, { statusCode: 'DELETING' });
  });
  after(() => service?.stop());

  it('filters by appid, ownername, templateId[] and excludeDeleting, alone and together', async () => {
    assert.deepEqual(await names('appid=app-sales'), ['a-sales', 'c-sales']);
    assert.deepEqual(await names('ownername=Bob%20Example'), ['c-sales', 'd-going']);
    assert.deepEqual(await names('templateId[]=tpl-1'), ['a-sales', 'd-going']);
    assert.deepEqual(await names('templateId=tpl-1&templateId=tpl-3'), ['a-sales', 'c-sales', 'd-going']);
    assert.deepEqual(await names('excludeDeleting=true'), ['a-sales', 'b-ops', 'c-sales']);
    assert.deepEqual(await names('appid=app-ops&excludeDeleting=true'), ['b-ops']);
    assert.deepEqual(await names('appid=app-none'), []);
  });

  it('accepts the page cursor and the deprecated next/prev ones alike, and only one at a time', async () => {
    const first = await get(admin, '/api/v1/sharing-tasks?sort=name&limit=2');
    const token = first.links.next.token as string;
    const byPage = await get(admin, `/api/v1/sharing-tasks?sort=name&limit=2&page=${token}`);
    const byNext = await get(admin, `/api/v1/sharing-tasks?sort=name&limit=2&next=${token}`);
    assert.deepEqual(byNext.sharingTasks.map((t: Body) => t.name), byPage.sharingTasks.map((t: Body) => t.name));
    assert.deepEqual(byPage.sharingTasks.map((t: Body) => t.name), ['c-sales', 'd-going']);
    const back = await get(admin, `/api/v1/sharing-tasks?sort=name&limit=2&prev=${byPage.links.prev.token}`);
    assert.deepEqual(back.sharingTasks.map((t: Body) => t.name), ['a-sales', 'b-ops']);
    const both = await service.request(admin, 'GET', `/api/v1/sharing-tasks?page=${token}&next=${token}`);
    assert.equal(both.status, 400);
    const forged = await service.request(admin, 'GET', '/api/v1/sharing-tasks?page=not-a-cursor');
    assert.equal(forged.status, 400);
    assert.equal(forged.body.errors[0].meta.field, 'query.page');
  });

  it('records lastViewed only when isViewChart=true', async () => {
    const [task] = (await get(admin, '/api/v1/sharing-tasks?sort=name&limit=1')).sharingTasks as Body[];
    assert.equal((await get(admin, `/api/v1/sharing-tasks/${task!.id}`)).lastViewed, undefined);
    const viewed = await get(admin, `/api/v1/sharing-tasks/${task!.id}?isViewChart=true`);
    assert.ok(Date.parse(viewed.lastViewed) > Date.now() - 60_000, viewed.lastViewed);
  });

  describe('executions', () => {
    let taskId: string;
    before(async () => {
      const [task] = (await get(admin, '/api/v1/sharing-tasks?sort=name&limit=1')).sharingTasks as Body[];
      taskId = task!.id;
      const statuses = ['successful', 'failed', 'successful', 'cancelled', 'failed', 'successful'] as const;
      for (const [i, status] of statuses.entries()) {
        const startTime = new Date(Date.UTC(2026, 10, 1, i)).toISOString();
        await service.stores.executions.claim(
          newExecution({ id: `${taskId}-run-${i}`, sharingTaskId: taskId, tenant, status, trigger: 'scheduled', eventTime: startTime, startTime }),
        );
      }
    });
    const ids = (body: Body) => (body.executions as Body[]).map((e) => e.id.replace(`${taskId}-run-`, ''));

    it('lists newest first by default, sorts by +starttime, filters by status, pages with links', async () => {
      const base = `/api/v1/sharing-tasks/${taskId}/executions`;
      assert.deepEqual(ids(await get(admin, base)), ['5', '4', '3', '2', '1', '0']);
      assert.deepEqual(ids(await get(admin, `${base}?sort=%2Bstarttime`)), ['0', '1', '2', '3', '4', '5']);
      assert.deepEqual(ids(await get(admin, `${base}?status=failed`)), ['4', '1']);
      assert.deepEqual(ids(await get(admin, `${base}?status=successful&sort=starttime`)), ['0', '2', '5']);
      const page = await get(admin, `${base}?limit=4`);
      assert.deepEqual([page.totalCount, page.currentPageCount], [6, 4]);
      assert.deepEqual(ids(await get(admin, new URL(page.links.next.href).pathname + new URL(page.links.next.href).search)), ['1', '0']);
      for (const query of ['limit=0', 'limit=201', 'status=cancelled', 'sort=name']) {
        assert.equal((await service.request(admin, 'GET', `${base}?${query}`)).status, 400, query);
      }
    });

    it('answers latest, latest of a status, and one execution by id', async () => {
      const base = `/api/v1/sharing-tasks/${taskId}/executions`;
      assert.equal((await get(admin, `${base}/latest`)).id, `${taskId}-run-5`);
      assert.equal((await get(admin, `${base}/latest?status=failed`)).id, `${taskId}-run-4`);
      assert.equal((await get(admin, `${base}/latest?status=cancelled`)).id, `${taskId}-run-3`);
      const one = await get(admin, `${base}/${taskId}-run-2`);
      assert.equal(one.status, 'successful');
      assert.match(one.links.self.href, new RegExp(`${base}/${taskId}-run-2$`));
      assert.equal((await service.request(admin, 'GET', `${base}/no-such-run`)).status, 404);
    });
  });
});
