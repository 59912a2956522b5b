import { LinkSchema } from './common';
import { ExecutionSortSchema, ExecutionStatusSchema, ExecutionTriggerSchema, TransportChannelSchema } from './enums';
import { atMostOneCursor, listResponseSchema, pagingQueryShape } from './paging';
import { z } from './zod';

const count = z.number().int().min(0);

export const ExecutionFileSchema = z
  .object({
    type: z.string().openapi({ description: 'the template subType rendered (pdf, image...)' }),
    fileID: z.string(),
    fileAlias: z.string().openapi({ description: 'selects the file in GET .../files/{fileAlias}' }),
    fileName: z.string().optional(),
    contentType: z.string().optional(),
    size: count.optional().openapi({ description: 'bytes' }),
    templateId: z.string().optional(),
  })
  .openapi('ExecutionFile');
export type ExecutionFile = z.infer<typeof ExecutionFileSchema>;

export const ExecutionErrorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    recipient: z.string().optional(),
    channel: z.string().optional(),
    timestamp: z.string(),
  })
  .openapi('ExecutionError');

export const DeliveryResultSchema = z
  .object({
    recipient: z.string(),
    channel: TransportChannelSchema,
    status: z.enum(['delivered', 'failed', 'skipped']).openapi({ description: 'skipped: not attempted (disabled, unknown user or group, over maxRecipients); error says why' }),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('DeliveryResult');

/** One run of a task: what it served, when it ran, the files it rendered and what it delivered. */
export const ExecutionSchema = z
  .object({
    id: z.string(),
    sharingTaskId: z.string(),
    tenant: z.string(),
    status: ExecutionStatusSchema,
    trigger: ExecutionTriggerSchema,
    eventTime: z.string().openapi({ description: 'the occurrence (or request) this run serves' }),
    missedOccurrences: count.optional().openapi({ description: 'catch-up runs: how many occurrences it stands for' }),
    reloadId: z.string().optional(),
    reloadTime: z.string().optional(),
    startTime: z.string(),
    endTime: z.string().optional(),
    failedTime: z.string().optional(),
    cancelledTime: z.string().optional(),
    files: z.array(ExecutionFileSchema),
    totalCount: count.openapi({ description: 'e-mail deliveries attempted' }),
    successCount: count,
    failedCount: count,
    cancelledCount: count,
    totalUploadCount: count.optional().openapi({ description: 'SharePoint uploads attempted' }),
    successUploadCount: count.optional(),
    failedUploadCount: count.optional(),
    errors: z.array(ExecutionErrorSchema),
    recipients: z.array(DeliveryResultSchema),
    workflowID: z.string().optional().openapi({ description: 'the Temporal workflow of this run' }),
    links: z.object({ self: LinkSchema }).optional(),
  })
  .openapi('Execution');
export type Execution = z.infer<typeof ExecutionSchema>;

export const MAX_EXECUTION_PAGE_SIZE = 200;

/** GET /sharing-tasks/{taskId}/executions query. */
export const ExecutionListQuerySchema = z
  .object({
    sort: ExecutionSortSchema.optional(),
    status: z.enum(['successful', 'failed']).optional(),
    ...pagingQueryShape(MAX_EXECUTION_PAGE_SIZE),
  })
  .superRefine(atMostOneCursor);
export type ExecutionListQuery = z.infer<typeof ExecutionListQuerySchema>;

/** GET .../executions/{executionId} query: with `latest`, the latest run of this status. */
export const ExecutionGetQuerySchema = z.object({ status: z.enum(['successful', 'failed', 'cancelled']).optional() });
export type ExecutionGetQuery = z.infer<typeof ExecutionGetQuerySchema>;

export const ExecutionListResponseSchema = listResponseSchema('executions', ExecutionSchema).openapi('ExecutionList');
export type ExecutionListResponse = z.infer<typeof ExecutionListResponseSchema>;
