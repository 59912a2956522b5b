import { randomUUID } from 'node:crypto';
import { isTenantAdmin, type Caller } from '../auth/claims';
import type { Clock } from '../clock';
import { errors } from '../errors';
import type { Stores } from '../store';
import type { TaskWorkflows } from '../temporal/task-workflows';
import { FEATURE_STATUS_FIELDS, isSubscriptionFeature, statusWhileToggling, type SubscriptionFeature } from './feature-toggles';
import { describeCause } from './ordered-change';
import type { Settings, SettingsPatch, SettingsPut } from './schemas';

export const DEFAULT_MAX_RECIPIENTS = 100;

/** A tenant's sharing settings, created with the defaults on first read; changed by tenant admins only. */
export class SettingsService {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly workflows: TaskWorkflows,
  ) {}

  get(tenant: string): Promise<Settings> {
    return this.stores.settings.getOrCreate(tenant, () => this.defaults(tenant));
  }

  /**
   * Sets the toggles (the last operation on a path wins). A subscription feature turned off or on
   * shows `disabling`/`enabling` from now, and its workflow (featureToggleWorkflow) pauses or
   * resumes the tenant's tasks it governs and sets the status back to `none` when it has been
   * through all of them; this answers once that workflow is started. A feature set to the value it
   * has while its status is not `none` starts its workflow again (one that failed to start, a 503).
   */
  async patch(caller: Caller, patch: SettingsPatch): Promise<void> {
    this.requireTenantAdmin(caller);
    const current = await this.get(caller.tenant);
    const now = this.clock.now().toISOString();
    const wanted = new Map(patch.map(({ path, value }) => [path.slice(1), value] as const));
    const set: Record<string, unknown> = {};
    const toggleIds: Partial<Record<SubscriptionFeature, string>> = {};
    for (const [toggle, value] of wanted) {
      set[toggle] = value;
      if (!isSubscriptionFeature(toggle)) continue;
      const { status, changeTime } = FEATURE_STATUS_FIELDS[toggle];
      if (current[toggle] === value && current[status] === 'none') continue;
      set[status] = statusWhileToggling(value);
      set[changeTime] = now;
      toggleIds[toggle] = randomUUID();
    }
    await this.stores.settings.update(caller.tenant, set as Partial<Settings>, toggleIds);
    for (const feature of Object.keys(toggleIds) as SubscriptionFeature[]) {
      try {
        await this.workflows.startFeatureToggle({ tenant: caller.tenant, feature });
      } catch (error) {
        throw errors.unavailable(`the workflow engine cannot be reached: ${describeCause(error)}; ${feature} is saved, repeat the request to apply it to the tenant's tasks`);
      }
    }
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
