import type { Db } from 'mongodb';
import { DeliveryLedger } from './delivery-ledger';
import { ExecutionStore } from './execution-store';
import { FileStore } from './file-store';
import { SettingsStore } from './settings-store';
import { SharingTaskStore } from './sharing-task-store';

export { createMongo, isDuplicateKeyError } from './mongo';
export { DeliveryLedger, type DeliveryEntry, type DeliveryChannel } from './delivery-ledger';
export { ExecutionStore } from './execution-store';
export { FileStore, type StoredFileInfo } from './file-store';
export { SettingsStore } from './settings-store';
export { SharingTaskStore, type TaskListFilter, type TaskListPage } from './sharing-task-store';

export interface Stores {
  tasks: SharingTaskStore;
  executions: ExecutionStore;
  deliveries: DeliveryLedger;
  files: FileStore;
  settings: SettingsStore;
}

export function createStores(db: Db): Stores {
  return {
    tasks: new SharingTaskStore(db),
    executions: new ExecutionStore(db),
    deliveries: new DeliveryLedger(db),
    files: new FileStore(db),
    settings: new SettingsStore(db),
  };
}

export async function ensureIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.tasks.ensureIndexes(),
    stores.executions.ensureIndexes(),
    stores.deliveries.ensureIndexes(),
    stores.files.ensureIndexes(),
  ]);
}
