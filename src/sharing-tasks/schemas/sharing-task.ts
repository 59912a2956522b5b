import { Instant, JsonObject, Link, LocalDateTime, State } from './common';
import { ExecutionHistoryInterval, TaskSubType, TaskType, TransportChannel } from './enums';
import { PersistedRecipients, RecipientsRequest } from './recipients';
import { Template } from './template';
import { z } from './zod';

export const ScheduleOptionsRequest = z
  .object({
    timezone: z.string().optional().openapi({ example: 'Europe/Paris', description: 'IANA zone; default: the caller\'s (token), else UTC' }),
    recurrence: z.array(z.string().min(1).max(1000)).openapi({ example: ['RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0'] }),
    startDateTime: LocalDateTime.optional(),
    endDateTime: LocalDateTime.optional(),
  })
  .openapi('ScheduleOptionsRequest');
export type ScheduleOptionsRequest = z.infer<typeof ScheduleOptionsRequest>;

const Trigger = z.object({
  recurrence: z.array(z.string()).optional(),
  executeOnAppReload: z.boolean().optional(),
  executionHistoryInterval: ExecutionHistoryInterval.optional(),
});

export const EmailContent = z.object({ subject: z.string().max(998).optional(), body: z.string().max(100_000).optional() });
export type EmailContent = z.infer<typeof EmailContent>;

const RetentionPolicy = z.object({
  historySize: z.number().int().min(1).max(1000).optional(),
  overrideInterval: z.string().max(200).optional(),
});

/**
 * The reference's create request. Unknown and read-only fields (id, tenant, owner, statusCode,
 * counters, chronosJobID …) are dropped, never stored: a client may send back what it read.
 */
export const SharingTaskCreateRequest = z
  .object({
    name: z.string().trim().min(1).max(256),
    type: TaskType,
    templates: z.array(Template).min(1).max(50),
    recipients: RecipientsRequest,
    transportChannels: z.array(TransportChannel).min(1),
    tags: z.array(z.string().max(100)).max(50).optional(),
    state: State.optional(),
    appName: z.string().optional(),
    enabled: z.boolean().optional(),
    message: z.string().max(10_000).optional(),
    spaceId: z.string().optional(),
    subType: TaskSubType.optional(),
    trigger: Trigger.optional(),
    startTime: Instant.optional(),
    expiration: Instant.optional(),
    description: z.string().max(10_000).optional(),
    emailContent: EmailContent.optional(),
    retentionPolicy: RetentionPolicy.optional(),
    scheduleOptions: ScheduleOptionsRequest.optional(),
    dataConnectionID: z.string().optional(),
    sharePointFolder: z.string().max(1000).optional(),
    executeOnCreation: z.boolean().optional(),
    distributionListId: z.string().optional(),
    bookmarkId: z.string().optional(),
  })
  .superRefine((task, context) => {
    const { emailAddresses = [], userIds = [], groupIds = [] } = task.recipients;
    if (emailAddresses.length + userIds.length + groupIds.length === 0) {
      context.addIssue({ code: 'custom', path: ['recipients'], message: 'needs at least one recipient', params: { rule: 'NO_RECIPIENTS' } });
    }
    if (task.transportChannels.includes('sharepoint') && !task.sharePointFolder) {
      context.addIssue({ code: 'custom', path: ['sharePointFolder'], message: 'is required with the sharepoint channel', params: { rule: 'required' } });
    }
  })
  .openapi('SharingTaskCreateRequest');

export type SharingTaskCreateRequest = z.infer<typeof SharingTaskCreateRequest>;

export const ScheduleOptions = ScheduleOptionsRequest.extend({
  timezone: z.string(),
  chronosJobID: z.string().optional(),
  lastExecutionTime: z.string().optional(),
  nextExecutionTime: z.string().optional(),
}).openapi('ScheduleOptions');

/** The task as stored (and, with links and `enabled`, as returned). */
export const SharingTask = z
  .object({
    id: z.string(),
    tenant: z.string(),
    owner: z.string(),
    ownerName: z.string().optional(),
    createdBy: z.string(),
    updatedBy: z.string(),
    dateCreated: z.string(),
    lastUpdated: z.string(),
    appId: z.string().optional(),
    appName: z.string().optional(),
    name: z.string(),
    type: TaskType,
    templates: z.array(Template),
    recipients: PersistedRecipients,
    transportChannels: z.array(TransportChannel),
    tags: z.array(z.string()).optional(),
    state: State.optional(),
    message: z.string().optional(),
    spaceId: z.string().optional(),
    subType: TaskSubType.optional(),
    trigger: Trigger.optional(),
    startTime: z.string().optional(),
    expiration: z.string().optional(),
    description: z.string().optional(),
    emailContent: EmailContent.optional(),
    retentionPolicy: RetentionPolicy.optional(),
    scheduleOptions: ScheduleOptions.optional(),
    dataConnectionID: z.string().optional(),
    sharePointFolder: z.string().optional(),
    executeOnCreation: z.boolean(),
    distributionListId: z.string().optional(),
    bookmarkId: z.string().optional(),
    enabledByUser: z.boolean(),
    enabledBySystem: z.boolean(),
    statusCode: z.string(),
    statusLabel: z.string().optional(),
    taskErrors: z.array(z.object({ value: z.string(), timestamp: z.string() })),
    failedExecutionsCount: z.number().int(),
    lastRun: z.string().optional(),
    lastExecutionDate: z.string().optional(),
    nextScheduledRun: z.string().optional(),
    lastViewed: z.string().optional(),
    reportProperties: JsonObject.optional(),
  })
  .openapi('SharingTask');

export type SharingTask = z.infer<typeof SharingTask>;

export const SharingTaskResponse = SharingTask.extend({
  enabled: z.boolean(),
  links: z.object({ self: Link }),
  latestExecutionURL: z.string(),
  latestExecutionFilesURL: z.array(z.string()),
}).openapi('SharingTaskResponse');

export type SharingTaskResponse = z.infer<typeof SharingTaskResponse>;
