import assert from 'node:assert/strict';
import { ExecutionSchema, SharingTaskListResponseSchema, SharingTaskResponseSchema } from '../../../src/sharing-tasks/schemas';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, TestService } from '../../support/service';

const TENANT = 'tenant-recipients';
const OTHERS = /carol@example\.com|"dave"|group-finance|Finance\/Board|conn-secret|list-secret/;

/** A recipient reads what it receives and nothing of the other recipients or the owner's own business. */
describe('the recipient\'s view of a task', function () {
  this.timeout(60_000);
  let service: TestService;
  let owner: string;
  let bob: string;
  let dave: string;
  let taskId: string;

  before(async () => {
    service = await TestService.start();
    owner = service.token({ tenant: TENANT, userId: 'alice', email: 'alice@example.com' });
    bob = service.token({ tenant: TENANT, userId: 'bob', email: 'bob@example.com' });
    dave = service.token({ tenant: TENANT, userId: 'dave' });
    const created = await service.request(owner, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
      executeOnCreation: true,
      recipients: { emailAddresses: ['bob@example.com', 'carol@example.com'], userIds: ['dave'], groupIds: ['group-finance'] },
      sharePointFolder: 'Finance/Board',
      dataConnectionID: 'conn-secret',
      distributionListId: 'list-secret',
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    taskId = created.body.id;
  });
  after(async () => service?.stop());

  const get = (token: string, path: string) => service.request(token, 'GET', `/api/v1/sharing-tasks${path}`);

  it('shows a recipient by address only its own entry, none of the owner\'s private fields, in the documented shape', async () => {
    const response = await get(bob, `/${taskId}`);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.recipients.emailAddresses.map((r: { value: string }) => r.value), ['bob@example.com']);
    assert.deepEqual(response.body.recipients.userIds, []);
    assert.deepEqual(response.body.recipients.groupIds, []);
    for (const field of ['sharePointFolder', 'dataConnectionID', 'distributionListId', 'lastViewed']) assert.equal(response.body[field], undefined, field);
    assert.equal(response.body.name, 'Weekly sales', 'the report itself is shown');
    assert.doesNotMatch(JSON.stringify(response.body), OTHERS);
    assert.ok(SharingTaskResponseSchema.safeParse(response.body).success);
  });

  it('shows a recipient by user id only its own entry, without the groups', async () => {
    const response = await get(dave, `/${taskId}`);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.recipients.userIds.map((r: { value: string; groups?: string[] }) => [r.value, r.groups]), [['dave', undefined]]);
    assert.deepEqual(response.body.recipients.emailAddresses, []);
  });

  it('cuts the tasks a recipient lists the same way, while the owner sees everything', async () => {
    const listed = await get(bob, '?role=recipient');
    assert.equal(listed.status, 200);
    assert.equal(listed.body.totalCount, 1);
    assert.doesNotMatch(JSON.stringify(listed.body), OTHERS);
    assert.ok(SharingTaskListResponseSchema.safeParse(listed.body).success);
    const own = await get(owner, `/${taskId}`);
    assert.equal(own.body.recipients.emailAddresses.length, 2);
    assert.equal(own.body.sharePointFolder, 'Finance/Board');
  });

  it('shows a recipient of each run only its own deliveries', async () => {
    const ownersRun = await eventually(async () => {
      const response = await get(owner, `/${taskId}/executions/latest`);
      return response.status === 200 && response.body.endTime ? response.body : undefined;
    }, 30_000, 'the creation run');
    assert.ok(ownersRun.recipients.some((r: { recipient: string }) => r.recipient === 'carol@example.com'), JSON.stringify(ownersRun.recipients));
    for (const path of [`/${taskId}/executions/latest`, `/${taskId}/executions/${ownersRun.id}`]) {
      const run = await get(bob, path);
      assert.equal(run.status, 200);
      assert.deepEqual(run.body.recipients.map((r: { recipient: string }) => r.recipient), ['bob@example.com'], path);
      assert.doesNotMatch(JSON.stringify(run.body), OTHERS);
      assert.ok(ExecutionSchema.safeParse(run.body).success);
    }
    const runs = await get(bob, `/${taskId}/executions`);
    assert.doesNotMatch(JSON.stringify(runs.body), OTHERS);
    const file = await fetch(`${service.api.url}/api/v1/sharing-tasks/${taskId}/executions/${ownersRun.id}/files/${ownersRun.files[0].fileAlias}`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    assert.equal(file.status, 200, 'a recipient may fetch the files it was sent');
  });

  it('records nothing on the owner\'s task when a recipient views it; the owner\'s view is recorded', async () => {
    assert.equal((await get(bob, `/${taskId}?isViewChart=true`)).status, 200);
    assert.equal((await service.stores.tasks.get(TENANT, taskId))?.lastViewed, undefined, 'a recipient wrote lastViewed');
    const viewed = await get(owner, `/${taskId}?isViewChart=true`);
    assert.ok(Date.parse(viewed.body.lastViewed) > Date.now() - 60_000);
    assert.equal((await service.stores.tasks.get(TENANT, taskId))?.lastViewed, viewed.body.lastViewed);
  });

  it('refuses a recipient every change (403)', async () => {
    for (const [method, path, body] of [
      ['PATCH', `/${taskId}`, [{ op: 'replace', path: '/name', value: 'mine' }]],
      ['POST', `/${taskId}/actions/cancel`],
      ['DELETE', `/${taskId}`],
    ] as [string, string, unknown?][]) {
      assert.equal((await service.request(bob, method, `/api/v1/sharing-tasks${path}`, body)).status, 403, `${method} ${path}`);
    }
    assert.equal((await service.request(bob, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: taskId })).status, 403);
  });
});
