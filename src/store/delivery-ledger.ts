import type { Collection, Db } from 'mongodb';
import { createIndexesOneByOne, isDuplicateKeyError, retryWhenBusy } from './mongo';

export type DeliveryChannel = 'email' | 'sharepoint';

export interface DeliveryEntry {
  /** The delivery's key for its first claim (generation 0), `<key>#<generation>` for each takeover. */
  _id: string;
  /** `<execution>|<channel>|<recipient>`; absent on entries written before takeovers existed (their `_id` is the key). */
  key?: string;
  /** 0 for the first claim; absent means 0. The newest generation of a key is the delivery's state. */
  generation?: number;
  executionId: string;
  recipient: string;
  channel: DeliveryChannel;
  /** released: the holder gave the claim up without sending (a transient failure), the next attempt takes over at once. */
  state: 'claimed' | 'released' | 'delivered' | 'failed';
  claimedAt: Date;
  /**
   * Until when the holder may still be sending: another attempt takes the delivery over only after
   * it. Absent on entries written before leases existed, which count as expired.
   */
  leaseUntil?: Date;
  /** The activity attempt that claimed it. */
  attempt?: number;
  deliveredAt?: Date;
  error?: { code: string; message: string };
}

/** Who claims, when, and how long its send may take from then (the lease). */
export interface Claimant {
  attempt: number;
  now: Date;
  leaseMs: number;
}

/** The caller's own claim now, or the newest entry of the delivery, which someone else holds or settled. */
export type Claim = { claimed: true; entry: DeliveryEntry } | { claimed: false; current: DeliveryEntry };

/**
 * One ledger of deliveries, keyed by (execution, channel, recipient). Every claim is an insert on a
 * unique `_id` (FerretDB's conditional updates are not atomic): the first on the key itself, each
 * takeover of an expired or released claim on the key's next generation, so of two attempts that
 * claim or take over at once exactly one wins.
 */
export class DeliveryLedger {
  private readonly entries: Collection<DeliveryEntry>;

  constructor(db: Db) {
    this.entries = db.collection<DeliveryEntry>('deliveries');
  }

  async ensureIndexes(): Promise<void> {
    await createIndexesOneByOne(this.entries, [{ key: { executionId: 1 } }, { key: { key: 1 } }]);
  }

  static key(executionId: string, recipient: string, channel: DeliveryChannel): string {
    return `${executionId}|${channel}|${recipient.toLowerCase()}`;
  }

  /** The first claim of a delivery; when it exists already, the newest entry of the delivery. */
  async claim(executionId: string, recipient: string, channel: DeliveryChannel, claimant: Claimant): Promise<Claim> {
    const key = DeliveryLedger.key(executionId, recipient, channel);
    return this.insertClaim({ _id: key, key, generation: 0, executionId, recipient, channel, ...this.claimOf(claimant) });
  }

  /** Claims the generation after `current` (expired or released); when another attempt won it, the newest entry. */
  async takeOver(current: DeliveryEntry, claimant: Claimant): Promise<Claim> {
    const key = keyOf(current);
    const generation = (current.generation ?? 0) + 1;
    const { executionId, recipient, channel } = current;
    return this.insertClaim({ _id: `${key}#${generation}`, key, generation, executionId, recipient, channel, ...this.claimOf(claimant) });
  }

  /** The newest generation of the delivery `key`. */
  async current(key: string): Promise<DeliveryEntry | undefined> {
    const [newest] = await this.entries.find({ key }).sort({ generation: -1 }).limit(1).toArray();
    return newest ?? (await this.entries.findOne({ _id: key })) ?? undefined;
  }

  async markDelivered(id: string, now: Date): Promise<void> {
    await retryWhenBusy(() => this.entries.updateOne({ _id: id }, { $set: { state: 'delivered', deliveredAt: now } }));
  }

  async markFailed(id: string, error: { code: string; message: string }): Promise<void> {
    await retryWhenBusy(() => this.entries.updateOne({ _id: id }, { $set: { state: 'failed', error } }));
  }

  /** The holder will not send under this claim (only it writes its entry): the next attempt need not wait for its lease. */
  async release(id: string): Promise<void> {
    await retryWhenBusy(() => this.entries.updateOne({ _id: id }, { $set: { state: 'released' } }));
  }

  /** Each delivery of the execution as its newest generation says. */
  async forExecution(executionId: string): Promise<DeliveryEntry[]> {
    const newest = new Map<string, DeliveryEntry>();
    for (const entry of await this.entries.find({ executionId }).toArray()) {
      const seen = newest.get(keyOf(entry));
      if (!seen || (seen.generation ?? 0) < (entry.generation ?? 0)) newest.set(keyOf(entry), entry);
    }
    return [...newest.values()];
  }

  /** Every generation of every delivery of these executions. */
  async deleteForExecutions(executionIds: string[]): Promise<void> {
    if (executionIds.length === 0) return;
    await retryWhenBusy(() => this.entries.deleteMany({ executionId: { $in: executionIds } }));
  }

  private claimOf({ attempt, now, leaseMs }: Claimant): Pick<DeliveryEntry, 'state' | 'claimedAt' | 'leaseUntil' | 'attempt'> {
    return { state: 'claimed', claimedAt: now, leaseUntil: new Date(now.getTime() + leaseMs), attempt };
  }

  private async insertClaim(entry: DeliveryEntry): Promise<Claim> {
    try {
      await retryWhenBusy(() => this.entries.insertOne(entry));
      return { claimed: true, entry };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const current = await this.current(entry.key!);
      if (!current) throw error;
      return { claimed: false, current };
    }
  }
}

function keyOf(entry: DeliveryEntry): string {
  return entry.key ?? entry._id;
}
