import { FeatureStatusSchema, LicenseStatusSchema } from './enums';
import { z } from './zod';

/** A tenant's sharing settings, exactly as the reference returns them. */
export const SettingsSchema = z
  .object({
    tenantId: z.string(),
    maxRecipients: z.number().int().openapi({ description: 'maximum number of recipients of a sharing task' }),
    'enable-sharing': z.boolean().openapi({ description: 'whether the sharing endpoints are enabled' }),
    reportSubscriptionStatus: FeatureStatusSchema.openapi({ description: 'a tenant-wide enabling/disabling of report subscriptions in progress, or none' }),
    maxSubscriptionRecipients: z.number().int().openapi({ description: 'maximum recipients of a subscription (excluding the owner)' }),
    'enable-report-subscription': z.boolean(),
    'reporting-service-license-status': LicenseStatusSchema,
    reportSubscriptionStatusChangeTime: z.string().openapi({ description: 'UTC time of the last change of reportSubscriptionStatus' }),
    reportingTemplateSubscriptionStatus: FeatureStatusSchema,
    'enable-reporting-template-subscription': z.boolean(),
    reportingTemplateSubscriptionStatusChangeTime: z.string().openapi({ description: 'UTC time of the last change of reportingTemplateSubscriptionStatus' }),
  })
  .openapi('Settings');
export type Settings = z.infer<typeof SettingsSchema>;

export const SETTINGS_TOGGLES = ['enable-sharing', 'enable-report-subscription', 'enable-reporting-template-subscription'] as const;
type TogglePath = `/${(typeof SETTINGS_TOGGLES)[number]}`;

/** PATCH /sharing-tasks/settings: replace operations on the toggles (TenantAdmin). */
export const SettingsPatchSchema = z
  .array(
    z.object({
      op: z.literal('replace'),
      path: z.enum(SETTINGS_TOGGLES.map((toggle): TogglePath => `/${toggle}`) as [TogglePath, ...TogglePath[]]),
      value: z.boolean(),
    }),
  )
  .min(1)
  .max(10)
  .openapi('SettingsPatch');
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const MAX_RECIPIENTS_LIMIT = 1000;

/** PUT /sharing-tasks/settings (TenantAdmin). Strict: an unknown key is an error, not silently dropped. */
export const SettingsPutSchema = z
  .strictObject({
    'enable-sharing': z.boolean().optional(),
    maxRecipients: z.number().int().min(1).max(MAX_RECIPIENTS_LIMIT).optional(),
  })
  .openapi('SettingsPut');
export type SettingsPut = z.infer<typeof SettingsPutSchema>;
