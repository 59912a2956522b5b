import { activityInfo, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DeliveryChannelError } from '../src/deliver/channel-error';
import type { DeliveryService } from '../src/runs/delivery-service';
import { keepHeartbeating } from '../src/runs/keep-heartbeating';
import type { RunContext, RunPerformer, RunProgress } from '../src/runs/run-performer';
import { PermanentRunError, type RunService } from '../src/runs/run-service';
import type { RunStateDecision, TaskStatusService } from '../src/runs/task-status';
import type { AppReload, AppReloadFanout } from '../src/sharing-tasks/app-reload-fanout';
import type { FeatureToggleFanout } from '../src/sharing-tasks/feature-toggle-fanout';
import type { FeatureToggleIntent, FeatureToggleTarget } from '../src/sharing-tasks/feature-toggles';
import type { Reconciler } from '../src/sharing-tasks/reconciler';
import type { FinishRequest, PerformRunInput, RunLimits, SharingExecutionWorkflowInput } from '../src/contract/run';

export interface ActivityDependencies {
  runs: RunService;
  performer: RunPerformer;
  deliveries: DeliveryService;
  taskStatus: TaskStatusService;
  reconciler: Reconciler;
  fanout: AppReloadFanout;
  featureToggles: FeatureToggleFanout;
}

/**
 * Maps service errors to Temporal failures: permanent ones are not retried; transient ones keep
 * their code and, when the far side said how long to wait, that wait as the next retry delay.
 */
async function asActivity<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PermanentRunError) throw ApplicationFailure.nonRetryable(error.message, error.code);
    if (error instanceof DeliveryChannelError) {
      const { message, code, permanent, retryAfterMs } = error;
      throw ApplicationFailure.create({ message, type: code, nonRetryable: permanent, nextRetryDelay: retryAfterMs });
    }
    throw error;
  }
}

/**
 * Runs `work` with the running activity's liveness and cancellation, as a run needs them, and
 * heartbeats its latest progress while it lives (keepHeartbeating). An activity scheduled without
 * a heartbeat timeout (a delivery of the step-by-step shape) is fenced as if it had the worker's.
 */
function whileAlive<T>(limits: Required<RunLimits>, initial: RunProgress, work: (context: RunContext) => Promise<T>): Promise<T> {
  const context = Context.current();
  const runContext: RunContext = {
    heartbeat: (progress) => context.heartbeat(progress),
    sleep: (ms) => context.sleep(ms),
    signal: context.cancellationSignal,
    attempt: context.info.attempt,
    heartbeatTimeoutMs: context.info.heartbeatTimeoutMs || limits.heartbeatTimeoutSeconds * 1000,
  };
  return keepHeartbeating(runContext, initial, work);
}

const DELIVERING_ONE: RunProgress = { step: 'delivering', done: 0, of: 1 };

/** The activities of both workflows: thin, idempotent calls into the services, built once by the worker. */
export function createActivities({ runs, performer, deliveries, taskStatus, reconciler, fanout, featureToggles, limits }: ActivityDependencies & { limits: Required<RunLimits> }) {
  return {
    /** The worker's run limits, for the workflow to set its deadline and the run's timeouts (no I/O). */
    runLimits: async (): Promise<RunLimits> => limits,
    performRun: ({ run, maxAttempts }: PerformRunInput) =>
      asActivity(() =>
        whileAlive(limits, { step: 'beginning' }, (context) =>
          performer.perform(run, activityInfo().workflowExecution?.workflowId ?? '', context, context.attempt >= maxAttempts),
        ),
      ),
    beginExecution: (input: SharingExecutionWorkflowInput) =>
      asActivity(() => runs.begin(input, activityInfo().workflowExecution?.workflowId ?? '')),
    renderTemplate: ({ executionId, templateIndex }: { executionId: string; templateIndex: number }) =>
      asActivity(() => runs.renderTemplate(executionId, templateIndex)),
    deliverByEmail: ({ executionId, recipient }: { executionId: string; recipient: string }) =>
      asActivity(() => whileAlive(limits, DELIVERING_ONE, (context) => deliveries.deliverByEmail(executionId, recipient, context))),
    uploadToSharePoint: ({ executionId, fileAlias }: { executionId: string; fileAlias: string }) =>
      asActivity(() => whileAlive(limits, DELIVERING_ONE, (context) => deliveries.uploadToSharePoint(executionId, fileAlias, context))),
    finishExecution: (request: FinishRequest) => asActivity(() => runs.finish(request)),

    recordNextRun: ({ tenant, taskId, nextRun, ...decision }: { tenant: string; taskId: string; nextRun?: string } & RunStateDecision) =>
      taskStatus.recordNextRun(tenant, taskId, nextRun, decision),
    recordSkippedOccurrence: (input: { tenant: string; taskId: string; executionId: string; occurrence: string }) =>
      taskStatus.recordSkippedOccurrence(input.tenant, input.taskId, input.executionId, input.occurrence),
    recordScheduleEnded: ({ tenant, taskId }: { tenant: string; taskId: string }) =>
      taskStatus.recordScheduleEnded(tenant, taskId),
    /** How many tasks, of every tenant, have their next run at `occurrence` (sizes the staging window). */
    tasksDueTogether: ({ occurrence }: { occurrence: string }) => taskStatus.tasksDueAt(occurrence),

    reconcileTasksPage: ({ afterId }: { afterId?: string }) => reconciler.reconcilePage(afterId),
    endOrphanWorkflows: () => reconciler.endOrphanWorkflows(),
    signalAppReloadPage: ({ reload, afterId }: { reload: AppReload; afterId?: string }) => fanout.signalPage(reload, afterId),
    readFeatureToggle: (target: FeatureToggleTarget) => featureToggles.intent(target),
    applyFeatureTogglePage: ({ target, intent, afterId }: { target: FeatureToggleTarget; intent: FeatureToggleIntent; afterId?: string }) =>
      featureToggles.applyPage(target, intent, afterId),
    finishFeatureToggle: ({ target, intent }: { target: FeatureToggleTarget; intent: FeatureToggleIntent }) => featureToggles.finish(target, intent),
  };
}
