import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { buildTask } from '../../../src/sharing-tasks/build-task';
import { SHARING_TASK_SORT_KEYS, SharingTaskCreateRequestSchema, type SharingTask } from '../../../src/sharing-tasks/schemas';
import { chartTaskRequest } from '../../support/fixtures';
import { TestService } from '../../support/service';

const TASKS = 250;
const PAGE = 100;
const tenant = 'tenant-paging-250';

/** What each sort key orders by, as the response shows it; missing values sort first, as in MongoDB. */
const SORT_VALUE: Record<(typeof SHARING_TASK_SORT_KEYS)[number], (task: Record<string, any>) => unknown[]> = {
  datecreated: (t) => [t.dateCreated],
  name: (t) => [t.name],
  ownername: (t) => [t.ownerName],
  enabled: (t) => [t.enabledByUser, t.enabledBySystem],
  status: (t) => [t.statusCode],
  type: (t) => [t.type],
  sent: (t) => [t.lastExecutionDate],
  scheduled: (t) => [t.nextScheduledRun],
  appname: (t) => [t.appName],
  appid: (t) => [t.appId],
};

function compare(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (x === undefined || x === null) return -1;
    if (y === undefined || y === null) return 1;
    return (x as string | boolean) < (y as string | boolean) ? -1 : 1;
  }
  return 0;
}

const pick = <T>(values: readonly T[], i: number, stride: number): T => values[(i * stride) % values.length]!;

/** 250 tasks with many ties and missing values, as a busy tenant has them. */
function variedTask(i: number): SharingTask {
  const request = SharingTaskCreateRequestSchema.parse(
    chartTaskRequest({ name: `report ${pick(['alpha', 'beta', 'gamma', 'delta', 'omega'], i, 3)} ${String(i % 37).padStart(2, '0')}`, type: pick(['chart-sharing', 'sheet-sharing', 'template-sharing'], i, 1) }),
  );
  const owner = pick(['ann', 'bob', 'cyd', 'dee'], i, 5);
  const task = buildTask(request, { tenant, userId: owner, userName: owner.toUpperCase(), roles: [] }, {
    id: randomBytes(12).toString('hex'),
    now: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 50)),
    defaultTimezone: 'UTC',
  });
  return {
    ...task,
    enabledByUser: i % 3 !== 0,
    enabledBySystem: i % 7 !== 0,
    statusCode: pick(['OK', 'PARTIAL_SENT', 'MAX_FAILURES_REACHED'], i, 2),
    appId: pick(['app-a', 'app-b', 'app-c', 'app-d', 'app-e', 'app-f', 'app-g'], i, 4),
    appName: pick(['Sales', 'Ops', 'HR', 'Finance'], i, 3),
    ...(i % 4 === 0 ? {} : { lastExecutionDate: new Date(Date.UTC(2026, 1, 1, i % 24)).toISOString() }),
    ...(i % 5 === 0 ? {} : { nextScheduledRun: new Date(Date.UTC(2026, 2, 1, 0, i % 60)).toISOString() }),
  } as SharingTask;
}

/** Paging 250 tasks by every sort key, both ways: links visit each task once, in order; offset and prev agree. */
describe('paging 250 tasks', function () {
  this.timeout(120_000);
  let service: TestService;
  let token: string;
  const get = async (url: string) => {
    const page = await service.request(token, 'GET', url.replace(service.api.url, ''));
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return page.body;
  };

  before(async () => {
    service = await TestService.start({}, { worker: false });
    token = service.token({ tenant, userId: 'admin', roles: ['TenantAdmin'] });
    for (let i = 0; i < TASKS; i++) await service.stores.tasks.insert(variedTask(i));
  });
  after(() => service?.stop());

  for (const key of SHARING_TASK_SORT_KEYS) {
    for (const direction of ['+', '-'] as const) {
      it(`sort=${direction}${key}`, async () => {
        const pages: any[][] = [];
        let last: any;
        for (let url: string | undefined = `/api/v1/sharing-tasks?limit=${PAGE}&sort=${encodeURIComponent(direction + key)}`; url; url = last.links.next?.href) {
          last = await get(url);
          assert.equal(last.totalCount, TASKS);
          assert.equal(last.currentPageCount, last.sharingTasks.length);
          pages.push(last.sharingTasks);
        }
        const seen = pages.flat();
        assert.deepEqual(pages.map((page) => page.length), [100, 100, 50]);
        assert.equal(new Set(seen.map((task) => task.id)).size, TASKS, 'every task exactly once');
        const sign = direction === '+' ? 1 : -1;
        seen.slice(1).forEach((task, i) => {
          const order = compare(SORT_VALUE[key](seen[i]), SORT_VALUE[key](task)) * sign;
          assert.ok(order <= 0, `position ${i + 1}: ${JSON.stringify(SORT_VALUE[key](seen[i]))} before ${JSON.stringify(SORT_VALUE[key](task))}`);
        });

        const backwards: any[][] = [];
        for (let url: string | undefined = last.links.prev?.href; url; url = last.links.prev?.href) {
          last = await get(url);
          backwards.unshift(last.sharingTasks);
        }
        assert.deepEqual(backwards.flat().map((task) => task.id), seen.slice(0, 200).map((task) => task.id), 'prev links walk back over the same pages');
        const byOffset = await get(`/api/v1/sharing-tasks?limit=${PAGE}&offset=${PAGE}&sort=${encodeURIComponent(direction + key)}`);
        assert.deepEqual(byOffset.sharingTasks.map((task: any) => task.id), pages[1]!.map((task) => task.id), 'offset paging agrees');
      });
    }
  }
});
