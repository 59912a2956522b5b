import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError, retryWhenBusy } from './mongo';

interface RevisionClaim {
  /** `<tenant>/<task>/<revision>`: the unique key that makes a claim atomic. */
  _id: string;
  tenant: string;
  taskId: string;
  revision: number;
  claimedAt: Date;
}

/**
 * Orders the changes to a task: a change to revision N+1 of a task read at N first claims
 * (task, N+1) by inserting that unique `_id` (FerretDB has no atomic compare-and-set), so of two
 * changes made from the same read exactly one gets N+1; the other reads again. The claims of a
 * task are removed with it.
 */
export class TaskRevisionStore {
  private readonly claims: Collection<RevisionClaim>;

  constructor(db: Db) {
    this.claims = db.collection<RevisionClaim>('taskRevisions');
  }

  async ensureIndexes(): Promise<void> {
    await this.claims.createIndex({ tenant: 1, taskId: 1 });
  }

  /** True when this caller got the revision; false when another change took it first. */
  async claim(tenant: string, taskId: string, revision: number, now: Date): Promise<boolean> {
    try {
      await retryWhenBusy(() => this.claims.insertOne({ _id: `${tenant}/${taskId}/${revision}`, tenant, taskId, revision, claimedAt: now }));
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async deleteForTask(tenant: string, taskId: string): Promise<void> {
    await retryWhenBusy(() => this.claims.deleteMany({ tenant, taskId }));
  }
}
