/**
 * What the Temporal server can tell about a run: task-queue backlog (DescribeTaskQueue with
 * stats) and workflow histories, for the lateness breakdown and workflow-task timeouts.
 */
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type EventType = temporal.api.enums.v1.EventType;
const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A protobuf int64 (Long) or number as a JS number. */
function toNumber(value: { toNumber(): number } | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** A protobuf Timestamp or Duration in milliseconds. */
export function protoMs(value: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined): number | undefined {
  if (!value) return undefined;
  return toNumber(value.seconds) * 1000 + Math.round((value.nanos ?? 0) / 1e6);
}

export interface BacklogSample {
  workflowBacklog: number;
  workflowBacklogAgeMs: number;
  activityBacklog: number;
  activityBacklogAgeMs: number;
  workflowDispatchRate: number;
  activityDispatchRate: number;
}

export class TemporalProbe {
  private constructor(
    readonly connection: Connection,
    private readonly namespace: string,
    private readonly taskQueue: string,
  ) {}

  static async connect(address: string, taskQueue: string, namespace = 'default'): Promise<TemporalProbe> {
    return new TemporalProbe(await Connection.connect({ address }), namespace, taskQueue);
  }

  private async queueStats(type: temporal.api.enums.v1.TaskQueueType) {
    const response = await this.connection.workflowService.describeTaskQueue({
      namespace: this.namespace,
      taskQueue: { name: this.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: type,
      reportStats: true,
    });
    const stats = response.stats;
    return {
      backlog: toNumber(stats?.approximateBacklogCount),
      ageMs: protoMs(stats?.approximateBacklogAge) ?? 0,
      dispatchRate: stats?.tasksDispatchRate ?? 0,
    };
  }

  /** The normal (non-sticky) queue's backlog: sticky queues are per worker and not listed by the server. */
  async backlog(): Promise<BacklogSample> {
    const [workflow, activity] = await Promise.all([
      this.queueStats(temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
      this.queueStats(temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
    ]);
    return {
      workflowBacklog: workflow.backlog,
      workflowBacklogAgeMs: workflow.ageMs,
      activityBacklog: activity.backlog,
      activityBacklogAgeMs: activity.ageMs,
      workflowDispatchRate: Math.round(workflow.dispatchRate * 10) / 10,
      activityDispatchRate: Math.round(activity.dispatchRate * 10) / 10,
    };
  }

  /** Every event of a workflow's current run (all pages). */
  async history(workflowId: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.connection.workflowService.getWorkflowExecutionHistory({
        namespace: this.namespace,
        execution: { workflowId },
        nextPageToken,
      });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return events;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export function eventTimeMs(event: HistoryEvent): number {
  return protoMs(event.eventTime) ?? Number.NaN;
}

export function isEvent(event: HistoryEvent, type: EventType): boolean {
  return event.eventType === type;
}

export { EventType, type HistoryEvent };
