import type { TaskControl } from '../contract/task-workflow';
import type { SharingTask } from './schemas';

/**
 * Whether the task's schedule fires, as the task shows it: enabled by its owner and by the system,
 * not paused by its tenant's feature toggle, not cancelled.
 */
export function isTaskEnabled(task: SharingTask): boolean {
  return isEnabledByOwnerAndFeature(task) && task.enabledBySystem;
}

/** The part of "enabled" the API decides: the owner's (PATCH /enabled, cancel) and the feature's (settings). */
function isEnabledByOwnerAndFeature(task: SharingTask): boolean {
  return task.enabledByUser && !task.pausedByFeature && task.statusCode !== 'CANCELLED';
}

/**
 * What a task's workflow must know about the task: sent at start and with every change. A task
 * with a revision sends it, and the owner's and feature's enablement apart from the system's (the
 * workflow owns that one); a task stored before revisions is sent as older code sent it. A pause by
 * the feature is one more reason for `enabled: false`: the workflow needs no other word for it.
 */
export function taskControlOf(task: SharingTask, change: { resumeSystemDisabled?: boolean } = {}): TaskControl {
  const schedule = task.scheduleOptions?.recurrence?.length
    ? {
        recurrence: task.scheduleOptions.recurrence,
        timezone: task.scheduleOptions.timezone ?? 'UTC',
        ...(task.scheduleOptions.startDateTime ? { startDateTime: task.scheduleOptions.startDateTime } : {}),
        ...(task.scheduleOptions.endDateTime ? { endDateTime: task.scheduleOptions.endDateTime } : {}),
      }
    : undefined;
  const common = {
    schedule,
    ...(task.expiration ? { expiration: task.expiration } : {}),
    executeOnAppReload: task.trigger?.executeOnAppReload ?? false,
  };
  if (task.revision === undefined) return { enabled: isTaskEnabled(task), ...common, recordedNextRun: task.nextScheduledRun ?? '' };
  return {
    enabled: isEnabledByOwnerAndFeature(task),
    revision: task.revision,
    ...(task.enabledBySystem ? {} : { systemDisabled: true }),
    ...(change.resumeSystemDisabled ? { resumeSystemDisabled: true } : {}),
    ...common,
  };
}
