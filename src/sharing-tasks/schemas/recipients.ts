import { z } from './zod';

/** userIds/groupIds arrive as ids or as the persisted `{value, ...}` objects (a GET echoed back). */
const IdOrObject = z.union([z.string().min(1), z.object({ value: z.string().min(1) }).loose()]).transform((id) => (typeof id === 'string' ? id : id.value));
const EmailOrObject = z.union([z.email(), z.object({ value: z.email() }).loose()]).transform((email) => (typeof email === 'string' ? email : email.value));

export const RecipientsRequest = z
  .object({
    emailAddresses: z.array(EmailOrObject).optional(),
    userIds: z.array(IdOrObject).optional(),
    groupIds: z.array(IdOrObject).optional(),
    DLUsers: z.array(z.unknown()).optional(),
    DLGroups: z.array(z.unknown()).optional(),
  })
  .openapi('RecipientsRequest');

const RecipientError = z.object({ value: z.string().optional(), timestamp: z.string().optional() }).loose();

export const PersistedRecipients = z
  .object({
    emailAddresses: z.array(z.object({ value: z.string(), enabled: z.boolean(), taskRecipientErrors: z.array(RecipientError).optional() })),
    userIds: z.array(
      z.object({
        value: z.string(),
        groups: z.array(z.string()).optional(),
        subscribed: z.boolean().optional(),
        enabledByUser: z.boolean(),
        enabledBySystem: z.boolean(),
        taskRecipientErrors: z.array(RecipientError).optional(),
      }),
    ),
    groupIds: z.array(z.object({ value: z.string(), enabledByUser: z.boolean(), enabledBySystem: z.boolean(), taskGroupRecipientErrors: z.array(RecipientError).optional() })),
    DLUsers: z.array(z.unknown()).optional(),
    DLGroups: z.array(z.unknown()).optional(),
  })
  .openapi('Recipients');

export type PersistedRecipients = z.infer<typeof PersistedRecipients>;
