import { Link } from './common';
import { ExecutionStatus, ExecutionTrigger, TransportChannel } from './enums';
import { z } from './zod';

export const ExecutionFile = z.object({
  type: z.string(),
  fileID: z.string(),
  fileAlias: z.string(),
  fileName: z.string().optional(),
  contentType: z.string().optional(),
  size: z.number().int().optional(),
  templateId: z.string().optional(),
});
export type ExecutionFile = z.infer<typeof ExecutionFile>;

const RunError = z.object({
  code: z.string(),
  message: z.string(),
  recipient: z.string().optional(),
  channel: z.string().optional(),
  timestamp: z.string(),
});

export const Execution = z
  .object({
    id: z.string(),
    sharingTaskId: z.string(),
    tenant: z.string(),
    status: ExecutionStatus,
    trigger: ExecutionTrigger,
    eventTime: z.string().openapi({ description: 'the occurrence (or request) this run serves' }),
    missedOccurrences: z.number().int().optional(),
    reloadId: z.string().optional(),
    reloadTime: z.string().optional(),
    startTime: z.string(),
    endTime: z.string().optional(),
    failedTime: z.string().optional(),
    cancelledTime: z.string().optional(),
    files: z.array(ExecutionFile),
    totalCount: z.number().int(),
    successCount: z.number().int(),
    failedCount: z.number().int(),
    cancelledCount: z.number().int(),
    totalUploadCount: z.number().int().optional(),
    successUploadCount: z.number().int().optional(),
    failedUploadCount: z.number().int().optional(),
    errors: z.array(RunError),
    recipients: z.array(
      z.object({ recipient: z.string(), channel: TransportChannel, status: z.enum(['delivered', 'failed']), error: z.object({ code: z.string(), message: z.string() }).optional() }),
    ),
    workflowID: z.string().optional(),
    links: z.object({ self: Link }).optional(),
  })
  .openapi('Execution');

export type Execution = z.infer<typeof Execution>;
