import { isTenantAdmin, type Caller } from '../auth/claims';
import type { Clock } from '../clock';
import { errors } from '../errors';
import type { Stores } from '../store';
import type { Settings, SettingsPatch, SettingsPut } from './schemas';

export const DEFAULT_MAX_RECIPIENTS = 100;

const STATUS_FIELD = {
  'enable-report-subscription': ['reportSubscriptionStatus', 'reportSubscriptionStatusChangeTime'],
  'enable-reporting-template-subscription': ['reportingTemplateSubscriptionStatus', 'reportingTemplateSubscriptionStatusChangeTime'],
} as const;

/** A tenant's sharing settings, created with the defaults on first read; changed by tenant admins only. */
export class SettingsService {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
  ) {}

  get(tenant: string): Promise<Settings> {
    return this.stores.settings.getOrCreate(tenant, () => this.defaults(tenant));
  }

  async patch(caller: Caller, patch: SettingsPatch): Promise<void> {
    this.requireTenantAdmin(caller);
    const current = await this.get(caller.tenant);
    const now = this.clock.now().toISOString();
    const set: Record<string, unknown> = {};
    for (const { path, value } of patch) {
      const toggle = path.slice(1) as keyof typeof STATUS_FIELD | 'enable-sharing';
      set[toggle] = value;
      if (toggle !== 'enable-sharing' && current[toggle] !== value) {
        const [status, changeTime] = STATUS_FIELD[toggle];
        set[status] = 'none';
        set[changeTime] = now;
      }
    }
    await this.stores.settings.update(caller.tenant, set as Partial<Settings>);
  }

  async put(caller: Caller, body: SettingsPut): Promise<void> {
    this.requireTenantAdmin(caller);
    await this.get(caller.tenant);
    await this.stores.settings.update(caller.tenant, body as Partial<Settings>);
  }

  private requireTenantAdmin(caller: Caller): void {
    if (!isTenantAdmin(caller)) throw errors.forbidden('changing sharing settings needs the TenantAdmin role');
  }

  private defaults(tenant: string): Settings {
    const now = this.clock.now().toISOString();
    return {
      tenantId: tenant,
      maxRecipients: DEFAULT_MAX_RECIPIENTS,
      'enable-sharing': true,
      reportSubscriptionStatus: 'none',
      maxSubscriptionRecipients: DEFAULT_MAX_RECIPIENTS,
      'enable-report-subscription': true,
      'reporting-service-license-status': 'enabled',
      reportSubscriptionStatusChangeTime: now,
      reportingTemplateSubscriptionStatus: 'none',
      'enable-reporting-template-subscription': true,
      reportingTemplateSubscriptionStatusChangeTime: now,
    } as Settings;
  }
}
