import type { Clock } from '../clock';
import { newExecution, type ExecutionRecord } from '../sharing-tasks/execution-record';
import type { SharingTask } from '../sharing-tasks/schemas';
import type { Stores } from '../store';
import type { RunMetrics } from '../metrics/run-metrics';

/** How long one count of the tasks due at an instant answers for all of them (see tasksDueAt). */
export const DUE_COUNT_REUSE_MS = 60_000;

export interface RunStateDecision {
  /** The task revision the decision is for (absent: a workflow of older code, which knows no revisions). */
  revision?: number;
  /** Whether the schedule fires (the user's enablement and not disabled by the system). */
  enabled?: boolean;
  resumedBySystem?: boolean;
}

/**
 * Keeps what MongoDB shows about a task (next/last run, status, failure counter) in step with
 * what its workflow does. Runs of one task are serialised by its workflow, so these
 * read-modify-writes never race each other.
 */
export class TaskStatusService {
  private readonly dueCounts = new Map<string, { countedAt: number; count: Promise<number> }>();

  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly metrics: RunMetrics,
  ) {}

  /**
   * The task workflow's decision for the task revision it applied: the next run (none: unset), and
   * for an explicit resume of a task the system disabled, that it is enabled again with a fresh
   * failure count. The workflow is the one writer of these fields.
   */
  async recordNextRun(tenant: string, taskId: string, nextRun: string | undefined, decision: RunStateDecision = {}): Promise<void> {
    const set: Record<string, unknown> = nextRun ? { nextScheduledRun: nextRun, 'scheduleOptions.nextExecutionTime': nextRun } : {};
    if (decision.revision !== undefined) set.appliedRevision = decision.revision;
    if (decision.resumedBySystem) Object.assign(set, { enabledBySystem: true, failedExecutionsCount: 0, statusCode: 'OK' });
    await this.stores.tasks.updateRunState(taskId, set, nextRun ? [] : ['nextScheduledRun', 'scheduleOptions.nextExecutionTime']);
  }

  /**
   * How many tasks of every tenant have their next run at `instant` (an ISO string, as recordNextRun
   * writes it). Thousands of tasks due at one instant ask within minutes of each other, and on
   * FerretDB one count reads the whole collection (1.2–1.8 s at 2,000 tasks, against an index lookup
   * on MongoDB), so this worker answers them all from one count for DUE_COUNT_REUSE_MS.
   */
  tasksDueAt(instant: string): Promise<number> {
    const now = this.clock.now().getTime();
    for (const [key, entry] of this.dueCounts) if (now - entry.countedAt >= DUE_COUNT_REUSE_MS) this.dueCounts.delete(key);
    const reused = this.dueCounts.get(instant);
    if (reused) return reused.count;
    const count = this.stores.tasks.countDueAt(instant);
    this.dueCounts.set(instant, { countedAt: now, count });
    count.catch(() => this.dueCounts.delete(instant));
    return count;
  }

  /** Records an occurrence that came due while a run was still going: it is not run, but it is shown. */
  async recordSkippedOccurrence(tenant: string, taskId: string, executionId: string, occurrence: string): Promise<void> {
    const now = this.clock.now().toISOString();
    const { claimed } = await this.stores.executions.claim(
      newExecution(
        { id: executionId, sharingTaskId: taskId, tenant, status: 'invalid', trigger: 'scheduled', eventTime: occurrence, startTime: now },
        { endTime: now, errors: [{ code: 'OCCURRENCE_SKIPPED', message: 'a run of this task was still in progress', timestamp: now }] },
      ),
    );
    if (claimed) this.metrics.runEnded('skipped');
  }

  async recordScheduleEnded(tenant: string, taskId: string): Promise<void> {
    await this.stores.tasks.updateRunState(taskId, { statusCode: 'COMPLETED' }, ['nextScheduledRun', 'scheduleOptions.nextExecutionTime']);
  }

  /**
   * Updates the task after a run (its start as the last run, its outcome, the failure counter);
   * returns true when this run made the system disable the task. `taskAtStart`: the task as the
   * run read it when it began (runs of a task never overlap, so its counter is still that one);
   * without it the task is read.
   */
  async recordRunFinished(
    execution: ExecutionRecord,
    status: 'successful' | 'failed' | 'cancelled',
    errorCodes: string[],
    maxConsecutiveFailures: number,
    taskAtStart?: SharingTask,
  ): Promise<boolean> {
    const task = taskAtStart ?? (await this.stores.tasks.get(execution.tenant, execution.sharingTaskId));
    if (!task || task.statusCode === 'DELETING') return false;
    const now = this.clock.now().toISOString();
    const set: Record<string, unknown> = {
      lastExecutionDate: now,
      lastRun: execution.startTime,
      'scheduleOptions.lastExecutionTime': execution.startTime,
    };
    let disabled = false;
    if (status === 'successful') {
      set.failedExecutionsCount = 0;
      set.statusCode = 'OK';
      set.taskErrors = errorCodes.map((value) => ({ value, timestamp: now }));
    } else if (status === 'failed') {
      const failures = (task.failedExecutionsCount ?? 0) + 1;
      set.failedExecutionsCount = failures;
      set.taskErrors = errorCodes.map((value) => ({ value, timestamp: now }));
      set.statusCode = errorCodes[0] ?? 'FATAL_SENT_ERROR';
      if (failures >= maxConsecutiveFailures && task.enabledBySystem) {
        disabled = true;
        set.enabledBySystem = false;
        set.statusCode = 'MAX_FAILURES_REACHED';
        set.statusLabel = `disabled after ${failures} consecutive failed runs; last error: ${errorCodes[0] ?? 'unknown'}`;
      }
    }
    await this.stores.tasks.updateRunState(task.id, set, disabled ? ['nextScheduledRun', 'scheduleOptions.nextExecutionTime'] : []);
    return disabled;
  }
}
