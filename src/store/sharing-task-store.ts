import type { Collection, Db, Filter, Sort } from 'mongodb';
import type { SharingTask } from '../sharing-tasks/schemas';
import { fromStorage, toStorage } from './codec';
import { createIndexesOneByOne, retryWhenBusy } from './mongo';

type TaskDocument = Omit<SharingTask, 'id'> & { _id: string };

export interface TaskListFilter {
  tenant: string;
  appId?: string;
  owner?: string;
  ownerName?: string;
  types?: string[];
  templateIds?: string[];
  excludeDeleting?: boolean;
  /** Non-admins see what they own or receive: visible when any of these match. */
  visibleTo?: { userId: string; email?: string; roles: ('owner' | 'recipient')[] };
}

export interface TaskListPage {
  sort: { field: string; direction: 1 | -1 }[];
  limit: number;
  offset: number;
}

function toTask(doc: TaskDocument): SharingTask {
  const { _id, ...rest } = fromStorage(doc);
  return { id: _id, ...rest } as SharingTask;
}

export const SHARING_TASKS_COLLECTION = 'sharingTasks';

/** The only code that knows how sharing tasks are kept in MongoDB. Every query is scoped by tenant. */
export class SharingTaskStore {
  private readonly tasks: Collection<TaskDocument>;

  constructor(db: Db) {
    this.tasks = db.collection<TaskDocument>(SHARING_TASKS_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await createIndexesOneByOne(this.tasks, [
      { key: { tenant: 1, dateCreated: -1, _id: 1 } },
      { key: { tenant: 1, owner: 1 } },
      { key: { tenant: 1, appId: 1 } },
      { key: { tenant: 1, ownerName: 1 } },
      { key: { tenant: 1, type: 1 } },
      { key: { tenant: 1, name: 1 } },
      { key: { tenant: 1, statusCode: 1 } },
      { key: { tenant: 1, 'templates.templateId': 1 } },
      { key: { tenant: 1, 'recipients.userIds.value': 1 } },
      { key: { tenant: 1, 'recipients.emailAddresses.value': 1 } },
      { key: { enabledByUser: 1, enabledBySystem: 1 } },
    ]);
  }

  async insert(task: SharingTask): Promise<void> {
    const { id, ...rest } = task;
    await retryWhenBusy(() => this.tasks.insertOne(toStorage({ _id: id, ...rest }) as TaskDocument));
  }

  /**
   * Tasks are found by `_id` alone and their tenant checked here: FerretDB v1 (SQLite) pushes an
   * `_id`-only filter down to an index lookup but scans the whole collection for `{_id, tenant}`.
   * Same result (ids are unique, a task never changes tenant) at a cost independent of the
   * collection's size; bench/README.md has the measurement.
   */
  async get(tenant: string, id: string): Promise<SharingTask | undefined> {
    const doc = await this.tasks.findOne({ _id: id } as Filter<TaskDocument>);
    return doc && doc.tenant === tenant ? toTask(doc) : undefined;
  }

  private async belongsTo(tenant: string, id: string): Promise<boolean> {
    const doc = await this.tasks.findOne({ _id: id } as Filter<TaskDocument>, { projection: { tenant: 1 } });
    return doc?.tenant === tenant;
  }

  /** Sets the given fields (dotted paths allowed) and removes the `unset` ones; false when the task is gone. */
  async update(tenant: string, id: string, set: Record<string, unknown>, unset: string[] = []): Promise<boolean> {
    const update: Record<string, unknown> = {};
    if (Object.keys(set).length > 0) update.$set = toStorage(set);
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((path) => [path, '']));
    if (!(await this.belongsTo(tenant, id))) return false;
    if (Object.keys(update).length === 0) return true;
    const result = await retryWhenBusy(() => this.tasks.updateOne({ _id: id } as Filter<TaskDocument>, update));
    return result.matchedCount === 1;
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    if (!(await this.belongsTo(tenant, id))) return false;
    const result = await retryWhenBusy(() => this.tasks.deleteOne({ _id: id } as Filter<TaskDocument>));
    return result.deletedCount === 1;
  }

  async list(filter: TaskListFilter, page: TaskListPage): Promise<{ tasks: SharingTask[]; totalCount: number }> {
    const query = this.listQuery(filter);
    const sort: Sort = Object.fromEntries([...page.sort.map((s) => [s.field, s.direction]), ['_id', 1]]);
    const [docs, totalCount] = await Promise.all([
      this.tasks.find(query).sort(sort).skip(page.offset).limit(page.limit).toArray(),
      this.tasks.countDocuments(query),
    ]);
    return { tasks: docs.map(toTask), totalCount };
  }

  /** Tasks of every tenant that should have a running workflow (the reconciler's input), in pages by id. */
  async listEnabledAfter(afterId: string | undefined, limit: number): Promise<SharingTask[]> {
    const query: Filter<TaskDocument> = { enabledByUser: true, enabledBySystem: true };
    if (afterId) query._id = { $gt: afterId };
    const docs = await this.tasks.find(query).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toTask);
  }

  async listByApp(tenant: string, appId: string): Promise<SharingTask[]> {
    const docs = await this.tasks.find({ tenant, appId } as Filter<TaskDocument>).toArray();
    return docs.map(toTask);
  }

  private listQuery(filter: TaskListFilter): Filter<TaskDocument> {
    const and: Filter<TaskDocument>[] = [{ tenant: filter.tenant } as Filter<TaskDocument>];
    if (filter.appId) and.push({ appId: filter.appId } as Filter<TaskDocument>);
    if (filter.owner) and.push({ owner: filter.owner } as Filter<TaskDocument>);
    if (filter.ownerName) and.push({ ownerName: filter.ownerName } as Filter<TaskDocument>);
    if (filter.types?.length) and.push({ type: { $in: filter.types } } as Filter<TaskDocument>);
    if (filter.templateIds?.length) {
      and.push({ 'templates.templateId': { $in: filter.templateIds } } as Filter<TaskDocument>);
    }
    if (filter.excludeDeleting) and.push({ statusCode: { $ne: 'DELETING' } } as Filter<TaskDocument>);
    if (filter.visibleTo) {
      const { userId, email, roles } = filter.visibleTo;
      const any: Filter<TaskDocument>[] = [];
      if (roles.includes('owner')) any.push({ owner: userId } as Filter<TaskDocument>);
      if (roles.includes('recipient')) {
        any.push({ 'recipients.userIds.value': userId } as Filter<TaskDocument>);
        if (email) any.push({ 'recipients.emailAddresses.value': email } as Filter<TaskDocument>);
      }
      and.push(any.length > 0 ? { $or: any } : { _id: { $in: [] } });
    }
    return and.length === 1 ? and[0]! : { $and: and };
  }
}
