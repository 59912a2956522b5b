import type { Collection, Db, Filter } from 'mongodb';
import type { Settings } from '../sharing-tasks/schemas';
import { isDuplicateKeyError, retryWhenBusy } from './mongo';

type SettingsDocument = Settings & { _id: string };

/** One settings document per tenant, created with the defaults on first read. */
export class SettingsStore {
  private readonly settings: Collection<SettingsDocument>;

  constructor(db: Db) {
    this.settings = db.collection<SettingsDocument>('settings');
  }

  async getOrCreate(tenant: string, defaults: () => Settings): Promise<Settings> {
    const found = await this.settings.findOne({ _id: tenant } as Filter<SettingsDocument>);
    if (found) return strip(found);
    const created = { _id: tenant, ...defaults() } as SettingsDocument;
    try {
      await retryWhenBusy(() => this.settings.insertOne(created));
      return strip(created);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return strip((await this.settings.findOne({ _id: tenant } as Filter<SettingsDocument>))!);
    }
  }

  /** The tenant's settings if they were ever read or written (a run must not create them). */
  async find(tenant: string): Promise<Settings | undefined> {
    const found = await this.settings.findOne({ _id: tenant } as Filter<SettingsDocument>);
    return found ? strip(found) : undefined;
  }

  async update(tenant: string, set: Partial<Settings>): Promise<void> {
    await retryWhenBusy(() => this.settings.updateOne({ _id: tenant } as Filter<SettingsDocument>, { $set: set }));
  }
}

function strip({ _id, ...settings }: SettingsDocument): Settings {
  return settings as Settings;
}
