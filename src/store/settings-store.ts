import type { Collection, Db, Filter } from 'mongodb';
import type { SubscriptionFeature } from '../sharing-tasks/feature-toggles';
import type { Settings } from '../sharing-tasks/schemas';
import { isDuplicateKeyError, retryWhenBusy } from './mongo';

/**
 * The settings as the API shows them, and the id of each feature's latest toggle (never shown):
 * a toggle's workflow marks its feature done only while its toggle is still the latest.
 */
type SettingsDocument = Settings & { _id: string; featureToggleIds?: Partial<Record<SubscriptionFeature, string>> };

/** A feature's value as the settings hold it, and the id of the toggle that set it. */
export interface StoredToggle {
  enabled: boolean;
  toggleId?: string;
}

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

  /** Sets these fields; `toggleIds` records a new latest toggle of each feature given. */
  async update(tenant: string, set: Partial<Settings>, toggleIds: Partial<Record<SubscriptionFeature, string>> = {}): Promise<void> {
    const ids = Object.fromEntries(Object.entries(toggleIds).map(([feature, id]) => [`featureToggleIds.${feature}`, id]));
    await retryWhenBusy(() => this.settings.updateOne({ _id: tenant } as Filter<SettingsDocument>, { $set: { ...set, ...ids } }));
  }

  async toggleOf(tenant: string, feature: SubscriptionFeature): Promise<StoredToggle | undefined> {
    const found = await this.settings.findOne({ _id: tenant } as Filter<SettingsDocument>);
    return found ? { enabled: found[feature], toggleId: found.featureToggleIds?.[feature] } : undefined;
  }

  /**
   * Sets these fields while `toggleId` is still the feature's latest toggle; false when a newer one
   * came. FerretDB applies the filter and the write as two steps: a toggle written between them is
   * overwritten by this `set` only until the newer toggle's own workflow ends (it sets them again).
   */
  async updateIfLatestToggle(tenant: string, feature: SubscriptionFeature, toggleId: string | undefined, set: Partial<Settings>): Promise<boolean> {
    const filter = { _id: tenant, [`featureToggleIds.${feature}`]: toggleId ?? { $exists: false } } as Filter<SettingsDocument>;
    const result = await retryWhenBusy(() => this.settings.updateOne(filter, { $set: set }));
    return result.matchedCount === 1;
  }
}

function strip({ _id, featureToggleIds: _toggles, ...settings }: SettingsDocument): Settings {
  return settings as Settings;
}
