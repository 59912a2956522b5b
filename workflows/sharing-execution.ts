import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { runActivityId } from '../src/contract/task-workflow';
import type { DeliveryResult, ExecutionOutcome, ExecutionPlan, RunFailure, SharingExecutionWorkflowInput } from '../src/contract/run';

type Activities = ReturnType<typeof createActivities>;

/**
 * A few short MongoDB reads and writes: local activities, run by this worker inside the workflow
 * task, so they cost no activity task and no extra workflow task on the server (bench/README.md).
 */
const { beginExecution, finishExecution, runLimits } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Attempts of a whole run (performRun); each redoes only what earlier ones left undone. The policy
 * is the one deliveries always had: a greylisting SMTP server or a throttling Graph gets minutes.
 */
const RUN_ATTEMPTS = 10;

/** Limits recorded before the heartbeat timeout was configurable lack it: those runs had this, and replay schedules the same. */
const HEARTBEAT_TIMEOUT_BEFORE_LIMITS_MS = 30_000;

/**
 * The whole run as one activity (render every template, deliver to everyone): one activity task
 * per run. It may start ahead of its instant and hold in the worker until then (trigger.notBefore);
 * its heartbeats let the engine notice a dead worker within the heartbeat timeout (the worker's
 * RUN_HEARTBEAT_TIMEOUT_SECONDS, from runLimits) and bring cancellation to it, and the workflow
 * waits for a cancelled attempt to stop before recording the run.
 */
const runActivity = (startToCloseMs: number, heartbeatTimeoutMs: number, activityId?: string) =>
  proxyActivities<Activities>({
    ...(activityId ? { activityId } : {}),
    startToCloseTimeout: startToCloseMs,
    heartbeatTimeout: heartbeatTimeoutMs,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: RUN_ATTEMPTS },
  }).performRun;

/** Renders and deliveries wait on other systems (a render service, SMTP, Graph), so how long one attempt may take is the worker's configuration. */
const renderActivities = (plan: ExecutionPlan) =>
  proxyActivities<Activities>({
    startToCloseTimeout: (plan.renderTimeoutSeconds ?? 300) * 1000,
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
  });

const deliveryActivities = (plan: ExecutionPlan) =>
  proxyActivities<Activities>({
    startToCloseTimeout: plan.deliveryTimeoutSeconds * 1000,
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
  });

/** The reference's error code carried by an activity's failure (its ApplicationFailure type), or a fallback. */
function toRunFailure(error: unknown, fallbackCode: string): RunFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? fallbackCode, message: cause.message };
  return { code: fallbackCode, message: error instanceof Error ? error.message : String(error) };
}

/** A delivery's outcome; a failure after its retries becomes a failed result, a cancellation stays one. */
function settled(delivery: Promise<DeliveryResult>, recipient: string, channel: DeliveryResult['channel'], fallbackCode: string) {
  return delivery.catch((error: unknown): DeliveryResult => {
    if (isCancellation(error)) throw error;
    return { recipient, channel, status: 'failed', error: toRunFailure(error, fallbackCode) };
  });
}

async function renderAndDeliver(executionId: string, plan: ExecutionPlan): Promise<DeliveryResult[]> {
  const { renderTemplate } = renderActivities(plan);
  const { deliverByEmail, uploadToSharePoint } = deliveryActivities(plan);
  const files = [];
  for (let templateIndex = 0; templateIndex < plan.templateCount; templateIndex++) {
    files.push(await renderTemplate({ executionId, templateIndex }));
  }
  return Promise.all([
    ...plan.emailRecipients.map((recipient) =>
      settled(deliverByEmail({ executionId, recipient }), recipient, 'email', 'EMAIL_DELIVERY_FAILURE'),
    ),
    ...(plan.uploadToSharePoint ? files : []).map(({ fileAlias, fileName }) =>
      settled(uploadToSharePoint({ executionId, fileAlias }), fileName ?? fileAlias, 'sharepoint', 'GENERIC_FILE_UPLOAD_ERROR'),
    ),
  ]);
}

/**
 * One run of a sharing task: record the execution, render each template, deliver to each
 * recipient and channel, then finalize counts, the task's status and retention.
 * Every step is an idempotent activity, so retries and replays never render or send twice.
 * A run that outlives its deadline is stopped and fails with EXECUTION_TIME_OUT.
 */
