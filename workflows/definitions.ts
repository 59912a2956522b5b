/**
 * The contract between the API (client side) and the workflows: signal, query and input types,
 * defined once and imported by both. Deterministic: no I/O, nothing but type definitions.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

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

/**
 * How long before its occurrence a scheduled run is started, so that the engine's work for it
 * (timer, child workflow, activity dispatch) is done ahead and thousands of runs due at one instant
 * all begin at it; meanwhile the run's activity holds in the worker, heartbeating. Each task and
 * occurrence gets its own point of the window (FNV-1a of both: the same on every replay), so the
 * early starts of a shared instant do not form a herd of their own. Never more than half the gap
 * since the previous occurrence, so a frequent task's runs do not queue behind each other.
 */
export function stagingLeadMs(policy: StagingPolicy | undefined, taskId: string, occurrence: string, gapMs: number, dueTogether = 0): number {
  if (!policy) return 0;
  const windowMs = stagingWindowMs(policy, dueTogether);
  const lead = policy.minLeadMs + (windowMs > 0 ? pointOf(`${taskId}|${occurrence}`, windowMs) : 0);
  return Math.max(0, Math.min(lead, Math.floor(gapMs / 2)));
}

/** The window for `dueTogether` runs at one instant: long enough to stage them at the policy's rate, within its bounds. */
export function stagingWindowMs(policy: StagingPolicy, dueTogether: number): number {
  const sized = policy.ratePerSecond ? Math.ceil((dueTogether / policy.ratePerSecond) * 1000) : 0;
  return Math.max(policy.windowMs, Math.min(policy.maxWindowMs ?? policy.windowMs, sized));
}

/**
 * How long before its occurrence a task counts the runs due at the same instant, to size its
 * staging window: before the earliest any of them may stage (so every task due then has its next
 * run written), each at its own point of half the largest window (so the counts are no herd
 * either). Undefined when the task's gap leaves no room for it: then it stages without counting.
 */
export function sizingLeadMs(policy: StagingPolicy | undefined, taskId: string, occurrence: string, gapMs: number): number | undefined {
  if (!policy?.ratePerSecond) return undefined;
  const maxWindowMs = Math.max(policy.windowMs, policy.maxWindowMs ?? policy.windowMs);
  const spreadMs = Math.floor(maxWindowMs / 2);
  const lead = policy.minLeadMs + maxWindowMs + (spreadMs > 0 ? pointOf(`${taskId}|${occurrence}|count`, spreadMs) : 0);
  return lead <= Math.floor(gapMs / 2) ? lead : undefined;
}

/** A point of [0, rangeMs) from FNV-1a of `key`: the same on every replay and every worker. */
function pointOf(key: string, rangeMs: number): number {
  let hash = 0x811c9dc5;
  for (const char of key) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash % rangeMs;
}

/**
 * Reloads arriving this soon after the first of a burst (a chain of apps reloading, a retried
 * reload) become one run, of the latest reload: nobody wants three identical reports a second apart.
 */
export const APP_RELOAD_COALESCE_MS = 10_000;

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

export interface SharingExecutionWorkflowInput {
  tenant: string;
  taskId: string;
  executionId: string;
  trigger: RunTrigger;
}

export type ExecutionStatus = 'successful' | 'failed' | 'cancelled';

export interface ExecutionOutcome {
  executionId: string;
  status: ExecutionStatus;
  /** The run pushed the task over its consecutive-failure limit: the system disabled it. */
  taskDisabled?: boolean;
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

export const taskUpdatedSignal = defineSignal<[TaskControl]>('taskUpdated');
export const executeNowSignal = defineSignal<[{ requestId: string; requestedAt: string }]>('executeNow');
export const appReloadedSignal = defineSignal<[{ reloadId: string; reloadTime: string }]>('appReloaded');
/** Stops the recurrence and cancels a run in progress; a later `taskUpdated` with enabled=true resumes. */
export const cancelSignal = defineSignal<[{ revision?: number }?]>('cancel');
export const statusQuery = defineQuery<TaskWorkflowStatus>('status');

export function taskWorkflowId(tenant: string, taskId: string): string {
  return `sharing-task-${tenant}-${taskId}`;
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
