import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  log,
  ParentClosePolicy,
  patched,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { nextOccurrence, occurrencesUntil } from '../src/schedule';
import { APP_RELOAD_COALESCE_MS, appReloadedSignal, cancelSignal, executeNowSignal, sizingLeadMs, stagingLeadMs, statusQuery, taskUpdatedSignal } from './definitions';
import { executionIdFor, executionWorkflowId, occurrenceKey, type RunTrigger, type SharingTaskWorkflowInput, type TaskControl } from '../src/contract/task-workflow';
import { runInTaskWorkflow, sharingExecutionWorkflow } from './sharing-execution';
import type { ExecutionOutcome, SharingExecutionWorkflowInput } from '../src/contract/run';

/** One short MongoDB write each: local activities, inside the workflow task (see sharing-execution.ts). */
const { recordNextRun, recordSkippedOccurrence, recordScheduleEnded } = proxyLocalActivities<
  ReturnType<typeof createActivities>
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The count that sizes a staging window: one short try, inside the workflow task. A count that is
 * slow (a database without the index, an overloaded one) must not hold workflow tasks past their
 * timeout; without it the run stages in the policy's own window.
 */
const { tasksDueTogether } = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '3 seconds',
  retry: { maximumAttempts: 1 },
});

/** How many missed occurrences are counted for the catch-up record (more are reported as this many). */
const MISSED_COUNT_LIMIT = 1_000;

/**
 * Our own bound for continuing as new, well below the server's suggestion (~4,096 events, some 250
 * runs): a workflow evicted from the worker's cache and woken replays at most this many events.
 * A run of a task costs about 17 events (timers, its activity, workflow tasks, local activities'
 * markers), so this is some 55 runs. README, "Long-lived task workflows".
 */
const CONTINUE_AS_NEW_AFTER_EVENTS = 1_000;

interface CurrentRun {
  executionId: string;
  trigger: RunTrigger;
  scope: CancellationScope;
}

/**
 * One per sharing task, for the task's whole life. Sleeps until the next occurrence of the task's
 * schedule (an interruptible timer), performs one run per trigger, and obeys the control signals
 * at once. At most one run at a time: an occurrence due while a run goes on is recorded as skipped;
 * manual triggers wait their turn. Continues as new when history grows, never while a run is in flight.
 */
