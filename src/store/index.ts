import type { Db } from 'mongodb';
import { DeliveryLedger } from './delivery-ledger';
import { DirectoryStore } from './directory-store';
import { ExecutionStore } from './execution-store';
import { FileStore } from './file-store';
import { IdempotencyStore } from './idempotency-store';
import { SettingsStore } from './settings-store';
import { SharingTaskStore } from './sharing-task-store';
import { TaskRevisionStore } from './task-revision-store';

export { createMongo, isDatabaseUnavailable, isDuplicateKeyError } from './mongo';
export { DeliveryLedger, type DeliveryEntry, type DeliveryChannel } from './delivery-ledger';
export { DirectoryStore, type DirectoryGroup, type DirectoryUser } from './directory-store';
export { ExecutionStore } from './execution-store';
export { FileStore, type StoredFileInfo } from './file-store';
export { IdempotencyStore, type IdempotencyRecord, type IdempotentResponse } from './idempotency-store';
export { SettingsStore } from './settings-store';
export { SharingTaskStore, type TaskListFilter, type TaskListPage } from './sharing-task-store';
export { TaskRevisionStore } from './task-revision-store';

export interface Stores {
  tasks: SharingTaskStore;
  executions: ExecutionStore;
  deliveries: DeliveryLedger;
  files: FileStore;
  settings: SettingsStore;
  directory: DirectoryStore;
  idempotency: IdempotencyStore;
  revisions: TaskRevisionStore;
}

export function createStores(db: Db): Stores {
  return {
    tasks: new SharingTaskStore(db),
    executions: new ExecutionStore(db),
    deliveries: new DeliveryLedger(db),
    files: new FileStore(db),
    settings: new SettingsStore(db),
    directory: new DirectoryStore(db),
    idempotency: new IdempotencyStore(db),
    revisions: new TaskRevisionStore(db),
  };
}

/**
 * Creates the indexes, one collection after another: FerretDB v1 can crash a connection when
 * index builds on one database overlap (seen with two processes starting at once), so a failed
 * round is retried a few times. On MongoDB the creation is idempotent and this is one quick pass.
 */
export async function ensureIndexes(stores: Stores, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      for (const store of Object.values(stores)) {
        if ('ensureIndexes' in store) await store.ensureIndexes();
      }
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
