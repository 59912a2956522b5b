/**
 * Times the store reads a run makes, on the database a benchmark has just filled, and asks the
 * database (`explain`) whether each filter was pushed down: FerretDB v1's SQLite backend scans
 * the whole collection unless the filter is on `_id` alone. Read-only: it changes nothing it measures.
 */
import { MongoClient, type Db, type Document } from 'mongodb';
import { createStores } from '../../src/store';
import { distribution, round } from './stats';

export interface StoreTiming {
  operation: string;
  collection: string;
  filter: string;
  /** FerretDB's explain answer; undefined on a server that does not report it (MongoDB). */
  filterPushdown?: boolean;
  /** Median and max of the repetitions, in milliseconds. */
  medianMs: number;
  maxMs: number;
}

export interface ProbeTarget {
  tenant: string;
  taskId: string;
  executionId: string;
  fileId?: string;
}

export interface StoreProbeResult {
  collectionSizes: Record<string, number>;
  timings: StoreTiming[];
}

interface ProbeCase {
  operation: string;
  collection: string;
  filter: Document;
  run: () => Promise<unknown>;
}

async function explainPushdown(db: Db, collection: string, filter: Document): Promise<boolean | undefined> {
  const answer = await db.command({ explain: { find: collection, filter } }).catch(() => undefined);
  return typeof answer?.filterPushdown === 'boolean' ? answer.filterPushdown : undefined;
}

async function timeCase(db: Db, probe: ProbeCase, repetitions: number): Promise<StoreTiming> {
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    await probe.run();
    samples.push(performance.now() - started);
  }
  const d = distribution(samples);
  return {
    operation: probe.operation,
    collection: probe.collection,
    filter: Object.keys(probe.filter).join(', '),
    filterPushdown: await explainPushdown(db, probe.collection, probe.filter),
    medianMs: round(d.p50, 1),
    maxMs: round(d.max, 1),
  };
}

function casesFor(db: Db, target: ProbeTarget): ProbeCase[] {
  const stores = createStores(db);
  const { tenant, taskId, executionId, fileId } = target;
  const cases: ProbeCase[] = [
    // The store's own read (by `_id` alone since commit eba5ee1), and the `{ _id, tenant }` filter it used before.
    { operation: 'tasks.get (store)', collection: 'sharingTasks', filter: { _id: taskId }, run: () => stores.tasks.get(tenant, taskId) },
    {
      operation: 'task by { _id, tenant } (the filter before eba5ee1)',
      collection: 'sharingTasks',
      filter: { _id: taskId, tenant },
      run: () => db.collection('sharingTasks').findOne({ _id: taskId as never, tenant }),
    },
    { operation: 'executions.getById', collection: 'executions', filter: { _id: executionId }, run: () => stores.executions.getById(executionId) },
    {
      operation: 'executions.idsNewestFirst (retention)',
      collection: 'executions',
      filter: { tenant, sharingTaskId: taskId },
      run: () => stores.executions.idsNewestFirst(tenant, taskId),
    },
    { operation: 'deliveries.forExecution', collection: 'deliveries', filter: { executionId }, run: () => stores.deliveries.forExecution(executionId) },
  ];
  if (fileId) {
    cases.push(
      { operation: 'files.info', collection: 'reportFiles.files', filter: { _id: fileId }, run: () => stores.files.info(fileId) },
      { operation: 'files.read / files.put (chunks)', collection: 'reportFiles.chunks', filter: { files_id: fileId }, run: () => stores.files.read(fileId) },
    );
  }
  return cases;
}

/** Collection sizes, then each case timed `repetitions` times against one real task and execution. */
export async function probeStores(mongoUri: string, dbName: string, target: ProbeTarget, repetitions = 7): Promise<StoreProbeResult> {
  const client = new MongoClient(mongoUri, { maxPoolSize: 2 });
  try {
    const db = client.db(dbName);
    const names = ['sharingTasks', 'executions', 'deliveries', 'reportFiles.files', 'reportFiles.chunks'];
    const collectionSizes = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await db.collection(name).estimatedDocumentCount()] as const)),
    );
    const timings: StoreTiming[] = [];
    for (const probe of casesFor(db, target)) timings.push(await timeCase(db, probe, repetitions));
    return { collectionSizes, timings };
  } finally {
    await client.close();
  }
}
