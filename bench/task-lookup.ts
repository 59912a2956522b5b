/**
 * What one task lookup costs as the collection grows, on FerretDB v1 (SQLite): the store's
 * `{ _id }` filter (tenant checked in code) against the `{ _id, tenant }` filter it replaced,
 * interleaved in one run so the machine's noise hits both alike. Also the cost of one page of
 * the task list, which FerretDB filters and sorts in memory.
 *   npx tsx bench/task-lookup.ts [--tasks 5000] [--lookups 300]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Document } from 'mongodb';
import { buildTask } from '../src/sharing-tasks/build-task';
import { SharingTaskCreateRequestSchema } from '../src/sharing-tasks/schemas';
import { createMongo, createStores } from '../src/store';
import { SHARING_TASKS_COLLECTION } from '../src/store/sharing-task-store';
import { chartTaskRequest } from '../test/support/fixtures';
import { startBenchStack } from './support/bench-stack';
import { machineInfo } from './support/machine';
import { log, markdownTable, resultPath, writeResult } from './support/output';
import { distribution, round, roundDistribution } from './support/stats';

const TENANTS = 10;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tasks: { type: 'string', default: '5000' }, lookups: { type: 'string', default: '300' } } });
  const taskCount = Number(values.tasks);
  const lookups = Number(values.lookups);
  const bench = await startBenchStack({ keepData: false });
  const { client, db } = createMongo({ uri: bench.env.MONGODB_URI!, dbName: 'bench', maxPoolSize: 4 });
  try {
    const stores = createStores(db);
    await stores.tasks.ensureIndexes();
    const request = SharingTaskCreateRequestSchema.parse(chartTaskRequest());
    const ids: { tenant: string; id: string }[] = [];
    log(`inserting ${taskCount} tasks in ${TENANTS} tenants`);
    for (let i = 0; i < taskCount; i++) {
      const tenant = `tenant-${i % TENANTS}`;
      const task = buildTask(request, { tenant, userId: `user-${i % 50}`, roles: [] }, { id: randomBytes(12).toString('hex'), now: new Date(), defaultTimezone: 'UTC' });
      await stores.tasks.insert(task);
      ids.push({ tenant, id: task.id });
    }
    const raw = db.collection<Document & { _id: string }>(SHARING_TASKS_COLLECTION);
    const before: number[] = [];
    const after: number[] = [];
    log(`timing ${lookups} lookups of each kind, interleaved`);
    for (let i = 0; i < lookups; i++) {
      const { tenant, id } = ids[Math.floor(Math.random() * ids.length)]!;
      before.push(await timed(() => raw.findOne({ _id: id, tenant })));
      after.push(await timed(() => stores.tasks.get(tenant, id)));
    }
    const page: number[] = [];
    for (let i = 0; i < 20; i++) {
      page.push(await timed(() => stores.tasks.list({ tenant: 'tenant-3' }, { sort: [{ field: 'dateCreated', direction: -1 }], limit: 20, offset: 0 })));
    }
    const result = {
      benchmark: 'task-lookup',
      date: new Date().toISOString(),
      machine: machineInfo(),
      tasks: taskCount,
      tenants: TENANTS,
      lookupMs: { idAndTenantFilter: roundDistribution(distribution(before)), idFilterTenantInCode: roundDistribution(distribution(after)) },
      medianRatio: round(distribution(before).p50 / distribution(after).p50, 1),
      listPageMs: roundDistribution(distribution(page)),
    };
    const file = writeResult(resultPath(`task-lookup-${taskCount}`), result);
    console.log(
      markdownTable(
        ['lookup of one task', 'p50 ms', 'p99 ms', 'max ms'],
        [
          ['{ _id, tenant } filter', result.lookupMs.idAndTenantFilter.p50, result.lookupMs.idAndTenantFilter.p99, result.lookupMs.idAndTenantFilter.max],
          ['{ _id } filter, tenant checked in code', result.lookupMs.idFilterTenantInCode.p50, result.lookupMs.idFilterTenantInCode.p99, result.lookupMs.idFilterTenantInCode.max],
          [`list page (20 of ${taskCount / TENANTS} in a tenant)`, result.listPageMs.p50, result.listPageMs.p99, result.listPageMs.max],
        ],
      ),
    );
    console.log(`median ratio ${result.medianRatio}x; ${file}`);
  } finally {
    await client.close();
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