export async function sharingExecutionWorkflow(input: SharingExecutionWorkflowInput): Promise<ExecutionOutcome> {
  // Runs started before the whole run became one activity replay the step-by-step path.
  return patched('one-run-activity') ? performWholeRun(input) : runStepByStep(input);
}

/**
 * A run inside the calling workflow, the task's own: the way every run starts now. Against a child
 * workflow per run it saves the engine a workflow execution (its start, visibility records and
 * close) and three of the five workflow tasks a run cost (bench/README.md, "Runs inside the task
 * workflow"). The run's steps are this workflow's history: its performRun activity, named by the
 * trigger, and the markers of its local activities.
 */
export function runInTaskWorkflow(input: SharingExecutionWorkflowInput): Promise<ExecutionOutcome> {
  return performWholeRun(input, { workflowGoesOn: true, activityId: runActivityId(input.trigger.key) });
}

interface RunPlacement {
  /** The workflow lives on after the run: the run's deadline timer is cancelled, not left to fire later for nothing. */
  workflowGoesOn: boolean;
  activityId?: string;
}

/** See sharingExecutionWorkflow: a staged run holds until its instant, and its deadline counts from then. */
async function performWholeRun(input: SharingExecutionWorkflowInput, placement: RunPlacement = { workflowGoesOn: false }): Promise<ExecutionOutcome> {
  const { executionId } = input;
  const limits = await runLimits();
  const holdMs = input.trigger.notBefore ? Math.max(0, Date.parse(input.trigger.notBefore) - Date.now()) : 0;
  const deadlineMs = holdMs + limits.timeoutSeconds * 1000;
  const heartbeatTimeoutMs = limits.heartbeatTimeoutSeconds ? limits.heartbeatTimeoutSeconds * 1000 : HEARTBEAT_TIMEOUT_BEFORE_LIMITS_MS;
  const performRun = runActivity(deadlineMs, heartbeatTimeoutMs, placement.activityId);
  return withDeadline(executionId, deadlineMs, placement, async () => {
    const { plan, deliveries, outcome } = await performRun({ run: input, maxAttempts: RUN_ATTEMPTS });
    // Results recorded before the attempt finished the run itself carry no outcome: the workflow finishes it.
    if (outcome) return outcome;
    return plan.finishedStatus ? { executionId, status: plan.finishedStatus } : deliveries;
  });
}

/**
 * Runs `work` in a scope cancelled after `deadlineMs` (EXECUTION_TIME_OUT), and records how a run
 * that did not finish ended: cancelled, timed out, or failed for good.
 */
async function withDeadline(
  executionId: string,
  deadlineMs: number,
  { workflowGoesOn }: RunPlacement,
  work: () => Promise<DeliveryResult[] | ExecutionOutcome>,
  plannedEmails?: number,
): Promise<ExecutionOutcome> {
  const run = new CancellationScope();
  // Its own scope only where it is cancelled after the run: recorded child runs replay their commands as they were.
  const deadline = workflowGoesOn ? new CancellationScope() : undefined;
  let timedOut = false;
  (deadline ? deadline.run(() => sleep(deadlineMs)) : sleep(deadlineMs)).then(
    () => {
      timedOut = true;
      run.cancel();
    },
    () => undefined, // the run ended first, or the whole run was cancelled
  );
  try {
    const result = await run.run(work);
    return Array.isArray(result) ? await finishExecution({ executionId, deliveries: result }) : result;
  } catch (error) {
    if (timedOut && isCancellation(error)) {
      const failure = { code: 'EXECUTION_TIME_OUT', message: `the run did not finish within ${Math.round(deadlineMs / 1000)} s` };
      return await finishExecution({ executionId, deliveries: [], failure });
    }
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => finishExecution({ executionId, deliveries: [], cancelled: true, plannedEmails }));
      throw error;
    }
    return await finishExecution({ executionId, deliveries: [], failure: toRunFailure(error, 'FATAL_SENT_ERROR') });
  } finally {
    deadline?.cancel();
  }
}

/** The run shape before 'one-run-activity': begin, one activity per template and per delivery, finish. */
async function runStepByStep(input: SharingExecutionWorkflowInput): Promise<ExecutionOutcome> {
  const { executionId } = input;
  const plan = await beginExecution(input);
  if (plan.finishedStatus) return { executionId, status: plan.finishedStatus };
  return withDeadline(executionId, plan.timeoutSeconds * 1000, { workflowGoesOn: false }, () => renderAndDeliver(executionId, plan), plan.emailRecipients.length);
}
