import { InstantSchema, JsonObjectSchema, LinkSchema, onEveryObject, StateSchema } from './common';
import { MultiInsightStatusSchema, TaskStatusCodeSchema, TaskSubTypeSchema, TaskTypeSchema, TransportChannelSchema } from './enums';
import { PersistedRecipientsSchema, RecipientsRequestSchema, recipientCount } from './recipients';
import { RetentionPolicySchema, ScheduleOptionsRequestSchema, ScheduleOptionsSchema, TriggerRequestSchema, TriggerSchema } from './schedule-options';
import { TemplateSchema } from './template';
import { jsonByteLength } from './free-form';
import { multiLine, singleLine } from './text';
import { z } from './zod';

export const EmailContentSchema = z
  .object({ subject: singleLine().max(998).optional(), body: multiLine().max(100_000).optional() })
  .openapi('EmailContent', { description: 'subject and body of the e-mail that carries the report' });
export type EmailContent = z.infer<typeof EmailContentSchema>;

/** `tags` also as one string (the reference's PATCH example replaces /tags with "new-tag"): a list of one. */
const TagsSchema = z
  .preprocess((tags) => (typeof tags === 'string' ? [tags] : tags), z.array(singleLine().min(1).max(100)).max(50))
  .openapi({ type: 'array', items: { type: 'string' }, description: 'collection buckets of the task; a single string is read as a list of one' });

/** What a client defines, with the same schema whether sent (create, PATCH) or stored. */
const definitionShape = {
  name: singleLine().trim().min(1).max(256),
  type: TaskTypeSchema,
  templates: z.array(TemplateSchema).min(1).max(50),
  tags: TagsSchema.optional(),
  state: StateSchema.optional(),
  appName: singleLine().max(1000).optional().openapi({ description: 'deprecated: name of the app of the templates', deprecated: true }),
  message: multiLine().max(10_000).optional(),
  spaceId: singleLine().max(1000).optional(),
  subType: TaskSubTypeSchema.optional(),
  startTime: InstantSchema.optional().openapi({ description: 'time to start capturing the history' }),
  expiration: InstantSchema.optional().openapi({ description: 'end of the task: no run after it; must be in the future when set' }),
  description: multiLine().max(10_000).optional(),
  emailContent: EmailContentSchema.optional(),
  retentionPolicy: RetentionPolicySchema.optional(),
  dataConnectionID: singleLine().max(1000).optional(),
  sharePointFolder: singleLine().max(1000).optional().openapi({ description: 'the SharePoint folder to upload to; required with the sharepoint channel' }),
  distributionListId: singleLine().max(1000).optional(),
  bookmarkId: singleLine().max(1000).optional().openapi({ description: 'bookmark applied before rendering (this service\'s extension)' }),
};

/** What one task may take as JSON (its definition as sent; the service adds ~2 kB). */
export const MAX_TASK_DOCUMENT_BYTES = 256 * 1024;

export interface DefinitionIssue {
  path: string[];
  message: string;
  rule: string;
  /** the fields the rule reads: a PATCH applies it when it changes one of them */
  dependsOn: string[];
}

/**
 * The rules across fields of a task definition (a create request, or a patched task's editable
 * view). They see the input as given, so they read it defensively.
 */
export function crossFieldIssues(task: Partial<Record<string, unknown>>): DefinitionIssue[] {
  const { recipients, transportChannels, sharePointFolder } = task;
  const issues: DefinitionIssue[] = [];
  if (typeof recipients === 'object' && recipients !== null && recipientCount(recipients) === 0) {
    issues.push({ path: ['recipients'], message: 'needs at least one recipient in emailAddresses, userIds or groupIds', rule: 'NO_RECIPIENTS', dependsOn: ['recipients'] });
  }
  if (Array.isArray(transportChannels) && transportChannels.includes('sharepoint') && (sharePointFolder === undefined || sharePointFolder === '')) {
    issues.push({ path: ['sharePointFolder'], message: 'is required with the sharepoint channel', rule: 'required', dependsOn: ['transportChannels', 'sharePointFolder'] });
  }
  return issues;
}

/**
 * The size budget of a task: its definition as JSON within MAX_TASK_DOCUMENT_BYTES, or an issue
 * naming its largest field (what to shrink). Measured without recursion: the value may be deep.
 */
export function documentSizeIssue(task: Record<string, unknown>): (DefinitionIssue & { bytes: number }) | undefined {
  const bytes = jsonByteLength(task);
  if (bytes <= MAX_TASK_DOCUMENT_BYTES) return undefined;
  const [largest, largestBytes] = Object.entries(task)
    .map(([key, value]) => [key, jsonByteLength(value)] as const)
    .reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    path: [largest],
    message: `makes the task ${bytes} bytes as JSON, over its budget of ${MAX_TASK_DOCUMENT_BYTES}; ${largest} takes ${largestBytes}`,
    rule: 'DOCUMENT_TOO_LARGE',
    dependsOn: Object.keys(task),
    bytes,
  };
}

/**
 * The reference's create request. Read-only and unknown fields (id, tenant, owner, statusCode,
 * counters, chronosJobID, lastExecutionTime...) are stripped, never stored: a client may send back
 * what it read. Shape rules only; the rules that need the clock or the tenant are validation.ts's.
 */
