/**
 * What the API and the task workflow exchange (workflow input, control signal, status query), as
 * types both sides import: the signals and queries themselves are defined once in
 * workflows/definitions.ts. Nothing here may do I/O: the workflow bundle includes it.
 */

export interface ScheduleSpec {
  recurrence: string[];
  timezone: string;
  startDateTime?: string;
  endDateTime?: string;
}

/** What the task workflow needs to know about its task; sent whole with every `taskUpdated`. */
export interface TaskControl {
  /**
   * With a revision: enabledByUser, not paused by the tenant's feature toggle, and not cancelled
   * (the system's disable is the workflow's own state, see systemDisabled). Without one (sent by
   * older code): also enabledBySystem.
   */
  enabled: boolean;
  /**
   * The task's revision this control describes (claimed once per change in the store). The workflow
   * applies a control only when it is newer than the one it holds; absent in older signals.
   */
  revision?: number;
  /** The task was disabled by the system (MAX_FAILURES_REACHED) when this was read: only for a workflow's start. */
  systemDisabled?: boolean;
  /** This change resumes a task the system disabled (PATCH /enabled true on a task shown MAX_FAILURES_REACHED). */
  resumeSystemDisabled?: boolean;
  schedule?: ScheduleSpec;
  /** ISO instant after which nothing fires. */
  expiration?: string;
  executeOnAppReload: boolean;
  /** Sent by older code only: the next run MongoDB held ('' for none). The workflow is now its one writer. */
  recordedNextRun?: string;
  /** The deployment's staging of scheduled runs (none: runs start at their instant), sent with every control. */
  staging?: StagingPolicy;
}

export interface StagingPolicy {
  minLeadMs: number;
  /** The smallest window the early starts of one instant spread over. */
  windowMs: number;
  /**
   * Runs the deployment stages per second: with it, the window grows with the runs due at the same
   * instant (counted ahead, see sizingLeadMs) so their early starts arrive at this rate.
   */
  ratePerSecond?: number;
  /** The largest window, however many runs share the instant. */
  maxWindowMs?: number;
}

export type TriggerKind = 'scheduled' | 'catch-up' | 'execute-now' | 'creation' | 'app-reload';

export interface RunTrigger {
  kind: TriggerKind;
  /** Unique per task: the occurrence instant, the request id, the reload id. Part of the run's ids. */
  key: string;
  /** The occurrence the run serves (the due time for scheduled runs, the request time otherwise). */
  eventTime: string;
  missedOccurrences?: number;
  reloadId?: string;
  reloadTime?: string;
  /**
   * A staged run (started ahead of its occurrence, see stagingLeadMs) holds in its worker until
   * this instant and then begins at once; absent for runs that start when they are triggered.
   */
  notBefore?: string;
}

export interface SharingTaskWorkflowInput {
  tenant: string;
  taskId: string;
  control: TaskControl;
  executeOnCreation?: boolean;
  /** Carried across continue-as-new. */
  carried?: {
    /** The series' anchor (occurrences after it are due); absent in runs continued by older code. */
    seriesFrom?: string;
    lastOccurrence?: string;
    pending: RunTrigger[];
    reload?: { trigger: RunTrigger; notBefore: number };
    runsStarted: number;
    occurrencesSkipped: number;
    recordedNextRun?: string;
    appliedRevision?: number;
    recordedRevision?: number;
    systemDisabled?: boolean;
  };
}

export interface TaskWorkflowStatus {
  /** Whether the schedule fires: the user's enablement, and not disabled by the system. */
  enabled: boolean;
  systemDisabled?: boolean;
  /** The newest task revision the workflow applied, and the newest whose decision (next run, enabled) is in MongoDB. */
  appliedRevision?: number;
  recordedRevision?: number;
  nextOccurrence?: string;
  lastOccurrence?: string;
  currentRun?: { executionId: string; trigger: RunTrigger };
  pending: RunTrigger[];
  runsStarted: number;
  occurrencesSkipped: number;
}

export function taskWorkflowId(tenant: string, taskId: string): string {
  return `sharing-task-${tenant}-${taskId}`;
}

/** The activity of a run in its task's workflow, named by its trigger (runs before 'run-in-task-workflow' were child workflows, executionWorkflowId). */
export function runActivityId(triggerKey: string): string {
  return `run-${triggerKey}`;
}

export function executionWorkflowId(taskWorkflowIdValue: string, triggerKey: string): string {
  return `${taskWorkflowIdValue}-run-${triggerKey}`;
}

/** Occurrence instants as compact, id-safe keys: 2026-11-28T18:00:00.000Z → 20261128T180000Z. */
export function occurrenceKey(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function executionIdFor(taskId: string, triggerKey: string): string {
  return `${taskId}-${triggerKey}`;
}
