/**
 * WHAT-IF, loaded only into a benchmark's worker process (`node --import` before src/worker/main.ts),
 * never by the service: SharingTaskStore reads and updates a task by `{ _id }` alone and checks the
 * tenant in code. FerretDB v1's SQLite backend pushes an `_id`-only filter down to SQLite, but scans
 * the whole collection for `{ _id, tenant }` (see `explain`: filterPushdown false). The results are
 * the same: task ids are unique ObjectIds and a task never changes tenant. This measures what the
 * change would be worth before anyone makes it in src/store/sharing-task-store.ts.
 */
import type { Collection, Document, UpdateFilter } from 'mongodb';
import type { SharingTask } from '../../src/sharing-tasks/schemas';
import { fromStorage, toStorage } from '../../src/store/codec';
import { retryWhenBusy } from '../../src/store/mongo';
import { SharingTaskStore } from '../../src/store/sharing-task-store';

interface TaskDocument extends Document {
  _id: string;
  tenant: string;
}

/** The store's private collection (bracket access: this file is an experiment, not a design). */
function collectionOf(store: SharingTaskStore): Collection<TaskDocument> {
  return (store as unknown as { tasks: Collection<TaskDocument> }).tasks;
}

SharingTaskStore.prototype.get = async function get(this: SharingTaskStore, tenant: string, id: string): Promise<SharingTask | undefined> {
  const doc = await collectionOf(this).findOne({ _id: id });
  if (!doc || doc.tenant !== tenant) return undefined;
  const { _id, ...rest } = fromStorage(doc);
  return { id: _id, ...rest } as unknown as SharingTask;
};

SharingTaskStore.prototype.update = async function update(
  this: SharingTaskStore,
  tenant: string,
  id: string,
  set: Record<string, unknown>,
  unset: string[] = [],
): Promise<boolean> {
  const tasks = collectionOf(this);
  const owner = await tasks.findOne({ _id: id }, { projection: { tenant: 1 } });
  if (!owner || owner.tenant !== tenant) return false;
  const change: UpdateFilter<TaskDocument> = {};
  if (Object.keys(set).length > 0) change.$set = toStorage(set);
  if (unset.length > 0) change.$unset = Object.fromEntries(unset.map((path) => [path, '']));
  if (Object.keys(change).length === 0) return true;
  const result = await retryWhenBusy(() => tasks.updateOne({ _id: id }, change));
  return result.matchedCount === 1;
};

process.stderr.write('bench what-if loaded: SharingTaskStore.get/update filter by _id only\n');
