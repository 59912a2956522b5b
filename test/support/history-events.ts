import { tsToDate } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { runActivityId } from '../../src/contract/task-workflow';

/** The activity type of a local activity's marker (the SDK core's marker data, JSON). */
export function localActivityType(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const payload = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0];
  return payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as { activity_type?: string }).activity_type : undefined;
}

/** A run in its task workflow's history (its performRun activity, runActivityId): when it was dispatched, and whether it has ended. */
export function runActivityIn(history: temporal.api.history.v1.IHistory, triggerKey: string): { scheduledAt: Date; ended: boolean } | undefined {
  const events = history.events ?? [];
  const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityId === runActivityId(triggerKey));
  if (!scheduled) return undefined;
  const scheduledId = Number(scheduled.eventId);
  const ended = events.some((event) =>
    [
      event.activityTaskCompletedEventAttributes,
      event.activityTaskFailedEventAttributes,
      event.activityTaskCanceledEventAttributes,
      event.activityTaskTimedOutEventAttributes,
    ].some((attributes) => attributes && Number(attributes.scheduledEventId) === scheduledId),
  );
  return { scheduledAt: tsToDate(scheduled.eventTime!), ended };
}