export async function sharingTaskWorkflow(input: SharingTaskWorkflowInput): Promise<void> {
  const { tenant, taskId } = input;
  const state = {
    control: input.control,
    lastOccurrence: input.carried?.lastOccurrence ? new Date(input.carried.lastOccurrence) : undefined,
    /** Occurrences after this instant are due (seriesFromOf). */
    seriesFrom: seriesFromOf(input),
    pending: [...(input.carried?.pending ?? [])],
    /** The app reload waiting out its coalescing window; later reloads of the burst replace its trigger. */
    reload: input.carried?.reload,
    runsStarted: input.carried?.runsStarted ?? 0,
    occurrencesSkipped: input.carried?.occurrencesSkipped ?? 0,
    currentRun: undefined as CurrentRun | undefined,
    nextOccurrence: undefined as Date | undefined,
    /** What MongoDB holds as the next run; null when unknown (workflows started before the API sent it). */
    recordedNext: input.carried?.recordedNextRun ?? input.control.recordedNextRun ?? null,
    /** Keys of staged runs queued while another run went on: skipped if that run outlasts their instant. */
    queuedBehindRun: new Set<string>(),
    /**
     * An occurrence that came due (not staged) while a run was current, with the workflow time it
     * was seen: decided when that run ends (overlapEnded). Skipped occurrences still to be recorded.
     */
    dueDuringRun: undefined as { trigger: RunTrigger; seenAt: number } | undefined,
    skippedToRecord: [] as RunTrigger[],
    /** How many tasks' next run is the next occurrence, counted ahead of it to size the staging window. */
    counted: undefined as { occurrence: string; dueTogether: number } | undefined,
    woken: false,
    /** The newest task revision applied (0: none sent, older senders), and the newest recorded in MongoDB with its decision. */
    appliedRevision: input.carried?.appliedRevision ?? input.control.revision ?? 0,
    recordedRevision: input.carried?.recordedRevision ?? 0,
    /** Disabled by the system (too many failed runs): only an explicit resume clears it, never a control read before. */
    systemDisabled: input.carried?.systemDisabled ?? (input.control.revision !== undefined && input.control.systemDisabled === true),
    /** A resume whose effects on the task (enabledBySystem, status, failure counter) are still to be recorded. */
    resumeToRecord: false,
    /** A resume that came while the run that disabled the task was still reporting back: that disable is over. */
    resumeOverridesRun: false,
  };
  // Workflows started before the staging window was sized by load replay without the count.
  const loadSizedStaging = patched('load-sized-staging');
  const wake = () => (state.woken = true);
  const enabled = () => state.control.enabled && !state.systemDisabled;

  /** False for a change older than (or the same as) the one applied: signals may arrive out of order or twice. */
  const isNewer = (revision: number | undefined): boolean => {
    if (revision === undefined) return true;
    if (revision <= state.appliedRevision) return false;
    state.appliedRevision = revision;
    return true;
  };

  setHandler(taskUpdatedSignal, (control: TaskControl) => {
    const wasEnabled = enabled();
    if (!isNewer(control.revision)) return;
    if (control.revision === undefined) {
      // Older senders fold the system's disable into `enabled`.
      state.systemDisabled = false;
    } else if (control.resumeSystemDisabled && state.systemDisabled) {
      state.systemDisabled = false;
      state.resumeToRecord = true;
    } else if (control.resumeSystemDisabled && state.currentRun) {
      // The API saw the disable before this workflow heard of it from the run that made it.
      state.resumeOverridesRun = true;
    }
    const nowEnabled = control.enabled && !state.systemDisabled;
    const resumed = nowEnabled && !wasEnabled;
    const rescheduled = JSON.stringify(control.schedule) !== JSON.stringify(state.control.schedule);
    // A resumed or rescheduled task counts from now: no burst of occurrences from before the change.
    if (resumed || rescheduled) state.seriesFrom = new Date();
    // A staged run whose instant has not come is not a run yet: a pause or a new schedule drops it.
    if (!nowEnabled || rescheduled) {
      const stillStaged = (trigger: RunTrigger) => trigger.notBefore !== undefined && Date.parse(trigger.notBefore) > Date.now();
      state.pending = state.pending.filter((trigger) => !stillStaged(trigger));
      if (state.currentRun && stillStaged(state.currentRun.trigger)) state.currentRun.scope.cancel();
    }
    state.control = control;
    if (control.recordedNextRun !== undefined) state.recordedNext = control.recordedNextRun;
    wake();
  });
  setHandler(executeNowSignal, ({ requestId, requestedAt }) => {
    state.pending.push({ kind: 'execute-now', key: `now-${requestId}`, eventTime: requestedAt });
    wake();
  });
  setHandler(appReloadedSignal, ({ reloadId, reloadTime }) => {
    if (!state.control.executeOnAppReload) return;
    const trigger: RunTrigger = { kind: 'app-reload', key: `reload-${reloadId}`, eventTime: reloadTime, reloadId, reloadTime };
    state.reload = { trigger, notBefore: state.reload?.notBefore ?? Date.now() + APP_RELOAD_COALESCE_MS };
    wake();
  });
  setHandler(cancelSignal, (change) => {
    if (!isNewer(change?.revision)) return;
    state.control = { ...state.control, enabled: false };
    state.pending = [];
    state.dueDuringRun = undefined;
    state.reload = undefined;
    state.currentRun?.scope.cancel();
    wake();
  });
  setHandler(statusQuery, () => ({
    enabled: enabled(),
    systemDisabled: state.systemDisabled,
    appliedRevision: state.appliedRevision,
    recordedRevision: state.recordedRevision,
    nextOccurrence: state.nextOccurrence?.toISOString(),
    lastOccurrence: state.lastOccurrence?.toISOString(),
    currentRun: state.currentRun && { executionId: state.currentRun.executionId, trigger: state.currentRun.trigger },
    pending: state.reload ? [...state.pending, state.reload.trigger] : state.pending,
    runsStarted: state.runsStarted,
    occurrencesSkipped: state.occurrencesSkipped,
  }));

  if (input.executeOnCreation && !input.carried) {
    state.pending.push({ kind: 'creation', key: 'creation', eventTime: new Date().toISOString() });
  }

  const computeNext = (): Date | undefined => {
    const { schedule, expiration } = state.control;
    if (!enabled() || !schedule || schedule.recurrence.length === 0) return undefined;
    const after = [state.lastOccurrence, state.seriesFrom].reduce<Date>(
      (latest, instant) => (instant && instant > latest ? instant : latest),
      new Date(0),
    );
    const next = nextOccurrence(schedule, after, state.seriesFrom);
    if (next && expiration && next > new Date(expiration)) return undefined;
    return next;
  };

  const startRun = (trigger: RunTrigger): void => {
    const executionId = executionIdFor(taskId, trigger.key);
    const scope = new CancellationScope();
    state.currentRun = { executionId, trigger, scope };
    state.runsStarted++;
    const run = { tenant, taskId, executionId, trigger };
    // Runs recorded as child workflows (before 'run-in-task-workflow') replay as children.
    const inTaskWorkflow = patched('run-in-task-workflow');
    void scope
      .run(() => (inTaskWorkflow ? runInTaskWorkflow(run) : runAsChild(run)))
      .then((outcome) => {
        if (outcome.taskDisabled && state.resumeOverridesRun) state.resumeToRecord = true;
        else if (outcome.taskDisabled) state.systemDisabled = true;
      })
      // The run records its own outcome in the execution; here it only ends the "one at a time" slot.
      .catch((error: Error) => log.info('run ended without success', { executionId, error: error.message }))
      .finally(() => {
        state.currentRun = undefined;
        state.resumeOverridesRun = false;
        overlapEnded();
        wake();
      });
  };

  const recordSkipped = (trigger: RunTrigger) => {
    state.occurrencesSkipped++;
    return recordSkippedOccurrence({
      tenant,
      taskId,
      executionId: executionIdFor(taskId, `skipped-${trigger.key}`),
      occurrence: trigger.eventTime,
    });
  };

  /**
   * An occurrence whose staging time came (see stagingLeadMs), or that is already due. A staged one
   * waits its turn behind a run in progress; one that is due while a run goes on is skipped.
   */
  const handleDueOccurrence = async (due: Date): Promise<void> => {
    const now = new Date();
    state.lastOccurrence = due;
    const schedule = state.control.schedule!;
    const missed = occurrencesUntil(schedule, due, now, MISSED_COUNT_LIMIT, new Date(workflowInfo().startTime));
    if (missed.length > 0) state.lastOccurrence = missed[missed.length - 1];
    // Catch-up means occurrences were collapsed (the worker or server was down), not merely that
    // this one was handled late: under load a run can start minutes after its due time.
    const collapsed = missed.length > 0;
    const staged = due > now;
    const trigger: RunTrigger = {
      kind: collapsed ? 'catch-up' : 'scheduled',
      key: occurrenceKey(due),
      eventTime: due.toISOString(),
      ...(collapsed ? { missedOccurrences: missed.length } : {}),
      ...(staged ? { notBefore: due.toISOString() } : {}),
    };
    const scheduledWaiting = state.dueDuringRun !== undefined || state.pending.some((pending) => pending.kind === 'scheduled' || pending.kind === 'catch-up');
    if (scheduledWaiting) {
      await recordSkipped(trigger);
      return;
    }
    if (state.currentRun && !staged) {
      // Histories recorded before 'overlap-decided-at-run-end' skipped it here.
      if (patched('overlap-decided-at-run-end')) state.dueDuringRun = { trigger, seenAt: Date.now() };
      else await recordSkipped(trigger);
      return;
    }
    if (state.currentRun) state.queuedBehindRun.add(trigger.key);
    state.pending.push(trigger);
  };

  /**
   * The run ended: an occurrence that came due while it was current runs now if the workflow saw
   * both in one workflow task, else it is skipped. One workflow task is one instant of workflow
   * time (Date.now()): the run's completion was on record when the occurrence's timer fired, only
   * processed after it (its promise chain is longer than the timer's). That is what an
   * outage looks like: a run that ended while no worker ran workflows and the occurrences that came
   * due then arrive together, and the catch-up is this occurrence's run.
   */
  const overlapEnded = (): void => {
    const due = state.dueDuringRun;
    state.dueDuringRun = undefined;
    if (due) (due.seenAt === Date.now() ? state.pending : state.skippedToRecord).push(due.trigger);
  };

  /** A staged run whose instant passed while the run before it still went on: that occurrence was missed. */
  const overtaken = (trigger: RunTrigger): boolean =>
    state.queuedBehindRun.delete(trigger.key) && trigger.notBefore !== undefined && Date.now() > Date.parse(trigger.notBefore);

  /** The coalesced reload once its window has passed. */
  const takeDueReload = (): RunTrigger | undefined => {
    if (!state.reload || Date.now() < state.reload.notBefore) return undefined;
    const { trigger } = state.reload;
    state.reload = undefined;
    return trigger;
  };

  /**
   * When to stage the run of `due` (stagingLeadMs), and, while the runs due with it are not counted
   * yet, when to count them (sizingLeadMs): the count sizes the staging window.
   */
  const stagingTimes = async (due: Date): Promise<{ stageAt: number; countAt: number }> => {
    const policy = state.control.staging;
    const occurrence = due.toISOString();
    const previous = state.lastOccurrence && state.lastOccurrence > state.seriesFrom ? state.lastOccurrence : state.seriesFrom;
    const gapMs = due.getTime() - previous.getTime();
    const countLead = loadSizedStaging ? sizingLeadMs(policy, taskId, occurrence, gapMs) : undefined;
    if (countLead !== undefined && state.counted?.occurrence !== occurrence) {
      const countAt = due.getTime() - countLead;
      if (Date.now() < countAt) return { stageAt: Infinity, countAt };
      state.counted = { occurrence, dueTogether: await tasksDueTogether({ occurrence }).catch(() => 0) };
    }
    const dueTogether = state.counted?.occurrence === occurrence ? state.counted.dueTogether : 0;
    return { stageAt: due.getTime() - stagingLeadMs(policy, taskId, occurrence, gapMs, dueTogether), countAt: Infinity };
  };

  for (;;) {
    // Reset before anything awaits: a signal arriving during the awaits below must still wake the wait.
    state.woken = false;
    const skipped = state.skippedToRecord.shift();
    if (skipped) {
      await recordSkipped(skipped);
      continue;
    }
    const runnable = state.currentRun ? undefined : (state.pending.shift() ?? takeDueReload());
    if (runnable) {
      if (overtaken(runnable)) await recordSkipped(runnable);
      else startRun(runnable);
      continue;
    }

    state.nextOccurrence = computeNext();
    const nextIso = state.nextOccurrence?.toISOString() ?? '';
    // The workflow is the one writer of the task's run state: its decision for each applied revision.
    if (nextIso !== state.recordedNext || state.recordedRevision < state.appliedRevision) {
      const revision = state.appliedRevision;
      const resumed = state.resumeToRecord;
      state.resumeToRecord = false;
      await recordNextRun({
        tenant,
        taskId,
        nextRun: nextIso || undefined,
        ...(revision > 0 ? { revision, enabled: enabled() } : {}),
        ...(resumed ? { resumedBySystem: true } : {}),
      });
      state.recordedNext = nextIso;
      state.recordedRevision = revision;
    }

    const seriesOver = enabled() && state.nextOccurrence === undefined;
    if (seriesOver && !state.currentRun && state.pending.length === 0 && !state.reload) {
      await recordScheduleEnded({ tenant, taskId });
      await condition(allHandlersFinished);
      return;
    }

    if (!state.currentRun && shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof sharingTaskWorkflow>({
        tenant,
        taskId,
        control: state.control,
        carried: {
          seriesFrom: state.seriesFrom.toISOString(),
          lastOccurrence: state.lastOccurrence?.toISOString(),
          pending: state.pending,
          reload: state.reload,
          runsStarted: state.runsStarted,
          occurrencesSkipped: state.occurrencesSkipped,
          ...(state.recordedNext !== null ? { recordedNextRun: state.recordedNext } : {}),
          appliedRevision: state.appliedRevision,
          recordedRevision: state.recordedRevision,
          systemDisabled: state.systemDisabled,
        },
      });
    }

    const due = state.nextOccurrence;
    const { stageAt, countAt } = due ? await stagingTimes(due) : { stageAt: Infinity, countAt: Infinity };
    const wakeAt = Math.min(stageAt, countAt, state.reload && !state.currentRun ? state.reload.notBefore : Infinity);
    const waitMs = wakeAt === Infinity ? undefined : wakeAt - Date.now();
    const signalled =
      waitMs === undefined
        ? await condition(() => state.woken).then(() => true)
        : waitMs > 0 && (await condition(() => state.woken, waitMs));
    if (!signalled && due && Date.now() >= stageAt) await handleDueOccurrence(due);
  }
}

