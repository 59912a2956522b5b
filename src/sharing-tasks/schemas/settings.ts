import { FeatureStatus } from './enums';
import { z } from './zod';

export const Settings = z
  .object({
    tenantId: z.string(),
    maxRecipients: z.number().int(),
    'enable-sharing': z.boolean(),
    reportSubscriptionStatus: FeatureStatus,
    maxSubscriptionRecipients: z.number().int(),
    'enable-report-subscription': z.boolean(),
    'reporting-service-license-status': z.enum(['enabled', 'disabled']),
    reportSubscriptionStatusChangeTime: z.string(),
    reportingTemplateSubscriptionStatus: FeatureStatus,
    'enable-reporting-template-subscription': z.boolean(),
    reportingTemplateSubscriptionStatusChangeTime: z.string(),
  })
  .openapi('Settings');
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .array(
    z.object({
      op: z.literal('replace'),
      path: z.enum(['/enable-sharing', '/enable-report-subscription', '/enable-reporting-template-subscription']),
      value: z.boolean(),
    }),
  )
  .min(1)
  .max(10)
  .openapi('SettingsPatch');
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const SettingsPut = z
  .strictObject({ 'enable-sharing': z.boolean().optional(), maxRecipients: z.number().int().min(1).max(1000).optional() })
  .openapi('SettingsPut');
export type SettingsPut = z.infer<typeof SettingsPut>;
