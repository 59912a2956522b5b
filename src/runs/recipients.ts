import type { PersistedRecipients } from '../sharing-tasks/schemas';
import type { DirectoryStore, DirectoryUser } from '../store';

/** A recipient the run will not deliver to, and why (recorded in the execution). */
export interface SkippedRecipient {
  recipient: string;
  code: 'RECIPIENT_DISABLED' | 'USER_NOT_FOUND' | 'USER_WITHOUT_EMAIL' | 'GROUP_NOT_FOUND' | 'MAX_RECIPIENTS_EXCEEDED';
  message: string;
}

export interface RecipientPlan {
  /** Distinct e-mail addresses (case-insensitively), in the order the task names them. */
  emails: string[];
  skipped: SkippedRecipient[];
}

const isOn = (entry: { enabled?: boolean; enabledByUser?: boolean; enabledBySystem?: boolean }) =>
  entry.enabled !== false && entry.enabledByUser !== false && entry.enabledBySystem !== false;

/**
 * Turns a task's recipients into the e-mail addresses of one run: addresses as given, user ids
 * and group members through the tenant's directory. Disabled, unknown and address-less
 * recipients are skipped and reported; beyond `maxRecipients` (the tenant's limit) everyone is.
 */
export async function resolveRecipients(
  recipients: PersistedRecipients | undefined,
  directory: DirectoryStore,
  tenant: string,
  maxRecipients: number,
): Promise<RecipientPlan> {
  const skipped: SkippedRecipient[] = [];
  const named: string[] = [];
  const skip = (recipient: string, code: SkippedRecipient['code'], message: string) => skipped.push({ recipient, code, message });

  for (const address of recipients?.emailAddresses ?? []) {
    if (isOn(address)) named.push(address.value.trim());
    else skip(address.value, 'RECIPIENT_DISABLED', 'the recipient is disabled in the task');
  }

  const userEntries = (recipients?.userIds ?? []).filter((entry) => {
    if (!isOn(entry)) skip(entry.value, 'RECIPIENT_DISABLED', 'the user is disabled in the task');
    return isOn(entry);
  });
  const groupEntries = (recipients?.groupIds ?? []).filter((entry) => {
    if (!isOn(entry)) skip(entry.value, 'RECIPIENT_DISABLED', 'the group is disabled in the task');
    return isOn(entry);
  });
  const groups = await directory.findGroups(tenant, groupEntries.map((entry) => entry.value));
  for (const entry of groupEntries) {
    if (!groups.some((group) => group.id === entry.value)) skip(entry.value, 'GROUP_NOT_FOUND', `group ${entry.value} is not in the directory`);
  }
  const userIds = [...new Set([...userEntries.map((entry) => entry.value), ...groups.flatMap((group) => group.members)])];
  const users = new Map((await directory.findUsers(tenant, userIds)).map((user) => [user.id, user]));
  for (const id of userIds) {
    const address = userAddress(id, users.get(id), skip);
    if (address) named.push(address);
  }

  const distinct = [...new Map(named.map((address) => [address.toLowerCase(), address])).values()];
  for (const address of distinct.slice(maxRecipients)) {
    skip(address, 'MAX_RECIPIENTS_EXCEEDED', `the tenant allows at most ${maxRecipients} recipients per task`);
  }
  return { emails: distinct.slice(0, maxRecipients), skipped };
}

function userAddress(
  id: string,
  user: DirectoryUser | undefined,
  skip: (recipient: string, code: SkippedRecipient['code'], message: string) => void,
): string | undefined {
  if (!user) return void skip(id, 'USER_NOT_FOUND', `user ${id} is not in the directory`);
  if (!user.enabled) return void skip(id, 'RECIPIENT_DISABLED', `user ${id} is disabled in the directory`);
  if (!user.email) return void skip(id, 'USER_WITHOUT_EMAIL', `user ${id} has no e-mail address`);
  return user.email;
}
