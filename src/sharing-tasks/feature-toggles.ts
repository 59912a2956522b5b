import { TaskTypeSchema, type FeatureStatus, type Settings, type TaskType } from './schemas';

/**
 * The tenant's two subscription features and the tasks each governs: turning one off pauses every
 * task of its types (`pausedByFeature`), turning it on resumes them. Pure: read by the settings
 * PATCH, the create, the toggle's fan-out and the reconciler alike.
 */
export const SUBSCRIPTION_FEATURES = ['enable-report-subscription', 'enable-reporting-template-subscription'] as const;
export type SubscriptionFeature = (typeof SUBSCRIPTION_FEATURES)[number];

/** Template-sharing tasks are the reporting-template subscriptions; every other type is a report subscription. */
export function featureOf(taskType: TaskType): SubscriptionFeature {
  return taskType === 'template-sharing' ? 'enable-reporting-template-subscription' : 'enable-report-subscription';
}

/** The task types a feature governs. */
export function typesGovernedBy(feature: SubscriptionFeature): TaskType[] {
  return TaskTypeSchema.options.filter((type) => featureOf(type) === feature);
}

export function isSubscriptionFeature(toggle: string): toggle is SubscriptionFeature {
  return (SUBSCRIPTION_FEATURES as readonly string[]).includes(toggle);
}

/** Whether the tenant's settings let tasks of this type run. */
export function isFeatureOn(settings: Settings, taskType: TaskType): boolean {
  return settings[featureOf(taskType)];
}

/** The settings fields that show a feature's toggle in progress, and when that status last changed. */
export const FEATURE_STATUS_FIELDS = {
  'enable-report-subscription': { status: 'reportSubscriptionStatus', changeTime: 'reportSubscriptionStatusChangeTime' },
  'enable-reporting-template-subscription': { status: 'reportingTemplateSubscriptionStatus', changeTime: 'reportingTemplateSubscriptionStatusChangeTime' },
} as const satisfies Record<SubscriptionFeature, { status: keyof Settings; changeTime: keyof Settings }>;

/** The status a toggle to `enabled` shows while its workflow goes through the tasks. */
export function statusWhileToggling(enabled: boolean): FeatureStatus {
  return enabled ? 'enabling' : 'disabling';
}

/** One workflow per tenant and feature: a newer toggle of the same feature replaces the one running. */
export function featureToggleWorkflowId(tenant: string, feature: SubscriptionFeature): string {
  return `feature-toggle:${tenant}:${feature}`;
}

/** What the toggle workflow is started with; what it applies it reads from the settings when it starts. */
export interface FeatureToggleTarget {
  tenant: string;
  feature: SubscriptionFeature;
}

/** The toggle as the settings hold it when the workflow starts: the value to apply, and the id of that toggle. */
export interface FeatureToggleIntent {
  enabled: boolean;
  /** Absent for settings never toggled since toggles got ids. */
  toggleId?: string;
}

export interface FeatureTogglePage {
  /** The last task id of this page; undefined when every governed task of the tenant was seen. */
  nextAfterId?: string;
  seen: number;
  /** Tasks paused or resumed by this page (the others already were as the feature says). */
  changed: number;
  /** A newer toggle of the feature came: this one stopped, and leaves the status to the newer one. */
  superseded?: boolean;
}
