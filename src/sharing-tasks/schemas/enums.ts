import { z } from './zod';

/** The reference's enums, each a schema (validation, OpenAPI component) and a type of the same name. */

export const TaskTypeSchema = z.enum(['chart-monitoring', 'chart-sharing', 'sheet-sharing', 'template-sharing']).openapi('SharingTaskType');
export type TaskType = z.infer<typeof TaskTypeSchema>;

export const TaskSubTypeSchema = z.enum(['pdf', 'pptx', 'xlsx']).openapi('SharingTaskSubType', { description: 'mashup sub type of the task' });
export type TaskSubType = z.infer<typeof TaskSubTypeSchema>;

export const TemplateTypeSchema = z.enum(['file', 'chart', 'story', 'sheet', 'multi-sheet', 'excel']).openapi('TemplateType');
export type TemplateType = z.infer<typeof TemplateTypeSchema>;

export const TemplateSubTypeSchema = z
  .enum(['image', 'snapshot', 'pdf', 'pptx', 'xlsx'])
  .openapi('TemplateSubType', { description: 'the output format; `image` is PNG' });
export type TemplateSubType = z.infer<typeof TemplateSubTypeSchema>;

export const FileTimeStampSchema = z
  .enum(['yyyy-MM-dd', 'yyyy-MM-dd_HH-mm', 'yyyyMMdd', 'yyyyMMdd_HH-mm'])
  .openapi('FileTimeStamp', { description: 'timestamp appended to the generated file name' });
export type FileTimeStamp = z.infer<typeof FileTimeStampSchema>;

export const TransportChannelSchema = z.enum(['email', 'sharepoint']).openapi('TransportChannel');
export type TransportChannel = z.infer<typeof TransportChannelSchema>;

export const ExecutionHistoryIntervalSchema = z
  .enum(['minutely', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'])
  .openapi('ExecutionHistoryInterval');
export type ExecutionHistoryInterval = z.infer<typeof ExecutionHistoryIntervalSchema>;

export const ResizeTypeSchema = z.enum(['none', 'fit', 'autofit']).openapi('ResizeType');
export type ResizeType = z.infer<typeof ResizeTypeSchema>;

export const RoleSchema = z.enum(['owner', 'recipient']).openapi('SharingTaskRole', { description: 'the caller\'s relation to a task' });
export type Role = z.infer<typeof RoleSchema>;

export const ExecutionStatusSchema = z
  .enum(['initialized', 'in-progress', 'successful', 'failed', 'cancelling', 'cancelled', 'invalid'])
  .openapi('ExecutionStatus');
export type ExecutionStatus = z.infer<typeof ExecutionStatusSchema>;

export const ExecutionTriggerSchema = z
  .enum(['scheduled', 'execute-now', 'creation', 'app-reload', 'catch-up'])
  .openapi('ExecutionTrigger', { description: 'what started the run; `catch-up` is one run for occurrences missed while no worker ran' });
export type ExecutionTrigger = z.infer<typeof ExecutionTriggerSchema>;

export const MultiInsightStatusSchema = z.enum(['successful', 'failed']).openapi('MultiInsightStatus');
export type MultiInsightStatus = z.infer<typeof MultiInsightStatusSchema>;

/** `reportSubscriptionStatus` and `reportingTemplateSubscriptionStatus`: a tenant-wide toggle in progress. */
export const FeatureStatusSchema = z.enum(['none', 'enabling', 'disabling']).openapi('FeatureStatus');
export type FeatureStatus = z.infer<typeof FeatureStatusSchema>;

export const LicenseStatusSchema = z.enum(['enabled', 'disabled']).openapi('LicenseStatus');
export type LicenseStatus = z.infer<typeof LicenseStatusSchema>;

/**
 * Every value of `statusCode` and of `taskErrors[].value` this service writes: the reference's
 * (`CHART_NOT_FOUND`, `OWNER_DISABLED`, `DELETING` of `excludeDeleting`) and the product's.
 * Responses keep `statusCode` a plain string: clients must expect codes added later.
 */
export const TASK_STATUS_CODES = [
  'OK',
  'DELETING',
  'CANCELLED',
  'COMPLETED',
  'MAX_FAILURES_REACHED',
  'CHART_NOT_FOUND',
  'OWNER_DISABLED',
  'NO_RECIPIENTS',
  'EMAIL_DELIVERY_FAILURE',
  'PARTIAL_SENT',
  'FATAL_SENT_ERROR',
  'TEMPLATE_NOT_FOUND',
  'INVALID_SHAREPOINT_DIRECTORY',
  'GENERIC_FILE_UPLOAD_ERROR',
  'EXECUTION_TIME_OUT',
] as const;
export const TaskStatusCodeSchema = z.enum(TASK_STATUS_CODES).openapi('TaskStatusCode');
export type TaskStatusCode = z.infer<typeof TaskStatusCodeSchema>;

/** A sort parameter's values: each key bare (ascending), `+key` (ascending) or `-key` (descending). */
export function sortKeysSchema<const K extends string>(keys: readonly [K, ...K[]]) {
  const values = keys.flatMap((key) => [key, `+${key}`, `-${key}`] as const);
  return z.enum(values as [K | `+${K}` | `-${K}`, ...(K | `+${K}` | `-${K}`)[]]);
}

export const SHARING_TASK_SORT_KEYS = ['datecreated', 'name', 'ownername', 'enabled', 'status', 'type', 'sent', 'scheduled', 'appname', 'appid'] as const;
export const SharingTaskSortSchema = sortKeysSchema(SHARING_TASK_SORT_KEYS).openapi('SharingTaskSort');
export type SharingTaskSort = z.infer<typeof SharingTaskSortSchema>;

export const EXECUTION_SORT_KEYS = ['starttime'] as const;
export const ExecutionSortSchema = sortKeysSchema(EXECUTION_SORT_KEYS).openapi('ExecutionSort');
export type ExecutionSort = z.infer<typeof ExecutionSortSchema>;