/**
 * Occurrences after this instant are due. A new task counts from its workflow's start, so an outage
 * before the first timer was even set still yields the catch-up run it missed; a continued run
 * counts from where its predecessor did, so an occurrence that came due while the hand-over waited
 * for a worker is run (as a catch-up) instead of lost. Runs continued by older code carry no
 * anchor and counted from their own first workflow task, as they did.
 */
function seriesFromOf(input: SharingTaskWorkflowInput): Date {
  if (!input.carried) return new Date(workflowInfo().startTime);
  return input.carried.seriesFrom ? new Date(input.carried.seriesFrom) : new Date();
}

/**
 * The server's suggestion, or our own bound (CONTINUE_AS_NEW_AFTER_EVENTS). A history recorded
 * before the bound existed went past it without continuing: it replays as it was
 * (patched 'own-continue-as-new-bound'), and continues at its next chance once replay is over.
 */
function shouldContinueAsNew(): boolean {
  const { continueAsNewSuggested, historyLength } = workflowInfo();
  return continueAsNewSuggested || (historyLength >= CONTINUE_AS_NEW_AFTER_EVENTS && patched('own-continue-as-new-bound'));
}

/** A run as its own workflow, the task's child: how runs started before 'run-in-task-workflow'. */
function runAsChild(run: SharingExecutionWorkflowInput): Promise<ExecutionOutcome> {
  return executeChild(sharingExecutionWorkflow, {
    workflowId: executionWorkflowId(workflowInfo().workflowId, run.trigger.key),
    args: [run],
    // A trigger runs once: a second start of the same run id is refused, never repeated.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    typedSearchAttributes: workflowInfo().typedSearchAttributes,
    memo: workflowInfo().memo,
  });
}