export const SharingTaskCreateRequestSchema = z
  .object({
    ...definitionShape,
    recipients: RecipientsRequestSchema,
    transportChannels: z.array(TransportChannelSchema).min(1).max(TransportChannelSchema.options.length).default(['email']),
    scheduleOptions: ScheduleOptionsRequestSchema.optional(),
    trigger: TriggerRequestSchema.optional(),
    enabled: z.boolean().optional().openapi({ description: 'enables the task (user level); default true' }),
    executeOnCreation: z.boolean().optional().openapi({ description: 'run once on creation, whatever the schedule' }),
  })
  .superRefine((task, context) => {
    const size = documentSizeIssue(task);
    for (const issue of [...crossFieldIssues(task), ...(size ? [size] : [])]) {
      context.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: { rule: issue.rule } });
    }
  }, onEveryObject)
  .openapi('SharingTaskCreateRequest', { description: `at most ${MAX_TASK_DOCUMENT_BYTES} bytes as JSON (rule DOCUMENT_TOO_LARGE)` });
/** A create request as parsed: defaults applied, recipients normalised to strings. */
export type SharingTaskCreate = z.output<typeof SharingTaskCreateRequestSchema>;
export type SharingTaskCreateRequest = SharingTaskCreate;

const EncryptedValueSchema = z.object({ value: z.unknown().optional(), cipher: z.string().optional() });

/** Fields of the reference's task that this service never sets; typed so clients see the full shape. */
const referenceOnlyShape = {
  templateId: z.string().optional(),
  insightID: z.string().optional(),
  thumbnail: z.string().optional(),
  selectionErrors: JsonObjectSchema.optional(),
  hasSectionAccess: z.boolean().optional(),
  insightDirectURL: z.string().optional(),
  insightFallbackURL: z.string().optional(),
  multiInsightURLs: z
    .array(
      z.object({
        status: MultiInsightStatusSchema.optional(),
        directURL: z.string().optional(),
        insightID: z.string().optional(),
        resourceID: z.string().optional(),
        templateID: z.string().optional(),
        fallbackURL: z.string().optional(),
      }),
    )
    .optional(),
  encryptedState: EncryptedValueSchema.optional(),
  encryptedTemplates: EncryptedValueSchema.optional(),
  encryptedEmailContent: z.object({ body: EncryptedValueSchema.optional(), subject: EncryptedValueSchema.optional() }).optional(),
  byokMigrationId: z.string().optional(),
  failedVerificationsCount: z.number().int().optional(),
  isCandidateForVerification: z.boolean().optional(),
  persistentBookmarkIncludeVariables: z.boolean().optional(),
};

/** The task as stored (what the `sharingTasks` collection holds). */
export const SharingTaskSchema = z
  .object({
    ...definitionShape,
    ...referenceOnlyShape,
    id: z.string(),
    tenant: z.string(),
    owner: z.string().openapi({ description: 'user id of the owner' }),
    ownerName: z.string().optional(),
    createdBy: z.string(),
    updatedBy: z.string(),
    dateCreated: z.string(),
    lastUpdated: z.string(),
    appId: z.string().optional().openapi({ description: 'the app of the first template' }),
    recipients: PersistedRecipientsSchema,
    transportChannels: z.array(TransportChannelSchema),
    scheduleOptions: ScheduleOptionsSchema.optional(),
    trigger: TriggerSchema.optional(),
    executeOnCreation: z.boolean(),
    enabledByUser: z.boolean().openapi({ description: 'enabled by its owner (PATCH /enabled, actions/cancel)' }),
    enabledBySystem: z.boolean().openapi({ description: 'enabled by the system (e.g. false while the owner is disabled)' }),
    pausedByFeature: z.boolean().optional().openapi({
      description: "paused because the tenant turned this task's subscription feature off (settings `enable-report-subscription`, or `enable-reporting-template-subscription` for template-sharing tasks); cleared when it is turned on again. Absent when not paused that way",
    }),
    statusCode: z.string().openapi({ description: `the task's status; one of ${TaskStatusCodeSchema.options.join(', ')}, or a code added later`, example: 'OK' }),
    statusLabel: z.string().optional().openapi({ description: 'message describing the underlying failure' }),
    taskErrors: z.array(z.object({ value: z.string().openapi({ example: 'OWNER_DISABLED' }), timestamp: z.string() })),
    failedExecutionsCount: z.number().int().openapi({ description: 'consecutive failed runs; reset by a run that reaches at least one recipient' }),
    lastRun: z.string().optional().openapi({ description: 'start of the last run' }),
    lastExecutionDate: z.string().optional().openapi({ description: 'end of the last run' }),
    nextScheduledRun: z.string().optional(),
    revision: z.number().int().optional().openapi({ description: 'counts the changes made to the task (create, PATCH, cancel); absent on tasks stored before revisions' }),
    appliedRevision: z.number().int().optional().openapi({ description: "the newest revision the task's workflow has applied" }),
    lastViewed: z.string().optional(),
    reportProperties: JsonObjectSchema.optional(),
  })
  .openapi('SharingTask');
export type SharingTask = z.infer<typeof SharingTaskSchema>;

/** A task as returned: the stored task plus links and the effective `enabled`. */
export const SharingTaskResponseSchema = SharingTaskSchema.extend({
  enabled: z.boolean().openapi({ description: 'enabledByUser && enabledBySystem, and not pausedByFeature' }),
  links: z.object({ self: LinkSchema }),
  latestExecutionURL: z.string().openapi({ description: 'URL of the latest execution of this task' }),
  latestExecutionFilesURL: z.array(z.string()).openapi({ description: 'URLs of the files of the latest execution' }),
}).openapi('SharingTaskResponse');
export type SharingTaskResponse = z.infer<typeof SharingTaskResponseSchema>;
