import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { DeliveryResult, RunFailure } from '../activities/types';
import type { ExecutionOutcome, SharingExecutionWorkflowInput } from './definitions';

type Activities = ReturnType<typeof createActivities>;

const { beginExecution, finishExecution } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { renderTemplate } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

const { deliverByEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/** The reference's error code carried by an activity's failure (its ApplicationFailure type), or a fallback. */
function toRunFailure(error: unknown, fallbackCode: string): RunFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? fallbackCode, message: cause.message };
  return { code: fallbackCode, message: error instanceof Error ? error.message : String(error) };
}

/**
 * One run of a sharing task: record the execution, render each template, deliver to each
 * recipient and channel, then finalize counts, the task's status and retention.
 * Every step is an idempotent activity, so retries and replays never render or send twice.
 */
export async function sharingExecutionWorkflow(input: SharingExecutionWorkflowInput): Promise<ExecutionOutcome> {
  const { executionId } = input;
  const plan = await beginExecution(input);
  if (plan.finishedStatus) return { executionId, status: plan.finishedStatus };

  try {
    for (let templateIndex = 0; templateIndex < plan.templateCount; templateIndex++) {
      await renderTemplate({ executionId, templateIndex });
    }
    const deliveries = await Promise.all(
      plan.emailRecipients.map(
        (recipient): Promise<DeliveryResult> =>
          deliverByEmail({ executionId, recipient }).catch((error: unknown) => ({
            recipient,
            channel: 'email',
            status: 'failed',
            error: toRunFailure(error, 'EMAIL_DELIVERY_FAILURE'),
          })),
      ),
    );
    return await finishExecution({ executionId, deliveries });
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => finishExecution({ executionId, deliveries: [], cancelled: true }));
      throw error;
    }
    return await finishExecution({ executionId, deliveries: [], failure: toRunFailure(error, 'FATAL_SENT_ERROR') });
  }
}
