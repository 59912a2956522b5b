/**
 * Turns what a due burst left behind (executions in MongoDB, mails at the sink, workflow
 * histories) into per-task outcomes: duplicates, misses, lateness and where the lateness came from.
 */
import type { CreatedTask } from './api';
import type { ReceivedMail } from './smtp-sink';
import { distribution, roundDistribution, type Distribution } from './stats';
import { EventType, eventTimeMs, type HistoryEvent, type TemporalProbe } from './temporal';

export interface ExecutionDoc {
  _id: string;
  sharingTaskId: string;
  status: string;
  trigger: string;
  eventTime: string;
  startTime: string;
  endTime?: string;
  files?: { fileID: string }[];
  /** When its first file was stored (GridFS uploadDate): rendering, wherever it ran, was over. */
  firstFileStoredAt?: Date;
}

export interface Outcomes {
  tasks: number;
  /** Tasks with more than one run (not counting skipped records) for the occurrence. */
  duplicateRuns: number;
  /** Tasks with no run for the occurrence. */
  missedRuns: number;
  /** Executions of the benchmark's tasks for any other event (none expected). */
  otherExecutions: number;
  /** Recipients (one per task) that got more than one mail / none. */
  duplicateMails: number;
  missedMails: number;
  byStatus: Record<string, number>;
  byTrigger: Record<string, number>;
}

/** Seconds after the due instant, per run of the occurrence (the first run of each task). */
export interface RunLateness {
  startSeconds: number[];
  firstFileSeconds: number[];
  endSeconds: number[];
}

export function recipientOf(index: number): string {
  return `task-${index}@bench.local`;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export function outcomesOf(created: CreatedTask[], executions: ExecutionDoc[], mails: ReceivedMail[], dueIso: string): Outcomes {
  const ours = new Set(created.map((task) => task.id));
  const forDue = executions.filter((e) => ours.has(e.sharingTaskId) && e.eventTime === dueIso && e.status !== 'invalid');
  const runsPerTask = countBy(forDue, (e) => e.sharingTaskId);
  const mailsPerRecipient = countBy(mails, (m) => m.recipient);
  return {
    tasks: created.length,
    duplicateRuns: created.filter((task) => (runsPerTask[task.id] ?? 0) > 1).length,
    missedRuns: created.filter((task) => (runsPerTask[task.id] ?? 0) === 0).length,
    otherExecutions: executions.filter((e) => ours.has(e.sharingTaskId) && !forDue.includes(e)).length,
    duplicateMails: created.filter((task) => (mailsPerRecipient[recipientOf(task.index)] ?? 0) > 1).length,
    missedMails: created.filter((task) => (mailsPerRecipient[recipientOf(task.index)] ?? 0) === 0).length,
    byStatus: countBy(forDue, (e) => e.status),
    byTrigger: countBy(forDue, (e) => e.trigger),
  };
}

export function latenessOf(executions: ExecutionDoc[], dueIso: string): RunLateness {
  const due = Date.parse(dueIso);
  const runs = executions.filter((e) => e.eventTime === dueIso && e.status !== 'invalid');
  return {
    startSeconds: runs.map((e) => (Date.parse(e.startTime) - due) / 1000),
    firstFileSeconds: runs.filter((e) => e.firstFileStoredAt).map((e) => (e.firstFileStoredAt!.getTime() - due) / 1000),
    endSeconds: runs.filter((e) => e.endTime).map((e) => (Date.parse(e.endTime!) - due) / 1000),
  };
}

/** One task workflow around the due instant, in milliseconds after it. */
interface ParentTimeline {
  timerFiredMs?: number;
  /** Timer fired → the workflow task that handles it starts on a worker (queueing). */
  pickupMs?: number;
  childStartedMs?: number;
  childStarts: number;
  workflowTaskTimeouts: number;
  childWorkflowId?: string;
}

interface ChildTimeline {
  durationMs?: number;
  /** Scheduled → completed of each activity, by activity type (queueing, retries and work). */
  activityMs: Record<string, number>;
  workflowTaskTimeouts: number;
  /** Sum over the run's workflow tasks of scheduled → started (time spent waiting for a worker). */
  workflowTaskWaitMs: number;
  /** Sum over the run's activities of scheduled → started. */
  activityWaitMs: number;
}

const isType = (type: EventType) => (event: HistoryEvent) => event.eventType === type;

/** Sum of (started − scheduled) for the started events of one kind, matched by scheduledEventId. */
function queueWaitMs(events: HistoryEvent[], startedType: EventType, scheduledIdOf: (event: HistoryEvent) => unknown): number {
  const timeById = new Map(events.map((event) => [String(event.eventId), eventTimeMs(event)]));
  return events
    .filter(isType(startedType))
    .reduce((sum, event) => sum + Math.max(0, eventTimeMs(event) - (timeById.get(String(scheduledIdOf(event))) ?? eventTimeMs(event))), 0);
}

function parentTimeline(events: HistoryEvent[], due: number): ParentTimeline {
  const after = events.filter((event) => eventTimeMs(event) >= due - 1_000);
  const fired = after.find(isType(EventType.EVENT_TYPE_TIMER_FIRED));
  const pickup = fired && after.find((event) => isType(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)(event) && eventTimeMs(event) >= eventTimeMs(fired));
  const initiated = after.find(isType(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED));
  const childStarted = after.filter(isType(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED));
  return {
    timerFiredMs: fired && eventTimeMs(fired) - due,
    pickupMs: fired && pickup ? eventTimeMs(pickup) - eventTimeMs(fired) : undefined,
    childStartedMs: childStarted[0] && eventTimeMs(childStarted[0]) - due,
    childStarts: childStarted.length,
    workflowTaskTimeouts: after.filter(isType(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)).length,
    childWorkflowId: initiated?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? undefined,
  };
}

/** The activity type of a local activity's marker (the SDK core's marker data, JSON). */
function localActivityType(event: HistoryEvent): string | undefined {
  const payload = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0];
  if (!payload?.data) return undefined;
  return (JSON.parse(Buffer.from(payload.data).toString('utf8')) as { activity_type?: string }).activity_type;
}

