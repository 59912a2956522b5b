/**
 * The signals and queries of the task workflow, defined once and used by the API (client side) and
 * the workflow, with the staging arithmetic both share. Their payload types live in src/contract.
 * Deterministic: no I/O.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { StagingPolicy, TaskControl, TaskWorkflowStatus } from '../src/contract/task-workflow';

/**
 * How long before its occurrence a scheduled run is started, so that the engine's work for it
 * (timer, workflow task, activity dispatch) is done ahead and thousands of runs due at one instant
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

export const taskUpdatedSignal = defineSignal<[TaskControl]>('taskUpdated');
export const executeNowSignal = defineSignal<[{ requestId: string; requestedAt: string }]>('executeNow');
export const appReloadedSignal = defineSignal<[{ reloadId: string; reloadTime: string }]>('appReloaded');
/** Stops the recurrence and cancels a run in progress; a later `taskUpdated` with enabled=true resumes. */
export const cancelSignal = defineSignal<[{ revision?: number }?]>('cancel');
export const statusQuery = defineQuery<TaskWorkflowStatus>('status');

