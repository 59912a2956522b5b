import type { Collection, Db } from 'mongodb';
import { createIndexesOneByOne, isDuplicateKeyError, retryWhenBusy } from './mongo';

export type DeliveryChannel = 'email' | 'sharepoint';

export interface DeliveryEntry {
  _id: string;
  executionId: string;
  recipient: string;
  channel: DeliveryChannel;
  state: 'claimed' | 'delivered' | 'failed';
  claimedAt: Date;
  deliveredAt?: Date;
  error?: { code: string; message: string };
}

/**
 * One entry per (execution, recipient, channel). Claiming is an insert on that unique key, so
 * two attempts (a retried activity, a second worker) can never both send.
 */
export class DeliveryLedger {
  private readonly entries: Collection<DeliveryEntry>;

  constructor(db: Db) {
    this.entries = db.collection<DeliveryEntry>('deliveries');
  }

  async ensureIndexes(): Promise<void> {
    await createIndexesOneByOne(this.entries, [{ key: { executionId: 1 } }]);
  }

  static key(executionId: string, recipient: string, channel: DeliveryChannel): string {
    return `${executionId}|${channel}|${recipient.toLowerCase()}`;
  }

  /** Returns the fresh claim, or the entry an earlier attempt left. */
  async claim(
    executionId: string,
    recipient: string,
    channel: DeliveryChannel,
    now: Date,
  ): Promise<{ claimed: true } | { claimed: false; existing: DeliveryEntry }> {
    const entry: DeliveryEntry = {
      _id: DeliveryLedger.key(executionId, recipient, channel),
      executionId,
      recipient,
      channel,
      state: 'claimed',
      claimedAt: now,
    };
    try {
      await retryWhenBusy(() => this.entries.insertOne(entry));
      return { claimed: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.entries.findOne({ _id: entry._id });
      if (!existing) throw error;
      return { claimed: false, existing };
    }
  }

  async markDelivered(id: string, now: Date): Promise<void> {
    await retryWhenBusy(() => this.entries.updateOne({ _id: id }, { $set: { state: 'delivered', deliveredAt: now } }));
  }

  async markFailed(id: string, error: { code: string; message: string }): Promise<void> {
    await retryWhenBusy(() => this.entries.updateOne({ _id: id }, { $set: { state: 'failed', error } }));
  }

  async forExecution(executionId: string): Promise<DeliveryEntry[]> {
    return this.entries.find({ executionId }).toArray();
  }

  async deleteForExecutions(executionIds: string[]): Promise<void> {
    if (executionIds.length === 0) return;
    await retryWhenBusy(() => this.entries.deleteMany({ executionId: { $in: executionIds } }));
  }
}
