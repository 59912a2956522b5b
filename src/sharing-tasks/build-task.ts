import { DateTime } from 'luxon';
import type { Caller } from '../auth/claims';
import { taskWorkflowId } from '../contract/task-workflow';
import type { SharingTask, SharingTaskCreateRequest } from './schemas';

/** The app a task belongs to: the first template's app (the reference derives appId through the templates). */
export function appIdOf(templates: SharingTaskCreateRequest['templates']): string | undefined {
  for (const template of templates) {
    const source = template.chartData ?? template.sheetData ?? template.storyData ?? template.multiSheetData?.[0];
    if (source?.appId) return source.appId;
  }
  return undefined;
}

function persistedRecipients(recipients: SharingTaskCreateRequest['recipients'], previous?: SharingTask['recipients']) {
  const enabledBefore = new Map((previous?.emailAddresses ?? []).map((r) => [r.value.toLowerCase(), r.enabled]));
  return {
    emailAddresses: (recipients.emailAddresses ?? []).map((value) => ({
      value,
      enabled: enabledBefore.get(value.toLowerCase()) ?? true,
      taskRecipientErrors: [],
    })),
    userIds: (recipients.userIds ?? []).map((value) => ({
      value,
      groups: ['addedIndividually'],
      subscribed: true,
      enabledByUser: true,
      enabledBySystem: true,
    })),
    groupIds: (recipients.groupIds ?? []).map((value) => ({ value, enabledByUser: true, enabledBySystem: true })),
  };
}

/**
 * What a (validated) create request, or a patched task's editable view, becomes in storage.
 * An absent start means "now" in the task's zone (the reference), to the minute (so implicit BYSECOND is 0),
 * fixed once so the series never drifts.
 */
export function storedDefinition(
  request: SharingTaskCreateRequest,
  context: { tenant: string; taskId: string; now: Date; defaultTimezone: string; previous?: SharingTask },
): Partial<SharingTask> {
  const { enabled, recipients, scheduleOptions, executeOnCreation, ...rest } = request;
  const timezone = scheduleOptions?.timezone || context.defaultTimezone;
  const chronosJobID = taskWorkflowId(context.tenant, context.taskId);
  return {
    ...rest,
    appId: appIdOf(request.templates),
    enabledByUser: enabled ?? context.previous?.enabledByUser ?? true,
    executeOnCreation: executeOnCreation ?? false,
    recipients: persistedRecipients(recipients, context.previous?.recipients),
    scheduleOptions: {
      timezone,
      recurrence: scheduleOptions?.recurrence ?? [],
      ...(scheduleOptions?.recurrence?.length
        ? {
            startDateTime:
              scheduleOptions.startDateTime ||
              DateTime.fromJSDate(context.now, { zone: timezone }).startOf('minute').toFormat("yyyy-MM-dd'T'HH:mm:ss"),
          }
        : {}),
      ...(scheduleOptions?.endDateTime ? { endDateTime: scheduleOptions.endDateTime } : {}),
      chronosJobID,
    },
  } as Partial<SharingTask>;
}

/** The stored task for a validated create request: its definition plus everything the service derives. */
export function buildTask(
  request: SharingTaskCreateRequest,
  caller: Caller,
  context: { id: string; now: Date; defaultTimezone: string },
): SharingTask {
  const now = context.now.toISOString();
  return {
    ...storedDefinition(request, { tenant: caller.tenant, taskId: context.id, now: context.now, defaultTimezone: context.defaultTimezone }),
    id: context.id,
    tenant: caller.tenant,
    owner: caller.userId,
    ownerName: caller.userName ?? caller.userId,
    createdBy: caller.userId,
    updatedBy: caller.userId,
    dateCreated: now,
    lastUpdated: now,
    enabledBySystem: true,
    statusCode: 'OK',
    taskErrors: [],
    failedExecutionsCount: 0,
  } as SharingTask;
}
