import assert from 'node:assert/strict';
import { temporalUiUrl } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { eventually, TestService } from '../support/service';

interface UiExecution {
  execution: { workflowId: string };
  type: { name: string };
  memo?: { fields?: Record<string, { data?: string }> };
}

/** The Temporal UI finds a task's workflow by the service's search attributes, and shows its runs as steps of it. */
describe('runs in the Temporal UI', function () {
  this.timeout(60_000);
  let service: TestService;
  before(async () => {
    service = await TestService.start();
  });
  after(() => service?.stop());

  /** What the UI's own page asks its server when a user types a filter. */
  const listInUi = async (query: string): Promise<UiExecution[]> => {
    const url = `${temporalUiUrl()}/api/v1/namespaces/${service.config.temporal.namespace}/workflows?query=${encodeURIComponent(query)}`;
    const response = await fetch(url);
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { executions?: UiExecution[] }).executions ?? [];
  };

  it('filters by task, tenant, owner, type and app, and shows the task name', async () => {
    const token = service.token({ tenant: 'tenant-ui', userId: 'owner-ui' });
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
      name: 'Shown in the UI',
      executeOnCreation: true,
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;

    const byTask = await eventually(async () => {
      const found = await listInUi(`SharingTaskId = '${id}'`);
      return found.length > 0 ? found : undefined;
    }, 20_000, 'the task workflow in the UI');
    assert.deepEqual(byTask.map((e) => e.type.name), ['sharingTaskWorkflow']);
    // The run is an activity of that workflow, named by its trigger, with its heartbeats' progress.
    const historyUrl = `${temporalUiUrl()}/api/v1/namespaces/${service.config.temporal.namespace}/workflows/${encodeURIComponent(byTask[0]!.execution.workflowId)}/history`;
    const runStep = await eventually(async () => {
      const history = (await (await fetch(historyUrl)).json()) as { history?: { events?: { activityTaskScheduledEventAttributes?: { activityId?: string; activityType?: { name?: string } } }[] } };
      return history.history?.events?.map((event) => event.activityTaskScheduledEventAttributes).find((scheduled) => scheduled?.activityId === 'run-creation');
    }, 20_000, 'the run of the creation in the task workflow\'s history, as the UI shows it');
    assert.equal(runStep.activityType?.name, 'performRun');
    const memo = byTask[0]!.memo?.fields?.taskName?.data;
    assert.ok(memo && JSON.parse(Buffer.from(memo, 'base64').toString()) === 'Shown in the UI', `memo: ${JSON.stringify(byTask[0]!.memo)}`);

    const combined = await listInUi(
      `SharingTenant = 'tenant-ui' AND SharingOwner = 'owner-ui' AND SharingTaskType = 'chart-sharing' AND SharingAppId = 'app-sales'`,
    );
    assert.deepEqual(combined.map((e) => e.execution.workflowId).sort(), byTask.map((e) => e.execution.workflowId).sort());
    assert.deepEqual(await listInUi(`SharingTenant = 'another-tenant' AND SharingTaskId = '${id}'`), []);
  });
});
