import type { temporal } from '@temporalio/proto';

/** The activity type of a local activity's marker (the SDK core's marker data, JSON). */
export function localActivityType(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const payload = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0];
  return payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as { activity_type?: string }).activity_type : undefined;
}
