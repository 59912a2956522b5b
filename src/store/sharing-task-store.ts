import type { Collection, Db, Filter, Sort } from 'mongodb';
import { SharingTaskSchema, type SharingTask } from '../sharing-tasks/schemas';
import { fromStorage, toStorage } from './codec';
import { createIndexesOneByOne, retryWhenBusy } from './mongo';

/**
 * A stored task: the task plus `recipientEmails`, its e-mail recipients in lower case, so that the
 * database matches a caller's address as GET does (case-insensitively) with a plain equality.
 */
type TaskDocument = Omit<SharingTask, 'id'> & { _id: string; recipientEmails?: string[] };

/** The fields a list returns (the task's schema), and nothing a document may carry besides. */
const LIST_PROJECTION = Object.fromEntries(Object.keys(SharingTaskSchema.shape).filter((key) => key !== 'id').map((key) => [key, 1]));

function recipientEmailsOf(recipients: SharingTask['recipients'] | undefined): string[] {
  return [...new Set((recipients?.emailAddresses ?? []).map((recipient) => recipient.value.toLowerCase()))];
}

/** Top-level fields and scheduleOptions members stored as null by an older version (undefined became null): read as absent. */
function withoutNulls(doc: Record<string, unknown>): Record<string, unknown> {
  const clean = Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== null));
  const schedule = clean.scheduleOptions;
  if (typeof schedule === 'object' && schedule !== null) {
    clean.scheduleOptions = Object.fromEntries(Object.entries(schedule).filter(([, value]) => value !== null));
  }
  return clean;
}

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
  const { _id, recipientEmails: _matching, ...rest } = fromStorage(doc);
  return { id: _id, ...withoutNulls(rest) } as SharingTask;
}

