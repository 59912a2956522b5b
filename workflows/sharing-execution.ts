import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { DeliveryResult, ExecutionPlan, RunFailure } from '../activities/types';
import type { ExecutionOutcome, SharingExecutionWorkflowInput } from './definitions';

type Activities = ReturnType<typeof createActivities>;

/**
 * A few short MongoDB reads and writes: local activities, run by this worker inside the workflow
 * task, so they cost no activity task and no extra workflow task on the server (bench/README.md).
 */
const { beginExecution, finishExecution } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

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
  const { executionId } = input;
  const plan = await beginExecution(input);
  if (plan.finishedStatus) return { executionId, status: plan.finishedStatus };

  const run = new CancellationScope();
  let timedOut = false;
  sleep(plan.timeoutSeconds * 1000).then(
    () => {
      timedOut = true;
      run.cancel();
    },
    () => undefined, // the whole run was cancelled first
  );
  try {
    const deliveries = await run.run(() => renderAndDeliver(executionId, plan));
    return await finishExecution({ executionId, deliveries });
  } catch (error) {
    if (timedOut && isCancellation(error)) {
      const failure = { code: 'EXECUTION_TIME_OUT', message: `the run did not finish within ${plan.timeoutSeconds} s` };
      return await finishExecution({ executionId, deliveries: [], failure });
    }
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => finishExecution({ executionId, deliveries: [], cancelled: true, plannedEmails: plan.emailRecipients.length }));
      throw error;
    }
    return await finishExecution({ executionId, deliveries: [], failure: toRunFailure(error, 'FATAL_SENT_ERROR') });
  }
}
