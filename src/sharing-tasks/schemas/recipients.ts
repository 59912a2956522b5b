import { jsonArray } from './free-form';
import { singleLine } from './text';
import { z } from './zod';

/** Per list; the tenant's maxRecipients (at most 1,000) limits them all together. */
const MAX_RECIPIENTS_PER_LIST = 1_000;

/** `{ value, ... }` (a recipient as a GET returns it) read as its value; anything else as given. */
const valueOf = (entry: unknown) => (typeof entry === 'object' && entry !== null && 'value' in entry ? entry.value : entry);

/**
 * A recipient entry: the create form (a plain string) or the persisted form (`{"value": ..., ...}`,
 * a GET echoed back), read as the string.
 */
function recipientEntry(schema: z.ZodType<string>, value: { description: string; format?: string; example: string }) {
  const text = { type: 'string' as const, ...(value.format ? { format: value.format } : {}) };
  return z.preprocess(valueOf, schema).openapi({
    description: `${value.description}; a recipient object as a GET returns it is read as its value`,
    oneOf: [text, { type: 'object', properties: { value: text }, required: ['value'] }],
    example: value.example,
  });
}

const EmailAddressSchema = recipientEntry(z.email().max(320), { description: 'e-mail address of an external recipient', format: 'email', example: 'alice@example.com' });
const RecipientIdSchema = recipientEntry(singleLine().min(1).max(200), { description: 'a user or group id', example: 'a1b2c3' });

/** The create form: e-mail addresses, user ids and group ids; at least one recipient is required (sharing-task.ts). */
export const RecipientsRequestSchema = z
  .object({
    emailAddresses: z.array(EmailAddressSchema).max(MAX_RECIPIENTS_PER_LIST).optional().openapi({ description: 'e-mail addresses of external recipients' }),
    userIds: z.array(RecipientIdSchema).max(MAX_RECIPIENTS_PER_LIST).optional().openapi({ description: 'internal recipients by user id' }),
    groupIds: z.array(RecipientIdSchema).max(MAX_RECIPIENTS_PER_LIST).optional().openapi({ description: 'internal recipients by group id' }),
    DLUsers: jsonArray().optional(),
    DLGroups: jsonArray().optional(),
  })
  .openapi('RecipientsRequest', { description: 'list of recipients; an internal recipient is represented by their user id' });
export type RecipientsRequest = z.infer<typeof RecipientsRequestSchema>;

/** A recipient's delivery problems, as the service records them. */
const RecipientErrorSchema = z.object({ value: z.string().optional(), timestamp: z.string().optional() }).loose();

export const EmailRecipientSchema = z
  .object({
    value: z.string().openapi({ description: 'e-mail of the recipient (external user)' }),
    enabled: z.boolean(),
    taskRecipientErrors: z.array(RecipientErrorSchema).optional(),
  })
  .openapi('EmailRecipient');

export const UserRecipientSchema = z
  .object({
    value: z.string().openapi({ description: 'user id of the recipient (internal user)' }),
    groups: z.array(z.string()).optional().openapi({ description: 'the groups it was added through; "addedIndividually" when added by id' }),
    subscribed: z.boolean().optional(),
    enabledByUser: z.boolean(),
    enabledBySystem: z.boolean(),
    taskRecipientErrors: z.array(RecipientErrorSchema).optional(),
    alertingTaskRecipientErrors: z.array(RecipientErrorSchema).optional(),
  })
  .openapi('UserRecipient');

export const GroupRecipientSchema = z
  .object({
    value: z.string().openapi({ description: 'group id of the recipient' }),
    enabledByUser: z.boolean(),
    enabledBySystem: z.boolean(),
    taskGroupRecipientErrors: z.array(RecipientErrorSchema).optional(),
    alertingTaskGroupRecipientErrors: z.array(RecipientErrorSchema).optional(),
  })
  .openapi('GroupRecipient');

/** The recipients as stored and returned. */
export const PersistedRecipientsSchema = z
  .object({
    emailAddresses: z.array(EmailRecipientSchema),
    userIds: z.array(UserRecipientSchema),
    groupIds: z.array(GroupRecipientSchema),
    DLUsers: z.array(z.unknown()).optional(),
    DLGroups: z.array(z.unknown()).optional(),
  })
  .openapi('Recipients');
export type PersistedRecipients = z.infer<typeof PersistedRecipientsSchema>;

/** How many recipients a create form names (what `maxRecipients` limits). */
export function recipientCount(recipients: Partial<Record<'emailAddresses' | 'userIds' | 'groupIds', unknown>>): number {
  return (['emailAddresses', 'userIds', 'groupIds'] as const).reduce((total, list) => {
    const entries = recipients[list];
    return total + (Array.isArray(entries) ? entries.length : 0);
  }, 0);
}