/** `$set` and `$unset` of an update; empty when there is nothing to change. */
function updateOf(set: Record<string, unknown>, unset: string[]): Record<string, unknown> {
  return {
    ...(Object.keys(set).length > 0 ? { $set: toStorage(set) } : {}),
    ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((path) => [path, ''])) } : {}),
  };
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
      { key: { tenant: 1, recipientEmails: 1 } },
      { key: { enabledByUser: 1, enabledBySystem: 1 } },
      { key: { nextScheduledRun: 1 } },
    ]);
    await this.backfillRecipientEmails();
  }

  async insert(task: SharingTask): Promise<void> {
    const { id, ...rest } = task;
    const doc = { _id: id, ...rest, recipientEmails: recipientEmailsOf(task.recipients) };
    await retryWhenBusy(() => this.tasks.insertOne(toStorage(doc) as TaskDocument));
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
    const recipients = set.recipients as SharingTask['recipients'] | undefined;
    const update = updateOf(recipients ? { ...set, recipientEmails: recipientEmailsOf(recipients) } : set, unset);
    if (!(await this.belongsTo(tenant, id))) return false;
    if (Object.keys(update).length === 0) return true;
    const result = await retryWhenBusy(() => this.tasks.updateOne({ _id: id } as Filter<TaskDocument>, update));
    return result.matchedCount === 1;
  }

  /**
   * For the task's own workflow and runs, which hold its id from the task itself: sets and unsets
   * by `_id` alone (no tenant read first), and never on a task being deleted.
   */
  async updateRunState(id: string, set: Record<string, unknown>, unset: string[] = []): Promise<void> {
    const update = updateOf(set, unset);
    if (Object.keys(update).length === 0) return;
    await retryWhenBusy(() => this.tasks.updateOne({ _id: id, statusCode: { $ne: 'DELETING' } } as Filter<TaskDocument>, update));
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
      this.tasks.find(query, { projection: LIST_PROJECTION }).sort(sort).skip(page.offset).limit(page.limit).toArray(),
      this.tasks.countDocuments(query),
    ]);
    return { tasks: docs.map(toTask), totalCount };
  }

  /** How many tasks of every tenant have their next run at `instant` (by the nextScheduledRun index on MongoDB). */
  countDueAt(instant: string): Promise<number> {
    return this.tasks.countDocuments({ nextScheduledRun: instant } as Filter<TaskDocument>);
  }

  /** Tasks of every tenant (the reconciler's input), in pages by id. */
  async listAfter(afterId: string | undefined, limit: number): Promise<SharingTask[]> {
    const query: Filter<TaskDocument> = afterId ? { _id: { $gt: afterId } } : {};
    const docs = await this.tasks.find(query).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toTask);
  }

  /** Which of these task ids exist, with their tenant. */
  async existingIds(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const docs = await this.tasks.find({ _id: { $in: ids } } as Filter<TaskDocument>, { projection: { tenant: 1 } }).toArray();
    return new Map(docs.map((doc) => [doc._id, doc.tenant]));
  }

  /** An app's tasks in pages by id (the app-reload fan-out). */
  async listByAppAfter(tenant: string, appId: string, afterId: string | undefined, limit: number): Promise<SharingTask[]> {
    const query: Record<string, unknown> = { tenant, appId };
    if (afterId) query._id = { $gt: afterId };
    const docs = await this.tasks.find(query as Filter<TaskDocument>).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toTask);
  }

  /** A tenant's tasks of these types in pages by id (a feature toggle's fan-out). */
  async listOfTypesAfter(tenant: string, types: string[], afterId: string | undefined, limit: number): Promise<SharingTask[]> {
    const query: Record<string, unknown> = { tenant, type: { $in: types } };
    if (afterId) query._id = { $gt: afterId };
    const docs = await this.tasks.find(query as Filter<TaskDocument>).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toTask);
  }

  async listByApp(tenant: string, appId: string): Promise<SharingTask[]> {
    const docs = await this.tasks.find({ tenant, appId } as Filter<TaskDocument>).toArray();
    return docs.map(toTask);
  }

  /**
   * One flat filter, `tenant` a top-level equality: FerretDB pushes top-level scalar equalities down
   * to PostgreSQL and evaluates the rest in its own code, only on the documents those select. Under
   * `$and` nothing is pushed down, and every list read and decoded every tenant's documents (36 s
   * for one page next to five 60,000-key tasks of another tenant; 14 ms flat).
   */
  private listQuery(filter: TaskListFilter): Filter<TaskDocument> {
    const query: Record<string, unknown> = { tenant: filter.tenant };
    if (filter.appId) query.appId = filter.appId;
    if (filter.owner) query.owner = filter.owner;
    if (filter.ownerName) query.ownerName = filter.ownerName;
    if (filter.types?.length) query.type = { $in: filter.types };
    if (filter.templateIds?.length) query['templates.templateId'] = { $in: filter.templateIds };
    if (filter.excludeDeleting) query.statusCode = { $ne: 'DELETING' };
    if (filter.visibleTo) {
      const { userId, email, roles } = filter.visibleTo;
      const any: Record<string, unknown>[] = [];
      if (roles.includes('owner')) any.push({ owner: userId });
      if (roles.includes('recipient')) {
        any.push({ 'recipients.userIds.value': userId });
        if (email) any.push({ recipientEmails: email.toLowerCase() });
      }
      if (any.length === 0) query._id = { $in: [] };
      else query.$or = any;
    }
    return query as Filter<TaskDocument>;
  }

  /**
   * Gives tasks stored before `recipientEmails` existed their matching addresses (once, at start;
   * afterwards a no-op query). Without it their e-mail recipients would not find them in lists.
   */
  async backfillRecipientEmails(): Promise<number> {
    const missing = await this.tasks.find({ recipientEmails: { $exists: false } } as Filter<TaskDocument>, { projection: { recipients: 1 } }).toArray();
    for (const doc of missing) {
      const emails = recipientEmailsOf(fromStorage(doc).recipients);
      await retryWhenBusy(() => this.tasks.updateOne({ _id: doc._id } as Filter<TaskDocument>, { $set: { recipientEmails: emails } }));
    }
    return missing.length;
  }
}