/**
 * Scheduled → completed per activity type (a type that runs several times in a run is summed).
 * A local activity runs inside a workflow task, so its marker counts from that task's start:
 * `<type> (local)`.
 */
function activityDurations(events: HistoryEvent[]): Record<string, number> {
  const scheduled = new Map(
    events
      .filter(isType(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
      .map((e) => [String(e.eventId), { at: eventTimeMs(e), type: e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?' }]),
  );
  const durations: Record<string, number> = {};
  for (const done of events.filter(isType(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED))) {
    const from = scheduled.get(String(done.activityTaskCompletedEventAttributes?.scheduledEventId));
    if (from) durations[from.type] = (durations[from.type] ?? 0) + eventTimeMs(done) - from.at;
  }
  let taskStartedAt: number | undefined;
  for (const event of events) {
    if (isType(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)(event)) taskStartedAt = eventTimeMs(event);
    const local = isType(EventType.EVENT_TYPE_MARKER_RECORDED)(event) ? localActivityType(event) : undefined;
    if (local && taskStartedAt !== undefined) {
      durations[`${local} (local)`] = (durations[`${local} (local)`] ?? 0) + eventTimeMs(event) - taskStartedAt;
    }
  }
  return durations;
}

function childTimeline(events: HistoryEvent[]): ChildTimeline {
  const first = events[0];
  const last = events[events.length - 1];
  const closed = last && last.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED;
  return {
    durationMs: first && closed ? eventTimeMs(last) - eventTimeMs(first) : undefined,
    activityMs: activityDurations(events),
    workflowTaskTimeouts: events.filter(isType(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)).length,
    workflowTaskWaitMs: queueWaitMs(events, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, (e) => e.workflowTaskStartedEventAttributes?.scheduledEventId),
    activityWaitMs: queueWaitMs(events, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, (e) => e.activityTaskStartedEventAttributes?.scheduledEventId),
  };
}

export interface EngineBreakdown {
  histories: number;
  /** Seconds after the due instant. */
  timerFired: Distribution;
  childStarted: Distribution;
  /** Seconds. */
  parentPickup: Distribution;
  childDuration: Distribution;
  childWorkflowTaskWait: Distribution;
  childActivityWait: Distribution;
  /** Seconds from scheduling to completion, per activity type. */
  activities: Record<string, Distribution>;
  /** Workflow tasks that timed out (sticky schedule-to-start) in task workflows / runs. */
  parentWorkflowTaskTimeouts: number;
  childWorkflowTaskTimeouts: number;
  /** Task workflows that started more than one child for the occurrence / none. */
  duplicateChildren: number;
  missingChildren: number;
}

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

const seconds = (values: (number | undefined)[]) =>
  roundDistribution(distribution(values.filter((v): v is number => v !== undefined).map((ms) => ms / 1000)));

/** Reads every task workflow's and run's history: where each run's lateness came from. */
export async function engineBreakdown(probe: TemporalProbe, workflowIds: string[], due: number): Promise<EngineBreakdown> {
  const parents = await mapLimited(workflowIds, 8, async (id) => parentTimeline(await probe.history(id), due));
  const childIds = parents.flatMap((p) => (p.childWorkflowId ? [p.childWorkflowId] : []));
  const children = await mapLimited(childIds, 8, async (id) => childTimeline(await probe.history(id)));
  return {
    histories: parents.length + children.length,
    timerFired: seconds(parents.map((p) => p.timerFiredMs)),
    childStarted: seconds(parents.map((p) => p.childStartedMs)),
    parentPickup: seconds(parents.map((p) => p.pickupMs)),
    childDuration: seconds(children.map((c) => c.durationMs)),
    childWorkflowTaskWait: seconds(children.map((c) => c.workflowTaskWaitMs)),
    childActivityWait: seconds(children.map((c) => c.activityWaitMs)),
    activities: Object.fromEntries(
      [...new Set(children.flatMap((c) => Object.keys(c.activityMs)))].map((type) => [type, seconds(children.map((c) => c.activityMs[type]))]),
    ),
    parentWorkflowTaskTimeouts: parents.reduce((sum, p) => sum + p.workflowTaskTimeouts, 0),
    childWorkflowTaskTimeouts: children.reduce((sum, c) => sum + c.workflowTaskTimeouts, 0),
    duplicateChildren: parents.filter((p) => p.childStarts > 1).length,
    missingChildren: parents.filter((p) => p.childStarts === 0).length,
  };
}
