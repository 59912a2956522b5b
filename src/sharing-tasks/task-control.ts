import type { TaskControl } from '../../workflows/definitions';
import type { SharingTask } from './schemas';

/** What a task's workflow must know about the task: sent at start and with every change. */
export function taskControlOf(task: SharingTask): TaskControl {
  const schedule = task.scheduleOptions?.recurrence?.length
    ? {
        recurrence: task.scheduleOptions.recurrence,
        timezone: task.scheduleOptions.timezone ?? 'UTC',
        ...(task.scheduleOptions.startDateTime ? { startDateTime: task.scheduleOptions.startDateTime } : {}),
        ...(task.scheduleOptions.endDateTime ? { endDateTime: task.scheduleOptions.endDateTime } : {}),
      }
    : undefined;
  return {
    enabled: task.enabledByUser && task.enabledBySystem && task.statusCode !== 'CANCELLED',
    schedule,
    ...(task.expiration ? { expiration: task.expiration } : {}),
    executeOnAppReload: task.trigger?.executeOnAppReload ?? false,
    recordedNextRun: task.nextScheduledRun ?? '',
  };
}
