import { isAdmin, type Caller } from '../auth/claims';
import type { ExecutionRecord } from './execution-record';
import type { SharingTask } from './schemas';

/** Who a caller is to a task: a manager (its owner or an admin) changes it; a recipient only reads what it receives. */
export type TaskAudience = 'manager' | 'recipient';

const sameAddress = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();

export function audienceOf(caller: Caller, task: SharingTask): TaskAudience | undefined {
  if (isAdmin(caller) || task.owner === caller.userId) return 'manager';
  const recipients = task.recipients;
  const named =
    (recipients?.userIds ?? []).some((r) => r.value === caller.userId) ||
    (recipients?.emailAddresses ?? []).some((r) => sameAddress(r.value, caller.email));
  return named ? 'recipient' : undefined;
}

/**
 * The owner's own business, not shown to recipients: where else the files go, which connection
 * and list it uses, when the owner last viewed it, and why it last failed.
 */
const MANAGER_ONLY_FIELDS = [
  'sharePointFolder',
  'dataConnectionID',
  'distributionListId',
  'lastViewed',
  'statusLabel',
  'encryptedState',
  'encryptedTemplates',
  'encryptedEmailContent',
  'byokMigrationId',
] as const satisfies (keyof SharingTask)[];

/**
 * A task as one of its recipients sees it: the report, its schedule and status, and the
 * recipient's own entries only (no other recipient's address, id or group).
 */
export function recipientView(task: SharingTask, caller: Caller): SharingTask {
  const view: SharingTask = {
    ...task,
    recipients: {
      emailAddresses: task.recipients.emailAddresses.filter((r) => sameAddress(r.value, caller.email)),
      userIds: task.recipients.userIds.filter((r) => r.value === caller.userId).map(({ groups: _groups, ...own }) => own),
      groupIds: [],
    },
    taskErrors: [],
  };
  for (const field of MANAGER_ONLY_FIELDS) delete view[field];
  return view;
}

/** A run as a recipient sees it: the files and counts, and of the deliveries and errors only the recipient's own. */
export function recipientExecutionView(execution: ExecutionRecord, caller: Caller): ExecutionRecord {
  const mine = (recipient: string | undefined, channel: string | undefined) => channel === 'email' && sameAddress(recipient ?? '', caller.email);
  return {
    ...execution,
    recipients: execution.recipients.filter((delivery) => mine(delivery.recipient, delivery.channel)),
    errors: execution.errors.filter((error) => (error.recipient === undefined && error.channel === undefined) || mine(error.recipient, error.channel)),
  };
}
