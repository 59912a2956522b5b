import { createHash } from 'node:crypto';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { isDuplicateKeyError, retryWhenBusy } from './mongo';

/** What the first request with a key answered, replayed to its repeats (the body as JSON text: BSON would refuse some keys). */
export interface IdempotentResponse {
  status: number;
  body?: string;
  location?: string;
}

export interface IdempotencyRecord {
  _id: string;
  tenant: string;
  userId: string;
  /** Hash of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  state: 'pending' | 'done';
  response?: IdempotentResponse;
  createdAt: Date;
  expiresAt: Date;
}

export interface IdempotencyScope {
  tenant: string;
  userId: string;
  key: string;
}

export type IdempotencyClaim = { claimed: true; id: string } | { claimed: false; existing: IdempotencyRecord };

/**
 * Idempotency-Key records, one per (tenant, user, key). Claiming is an insert on that unique
 * `_id` (FerretDB's conditional updates are not atomic), so of concurrent requests with one key
 * exactly one runs. Records expire: a TTL index removes them on MongoDB; FerretDB v1 has no TTL
 * indexes, so there an expired record is replaced when its key is claimed again, and
 * deleteExpired() sweeps the rest.
 */
export class IdempotencyStore {
  private readonly records: Collection<IdempotencyRecord>;

  constructor(db: Db) {
    this.records = db.collection<IdempotencyRecord>('idempotencyKeys');
  }

  async ensureIndexes(): Promise<void> {
    try {
      await this.records.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    } catch (error) {
      // FerretDB v1: `Index option "expireAfterSeconds" is not implemented yet`; the sweep does the job.
      if (!(error instanceof MongoServerError && /expireAfterSeconds/.test(error.message))) throw error;
      await this.records.createIndex({ expiresAt: 1 });
    }
  }

  static idOf(scope: IdempotencyScope): string {
    return createHash('sha256').update(JSON.stringify([scope.tenant, scope.userId, scope.key])).digest('hex');
  }

  async claim(scope: IdempotencyScope, fingerprint: string, now: Date, ttlSeconds: number): Promise<IdempotencyClaim> {
    const record: IdempotencyRecord = {
      _id: IdempotencyStore.idOf(scope),
      tenant: scope.tenant,
      userId: scope.userId,
      fingerprint,
      state: 'pending',
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await retryWhenBusy(() => this.records.insertOne(record));
        return { claimed: true, id: record._id };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await this.find(record._id);
      if (existing && (existing.expiresAt > now || attempt > 1)) return { claimed: false, existing };
      if (attempt >= 5) throw new Error(`idempotency record ${record._id} neither inserts nor reads back`);
      // Gone meanwhile (released), or expired: remove that very record and claim once more.
      if (existing) await retryWhenBusy(() => this.records.deleteOne({ _id: record._id, createdAt: existing.createdAt }));
    }
  }

  find(id: string): Promise<IdempotencyRecord | null> {
    return this.records.findOne({ _id: id });
  }

  async complete(id: string, response: IdempotentResponse): Promise<void> {
    await retryWhenBusy(() => this.records.updateOne({ _id: id }, { $set: { state: 'done', response } }));
  }

  /** Gives the key back (the request failed), so a repeat runs again instead of replaying an error. */
  async release(id: string): Promise<void> {
    await retryWhenBusy(() => this.records.deleteOne({ _id: id, state: 'pending' }));
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await retryWhenBusy(() => this.records.deleteMany({ expiresAt: { $lte: now } }));
    return result.deletedCount;
  }
}
