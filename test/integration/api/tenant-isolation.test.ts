import assert from 'node:assert/strict';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, TestService } from '../../support/service';

/** Another tenant's task, runs and files do not exist for you, on every endpoint. */
describe('tenant isolation', function () {
  this.timeout(60_000);
  let service: TestService;

  before(async () => {
    service = await TestService.start();
  });
  after(async () => service?.stop());

  it('answers 404 to another tenant (even its admin) on every task, execution and file endpoint, and gives it its own settings', async () => {
    const owner = service.token({ tenant: 'tenant-home', userId: 'owner' });
    const intruder = service.token({ tenant: 'tenant-away', userId: 'owner', roles: ['TenantAdmin'] });
    const created = await service.request(owner, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ executeOnCreation: true }));
    assert.equal(created.status, 201);
    const task = created.body;
    const latest = await eventually(async () => {
      const response = await service.request(owner, 'GET', `/api/v1/sharing-tasks/${task.id}/executions/latest`);
      return response.status === 200 && response.body.status === 'successful' ? response.body : undefined;
    }, 20_000, 'the creation run');
    const base = `/api/v1/sharing-tasks/${task.id}`;
    const file = `${base}/executions/${latest.id}/files/${latest.files[0].fileAlias}`;
    assert.equal((await fetch(`${service.api.url}${file}`, { headers: { authorization: `Bearer ${owner}` } })).status, 200);

    const attempts: [string, string, unknown?][] = [
      ['GET', base],
      ['PATCH', base, [{ op: 'replace', path: '/name', value: 'mine now' }]],
      ['POST', `${base}/actions/cancel`],
      ['POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: task.id }],
      ['GET', `${base}/occurrences`],
      ['GET', `${base}/executions`],
      ['GET', `${base}/executions/latest`],
      ['GET', `${base}/executions/${latest.id}`],
      ['GET', file],
      ['DELETE', base],
    ];
    for (const [method, path, body] of attempts) {
      const response = await service.request(intruder, method, path, body);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.doesNotMatch(JSON.stringify(response.body), /Weekly sales|tenant-home/);
    }
    const list = await service.request(intruder, 'GET', '/api/v1/sharing-tasks');
    assert.equal(list.body.totalCount, 0);
    assert.equal((await service.request(intruder, 'GET', '/api/v1/sharing-tasks/settings')).body.tenantId, 'tenant-away');
    const untouched = await service.request(owner, 'GET', base);
    assert.equal(untouched.body.name, 'Weekly sales');
    assert.equal(untouched.body.statusCode, 'OK');
  });
});
