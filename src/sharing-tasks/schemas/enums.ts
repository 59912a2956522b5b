import { z } from './zod';

export const TaskType = z.enum(['chart-monitoring', 'chart-sharing', 'sheet-sharing', 'template-sharing']).openapi('SharingTaskType');
export const TaskSubType = z.enum(['pdf', 'pptx', 'xlsx']);
export const TemplateType = z.enum(['file', 'chart', 'story', 'sheet', 'multi-sheet', 'excel']);
export const TemplateSubType = z.enum(['image', 'snapshot', 'pdf', 'pptx', 'xlsx']);
export const FileTimeStamp = z.enum(['yyyy-MM-dd', 'yyyy-MM-dd_HH-mm', 'yyyyMMdd', 'yyyyMMdd_HH-mm']);
export const TransportChannel = z.enum(['email', 'sharepoint']);
export const ExecutionHistoryInterval = z.enum(['minutely', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly']);
export const ResizeType = z.enum(['none', 'fit', 'autofit']);
export const Role = z.enum(['owner', 'recipient']);
export const ExecutionStatus = z.enum(['initialized', 'in-progress', 'successful', 'failed', 'cancelling', 'cancelled', 'invalid']);
export const ExecutionTrigger = z.enum(['scheduled', 'catch-up', 'execute-now', 'creation', 'app-reload']);
export const FeatureStatus = z.enum(['none', 'enabling', 'disabling']);

export const SORT_KEYS = ['datecreated', 'name', 'ownername', 'enabled', 'status', 'type', 'sent', 'scheduled', 'appname', 'appid'] as const;
export const SortKey = z.enum(SORT_KEYS.flatMap((key) => [key, `+${key}`, `-${key}`]) as [string, ...string[]]);

/** The task's statusCode values this service writes (kept a plain string in responses: more may come). */
export const TASK_STATUS_CODES = [
  'OK', 'DELETING', 'CANCELLED', 'COMPLETED', 'MAX_FAILURES_REACHED', 'CHART_NOT_FOUND', 'OWNER_DISABLED',
  'NO_RECIPIENTS', 'EMAIL_DELIVERY_FAILURE', 'PARTIAL_SENT', 'FATAL_SENT_ERROR', 'TEMPLATE_NOT_FOUND',
  'INVALID_SHAREPOINT_DIRECTORY', 'GENERIC_FILE_UPLOAD_ERROR', 'EXECUTION_TIME_OUT',
] as const;
