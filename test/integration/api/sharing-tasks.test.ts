import assert from 'node:assert/strict';
import { chartTaskRequest } from '../../support/fixtures';
import { TestService } from '../../support/service';

type Response = { status: number; body: any; headers: Headers };

function assertRejected(response: Response, field: string): void {
  assert.equal(response.status, 400, JSON.stringify(response.body));
  const fields = response.body.errors.map((error: any) => error.meta.field);
  assert.ok(fields.includes(field), `expected an error naming ${field}, got ${JSON.stringify(response.body.errors)}`);
  for (const error of response.body.errors) assert.equal(typeof error.meta.rule, 'string');
}

/** The task endpoints against the running API, MongoDB and Temporal (no worker: runs are not the point here). */
describe('sharing tasks API', function () {
  this.timeout(60_000);
  let service: TestService;
  let owner: string;
  let admin: string;
  let stranger: string;
  let otherTenant: string;

  before(async () => {
    // With a worker: the next run a task shows is its workflow's (the one writer of run state).
    service = await TestService.start();
    owner = service.token({ tenant: 'tenant-a', userId: 'owner-a', userName: 'Ann Owner', email: 'ann@example.com' });
    admin = service.token({ tenant: 'tenant-a', userId: 'admin-a', roles: ['TenantAdmin'] });
    stranger = service.token({ tenant: 'tenant-a', userId: 'someone-else' });
    otherTenant = service.token({ tenant: 'tenant-b', userId: 'owner-a', roles: ['TenantAdmin'] });
  });
  after(async () => service?.stop());

  const create = (token: string, overrides: Record<string, unknown> = {}) =>
    service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest(overrides));

  describe('POST /sharing-tasks', () => {
    it('creates the task with every derived field, and ignores read-only fields in the request', async () => {
      const response = await create(owner, { id: 'forged', tenant: 'tenant-b', owner: 'mallory', statusCode: 'FORGED', failedExecutionsCount: 9 });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      const task = response.body;
      assert.notEqual(task.id, 'forged');
      assert.equal(task.tenant, 'tenant-a');
      assert.equal(task.owner, 'owner-a');
      assert.equal(task.ownerName, 'Ann Owner');
      assert.equal(task.createdBy, 'owner-a');
      assert.equal(task.statusCode, 'OK');
      assert.equal(task.failedExecutionsCount, 0);
      assert.equal(task.appId, 'app-sales');
      assert.equal(task.enabledByUser, true);
      assert.equal(task.enabledBySystem, true);
      assert.equal(task.enabled, true);
      assert.deepEqual(task.recipients.emailAddresses, [{ value: 'alice@example.com', enabled: true, taskRecipientErrors: [] }]);
      assert.match(task.scheduleOptions.startDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00$/);
      assert.ok(Date.parse(task.nextScheduledRun) > Date.now());
      assert.equal(response.headers.get('location'), task.links.self.href);
      assert.equal(task.latestExecutionURL, `${task.links.self.href}/executions/latest`);
      assert.deepEqual(task.latestExecutionFilesURL, []);
    });

    const rejections: [string, Record<string, unknown>, string][] = [
      ['a missing name', { name: undefined }, 'name'],
      ['an unknown type', { type: 'chart-spying' }, 'type'],
      ['a chart template without widthPx', { templates: [{ type: 'chart', subType: 'pdf', chartData: { appId: 'a', sheetId: 's', objectId: 'o', heightPx: 10, language: 'en' } }] }, 'templates[0].chartData.widthPx'],
      ['a multi-sheet template with 11 sheets', { templates: [{ type: 'multi-sheet', subType: 'pdf', multiSheetData: Array.from({ length: 11 }, (_, i) => ({ appId: 'a', sheetId: `s${i}` })) }] }, 'templates[0].multiSheetData'],
      ['a bad e-mail address', { recipients: { emailAddresses: ['not-an-address'] } }, 'recipients.emailAddresses[0]'],
      ['no recipient at all', { recipients: {} }, 'recipients'],
      ['the sharepoint channel without a folder', { transportChannels: ['email', 'sharepoint'] }, 'sharePointFolder'],
      ['an unknown channel', { transportChannels: ['fax'] }, 'transportChannels[0]'],
      ['a start with an offset', { scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=DAILY'], startDateTime: '2030-01-02T16:04:05Z' } }, 'scheduleOptions.startDateTime'],
      ['a start more than a year ago', { scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=DAILY'], startDateTime: '2020-01-02T16:04:05' } }, 'scheduleOptions.startDateTime'],
      ['an end before the start', { scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=DAILY'], startDateTime: '2030-01-02T16:04:05', endDateTime: '2030-01-01T16:04:05' } }, 'scheduleOptions.endDateTime'],
      ['six rules', { scheduleOptions: { timezone: 'UTC', recurrence: Array.from({ length: 6 }, (_, i) => `FREQ=DAILY;BYHOUR=${i}`) } }, 'scheduleOptions.recurrence'],
      ['a DTSTART line', { scheduleOptions: { timezone: 'UTC', recurrence: ['DTSTART:20300101T000000'] } }, 'scheduleOptions.recurrence[0]'],
      ['UNTIL in a rule', { scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=DAILY;UNTIL=20300101T000000Z'] } }, 'scheduleOptions.recurrence[0]'],
      ['EXDATE', { scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=DAILY', 'EXDATE:20300101T000000'] } }, 'scheduleOptions.recurrence[1]'],
      ['an unknown timezone', { scheduleOptions: { timezone: 'Mars/Olympus', recurrence: ['FREQ=DAILY'] } }, 'scheduleOptions.timezone'],
      ['a rule firing every second', { scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY'] } }, 'scheduleOptions.recurrence[0]'],
      ['an expiration in the past', { expiration: '2020-01-01T00:00:00Z' }, 'expiration'],
    ];
    for (const [what, overrides, field] of rejections) {
      it(`rejects ${what}, naming ${field}, and stores nothing`, async () => {
        const before = await service.request(admin, 'GET', '/api/v1/sharing-tasks?limit=1');
        assertRejected(await create(owner, overrides), field);
        const after = await service.request(admin, 'GET', '/api/v1/sharing-tasks?limit=1');
        assert.equal(after.body.totalCount, before.body.totalCount);
      });
    }
  });

  describe('GET /sharing-tasks/{id}', () => {
    it('shows the task to its owner, an admin and a recipient, and hides it from others and other tenants', async () => {
      const { body: task } = await create(owner, { recipients: { emailAddresses: ['rita@example.com'] } });
      const recipient = service.token({ tenant: 'tenant-a', userId: 'rita', email: 'rita@example.com' });
      for (const token of [owner, admin, recipient]) {
        const response = await service.request(token, 'GET', `/api/v1/sharing-tasks/${task.id}`);
        assert.equal(response.status, 200);
        assert.equal(response.body.id, task.id);
      }
      for (const token of [stranger, otherTenant]) {
        const response = await service.request(token, 'GET', `/api/v1/sharing-tasks/${task.id}`);
        assert.equal(response.status, 404);
        assert.doesNotMatch(JSON.stringify(response.body), /owner-a|Weekly sales/);
      }
    });
  });

  describe('GET /sharing-tasks', () => {
    it('pages through every task once by following links.next, in the sort order, agreeing with offset paging', async () => {
      const lister = service.token({ tenant: 'tenant-paging', userId: 'pager' });
      const names: string[] = [];
      for (let i = 0; i < 23; i++) {
        const name = `task-${String(i).padStart(2, '0')}`;
        names.push(name);
        assert.equal((await service.request(lister, 'POST', '/v1/sharing-tasks', chartTaskRequest({ name }))).status, 201);
      }
      for (const sort of ['name', '-name', 'datecreated']) {
        const seen: string[] = [];
        let url: string | undefined = `/api/v1/sharing-tasks?limit=5&sort=${sort}`;
        while (url) {
          const page: Response = await service.request(lister, 'GET', url.replace(service.api.url, ''));
          assert.equal(page.status, 200, JSON.stringify(page.body));
          assert.equal(page.body.totalCount, 23);
          assert.equal(page.body.currentPageCount, page.body.sharingTasks.length);
          seen.push(...page.body.sharingTasks.map((t: any) => t.name));
          url = page.body.links.next?.href;
        }
        const expected = sort === '-name' ? [...names].reverse() : names;
        assert.deepEqual(seen, expected, `sort=${sort}`);
        const byOffset = await service.request(lister, 'GET', `/api/v1/sharing-tasks?limit=5&offset=10&sort=${sort}`);
        assert.deepEqual(byOffset.body.sharingTasks.map((t: any) => t.name), expected.slice(10, 15));
      }
    });

    it('filters by type, owner and role, and non-admins see only what they own or receive', async () => {
      const a = service.token({ tenant: 'tenant-filter', userId: 'alpha', email: 'alpha@example.com' });
      const b = service.token({ tenant: 'tenant-filter', userId: 'beta' });
      const boss = service.token({ tenant: 'tenant-filter', userId: 'boss', roles: ['AnalyticsAdmin'] });
      await service.request(a, 'POST', '/v1/sharing-tasks', chartTaskRequest({ name: 'a-chart' }));
      await service.request(a, 'POST', '/v1/sharing-tasks', chartTaskRequest({ name: 'a-sheet', type: 'sheet-sharing' }));
      await service.request(b, 'POST', '/v1/sharing-tasks', chartTaskRequest({ name: 'b-to-a', recipients: { emailAddresses: ['alpha@example.com'] } }));
      const names = async (token: string, query: string) =>
        ((await service.request(token, 'GET', `/api/v1/sharing-tasks?sort=name&${query}`)).body.sharingTasks as any[]).map((t) => t.name);
      assert.deepEqual(await names(a, ''), ['a-chart', 'a-sheet', 'b-to-a']);
      assert.deepEqual(await names(a, 'role=owner'), ['a-chart', 'a-sheet']);
      assert.deepEqual(await names(a, 'role[]=recipient'), ['b-to-a']);
      assert.deepEqual(await names(b, ''), ['b-to-a']);
      assert.deepEqual(await names(boss, 'type=sheet-sharing'), ['a-sheet']);
      assert.deepEqual(await names(boss, 'owner=beta'), ['b-to-a']);
      assert.deepEqual(await names(boss, 'type[]=chart-sharing&type[]=sheet-sharing&owner=alpha'), ['a-chart', 'a-sheet']);
    });

    it('rejects a limit outside 1..100 and an unknown sort key, naming the parameter', async () => {
      for (const query of ['limit=0', 'limit=101', 'sort=shoesize']) {
        const response = await service.request(owner, 'GET', `/api/v1/sharing-tasks?${query}`);
        assert.equal(response.status, 400, query);
        assert.match(response.body.errors[0].meta.field, /^query\./);
      }
    });
  });

  describe('PATCH /sharing-tasks/{id}', () => {
    it('applies replace and remove, pauses with /enabled false, and keeps the task whole on a bad op', async () => {
      const { body: task } = await create(owner, { description: 'first' });
      const path = `/api/v1/sharing-tasks/${task.id}`;
      const ok = await service.request(owner, 'PATCH', path, [
        { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'replace', path: '/enabled', value: false },
        { op: 'remove', path: '/description' },
        { op: 'replace', path: '/scheduleOptions', value: { timezone: 'Asia/Tokyo', recurrence: ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0'] } },
      ]);
      assert.equal(ok.status, 204, JSON.stringify(ok.body));
      const patched = (await service.request(owner, 'GET', path)).body;
      assert.equal(patched.name, 'renamed');
      assert.equal(patched.enabled, false);
      assert.equal(patched.description, undefined);
      assert.equal(patched.scheduleOptions.timezone, 'Asia/Tokyo');
      assert.equal(patched.nextScheduledRun, undefined, 'a paused task has no next run');

      for (const [ops, field] of [
        [[{ op: 'replace', path: '/name', value: '' }], 'name'],
        [[{ op: 'remove', path: '/name' }], '[0].path'],
        [[{ op: 'replace', path: '/statusCode', value: 'OK' }], '[0].path'],
        [[{ op: 'replace', path: '/scheduleOptions', value: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY'] } }], 'scheduleOptions.recurrence[0]'],
      ] as [unknown[], string][]) {
        assertRejected(await service.request(owner, 'PATCH', path, ops), field);
      }
      assert.deepEqual((await service.request(owner, 'GET', path)).body.name, 'renamed');
    });

    it('lets only admins change /ownerId, and lets no one else change the task', async () => {
      const { body: task } = await create(owner);
      const path = `/api/v1/sharing-tasks/${task.id}`;
      assert.equal((await service.request(owner, 'PATCH', path, [{ op: 'replace', path: '/ownerId', value: 'x' }])).status, 403);
      assert.equal((await service.request(stranger, 'PATCH', path, [{ op: 'replace', path: '/name', value: 'x' }])).status, 404);
      assert.equal((await service.request(admin, 'PATCH', path, [{ op: 'replace', path: '/ownerId', value: 'new-owner' }])).status, 204);
      assert.equal((await service.request(admin, 'GET', path)).body.owner, 'new-owner');
    });
  });

  describe('actions and DELETE', () => {
    it('cancels (then 404 on a second cancel), executes, deletes (then 404)', async () => {
      const { body: task } = await create(owner);
      const path = `/api/v1/sharing-tasks/${task.id}`;
      assert.equal((await service.request(owner, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: task.id })).status, 204);
      assert.equal((await service.request(owner, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: 'nope' })).status, 404);
      assert.equal((await service.request(owner, 'POST', `${path}/actions/cancel`)).status, 204);
      const cancelled = (await service.request(owner, 'GET', path)).body;
      assert.equal(cancelled.statusCode, 'CANCELLED');
      assert.equal(cancelled.enabled, false);
      assert.equal((await service.request(owner, 'POST', `${path}/actions/cancel`)).status, 404);
      assert.equal((await service.request(owner, 'PATCH', path, [{ op: 'replace', path: '/enabled', value: true }])).status, 204);
      assert.equal((await service.request(owner, 'GET', path)).body.statusCode, 'OK');
      assert.equal((await service.request(otherTenant, 'DELETE', path)).status, 404);
      assert.equal((await service.request(owner, 'DELETE', path)).status, 204);
      assert.equal((await service.request(owner, 'GET', path)).status, 404);
    });

    it("previews a schedule and lists a task's next occurrences with offsets", async () => {
      const preview = await service.request(owner, 'POST', '/api/v1/sharing-tasks/actions/preview-schedule', {
        scheduleOptions: { timezone: 'Europe/Paris', recurrence: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0'], startDateTime: '2027-03-26T00:00:00' },
        count: 4,
      });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.deepEqual(preview.body.occurrences, ['2027-03-26T09:00:00+01:00', '2027-03-27T09:00:00+01:00', '2027-03-28T09:00:00+02:00', '2027-03-29T09:00:00+02:00']);
      const { body: task } = await create(owner);
      const next = await service.request(owner, 'GET', `/api/v1/sharing-tasks/${task.id}/occurrences?count=3`);
      assert.equal(next.body.occurrences.length, 3);
      assert.equal(Date.parse(next.body.occurrences[0]), Date.parse(task.nextScheduledRun));
    });
  });

  describe('settings', () => {
    it('creates defaults on first read, lets only TenantAdmin change them, and enable-sharing=false closes the task endpoints', async () => {
      const user = service.token({ tenant: 'tenant-s', userId: 'u' });
      const boss = service.token({ tenant: 'tenant-s', userId: 'b', roles: ['TenantAdmin'] });
      const settings = await service.request(user, 'GET', '/api/v1/sharing-tasks/settings');
      assert.equal(settings.status, 200);
      assert.equal(settings.body.tenantId, 'tenant-s');
      assert.equal(settings.body.maxRecipients, 100);
      assert.equal(settings.body['enable-sharing'], true);
      assert.equal((await service.request(user, 'PUT', '/api/v1/sharing-tasks/settings', { maxRecipients: 2 })).status, 403);
      assert.equal((await service.request(boss, 'PUT', '/api/v1/sharing-tasks/settings', { maxRecipients: 2 })).status, 204);
      assertRejected(
        await service.request(user, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ recipients: { emailAddresses: ['a@x.io', 'b@x.io', 'c@x.io'] } })),
        'recipients',
      );
      assert.equal((await service.request(boss, 'PUT', '/api/v1/sharing-tasks/settings', { bogus: 1 })).status, 400);
      assert.equal((await service.request(boss, 'PATCH', '/api/v1/sharing-tasks/settings', [{ op: 'replace', path: '/enable-sharing', value: false }])).status, 204);
      assert.equal((await service.request(user, 'GET', '/api/v1/sharing-tasks')).status, 403);
      assert.equal((await service.request(user, 'GET', '/api/v1/sharing-tasks/settings')).body['enable-sharing'], false);
      assert.equal((await service.request(owner, 'GET', '/api/v1/sharing-tasks')).status, 200, 'other tenants are not affected');
    });
  });
});

describe('rate limits', function () {
  this.timeout(30_000);
  let service: TestService;
  before(async () => {
    service = await TestService.start({ RATE_LIMIT_WRITES_PER_MINUTE: '2', RATE_LIMIT_READS_PER_MINUTE: '3' }, { worker: false });
  });
  after(async () => service?.stop());

  it('answers 429 with Retry-After past the per-user tier limit, counting each user apart', async () => {
    const first = service.token({ tenant: 't', userId: 'one' });
    const second = service.token({ tenant: 't', userId: 'two' });
    for (let i = 0; i < 3; i++) assert.equal((await service.request(first, 'GET', '/api/v1/sharing-tasks')).status, 200);
    const limited = await service.request(first, 'GET', '/api/v1/sharing-tasks');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.ok(limited.headers.get('ratelimit-policy') || limited.headers.get('ratelimit'));
    assert.equal(limited.body.errors[0].meta.httpCode, 429);
    assert.equal((await service.request(second, 'GET', '/api/v1/sharing-tasks')).status, 200);
  });
});
