import type { Collection, Db, Filter } from 'mongodb';
import type { ExecutionRecord as Execution } from '../sharing-tasks/execution-record';
import { fromStorage, toStorage } from './codec';
import { createIndexesOneByOne, isDuplicateKeyError, retryWhenBusy } from './mongo';

type ExecutionDocument = Omit<Execution, 'id'> & { _id: string };

function toExecution(doc: ExecutionDocument): Execution {
  const { _id, ...rest } = fromStorage(doc);
  return { id: _id, ...rest } as Execution;
}

export interface ExecutionListQuery {
  status?: Execution['status'];
  sortDirection: 1 | -1;
  limit: number;
  offset: number;
}

/** Executions (one document per run). The id is derived from (task, trigger event), so claiming a run is one insert. */
export class ExecutionStore {
  private readonly executions: Collection<ExecutionDocument>;

  constructor(db: Db) {
    this.executions = db.collection<ExecutionDocument>('executions');
  }

  async ensureIndexes(): Promise<void> {
    await createIndexesOneByOne(this.executions, [
      { key: { tenant: 1, sharingTaskId: 1, startTime: -1 } },
      { key: { tenant: 1, sharingTaskId: 1, status: 1, startTime: -1 } },
    ]);
  }

  /**
   * Inserts the execution unless one with the same id exists. The insert on the unique `_id`
   * is the atomic claim (FerretDB's conditional updates are not): exactly one caller gets `claimed`.
   */
  async claim(execution: Execution): Promise<{ claimed: boolean; execution: Execution }> {
    const { id, ...rest } = execution;
    try {
      await retryWhenBusy(() => this.executions.insertOne(toStorage({ _id: id, ...rest }) as ExecutionDocument));
      return { claimed: true, execution };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.executions.findOne({ _id: id } as Filter<ExecutionDocument>);
      if (!existing) throw error;
      return { claimed: false, execution: toExecution(existing) };
    }
  }

  async getById(id: string): Promise<Execution | undefined> {
    const doc = await this.executions.findOne({ _id: id } as Filter<ExecutionDocument>);
    return doc ? toExecution(doc) : undefined;
  }

  /** By `_id` alone, the owner checked here: FerretDB v1 uses its index only for an `_id`-only filter. */
  async get(tenant: string, sharingTaskId: string, id: string): Promise<Execution | undefined> {
    const doc = await this.executions.findOne({ _id: id } as Filter<ExecutionDocument>);
    return doc && doc.tenant === tenant && doc.sharingTaskId === sharingTaskId ? toExecution(doc) : undefined;
  }

  async latest(tenant: string, sharingTaskId: string, status?: Execution['status']): Promise<Execution | undefined> {
    const query = { tenant, sharingTaskId, ...(status ? { status } : {}) } as Filter<ExecutionDocument>;
    const [doc] = await this.executions.find(query).sort({ startTime: -1, _id: -1 }).limit(1).toArray();
    return doc ? toExecution(doc) : undefined;
  }

  /**
   * The most recent run of each of these tasks, by one query (a task list page shows each task's
   * latest files). A task keeps at most its historySize runs, so this reads a bounded number of them.
   */
  async latestOfTasks(tenant: string, sharingTaskIds: string[]): Promise<Map<string, Pick<Execution, 'id' | 'files'>>> {
    const latest = new Map<string, Pick<Execution, 'id' | 'files'>>();
    if (sharingTaskIds.length === 0) return latest;
    const docs = this.executions
      .find({ tenant, sharingTaskId: { $in: sharingTaskIds } } as Filter<ExecutionDocument>, {
        projection: { sharingTaskId: 1, startTime: 1, files: 1 },
      })
      .sort({ startTime: -1, _id: -1 });
    for await (const doc of docs) {
      if (!latest.has(doc.sharingTaskId)) latest.set(doc.sharingTaskId, { id: doc._id, files: doc.files });
    }
    return latest;
  }

  async list(
    tenant: string,
    sharingTaskId: string,
    query: ExecutionListQuery,
  ): Promise<{ executions: Execution[]; totalCount: number }> {
    const filter = { tenant, sharingTaskId, ...(query.status ? { status: query.status } : {}) } as Filter<ExecutionDocument>;
    const [docs, totalCount] = await Promise.all([
      this.executions
        .find(filter)
        .sort({ startTime: query.sortDirection, _id: query.sortDirection })
        .skip(query.offset)
        .limit(query.limit)
        .toArray(),
      this.executions.countDocuments(filter),
    ]);
    return { executions: docs.map(toExecution), totalCount };
  }

  async update(id: string, set: Record<string, unknown>): Promise<void> {
    await retryWhenBusy(() => this.executions.updateOne({ _id: id } as Filter<ExecutionDocument>, { $set: toStorage(set) }));
  }

  /** Ids of the task's executions, newest first (for retention). */
  async idsNewestFirst(tenant: string, sharingTaskId: string): Promise<string[]> {
    return (await this.runsNewestFirst(tenant, sharingTaskId)).map((run) => run.id);
  }

  /** A task's runs, newest first, as retention weighs them. */
  async runsNewestFirst(tenant: string, sharingTaskId: string): Promise<{ id: string; startTime: string; status: string }[]> {
    const docs = await this.executions
      .find({ tenant, sharingTaskId } as Filter<ExecutionDocument>, { projection: { _id: 1, startTime: 1, status: 1 } })
      .sort({ startTime: -1, _id: -1 })
      .toArray();
    return docs.map((doc) => ({ id: doc._id, startTime: doc.startTime, status: doc.status }));
  }

  async deleteMany(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await retryWhenBusy(() => this.executions.deleteMany({ _id: { $in: ids } } as Filter<ExecutionDocument>));
  }

  async deleteForTask(tenant: string, sharingTaskId: string): Promise<void> {
    await retryWhenBusy(() => this.executions.deleteMany({ tenant, sharingTaskId } as Filter<ExecutionDocument>));
  }
}
