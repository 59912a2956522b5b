import type { TaskControl } from '../contract/task-workflow';
import type { SharingTask } from './schemas';

/** Whether the task's schedule fires, as the task shows it: enabled by its owner and by the system, not cancelled. */
export function isTaskEnabled(task: SharingTask): boolean {
  return task.enabledByUser && task.enabledBySystem && task.statusCode !== 'CANCELLED';
}

/**
 * What a task's workflow must know about the task: sent at start and with every change. A task
 * with a revision sends it, and the owner's enablement apart from the system's (the workflow owns
 * that one); a task stored before revisions is sent as older code sent it.
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
    enabled: task.enabledByUser && task.statusCode !== 'CANCELLED',
    revision: task.revision,
    ...(task.enabledBySystem ? {} : { systemDisabled: true }),
    ...(change.resumeSystemDisabled ? { resumeSystemDisabled: true } : {}),
    ...common,
  };
}
