import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { EmailDeliveryError } from '../src/deliver/email';
import { PermanentRunError, type RunService } from '../src/runs/run-service';
import type { TaskStatusService } from '../src/runs/task-status';
import type { SharingExecutionWorkflowInput } from '../workflows/definitions';
import type { FinishRequest } from './types';

export interface ActivityDependencies {
  runs: RunService;
  taskStatus: TaskStatusService;
}

/** Maps service errors to Temporal failures: permanent ones are not retried, the rest keep their code. */
async function asActivity<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PermanentRunError) throw ApplicationFailure.nonRetryable(error.message, error.code);
    if (error instanceof EmailDeliveryError) throw ApplicationFailure.retryable(error.message, 'EMAIL_DELIVERY_FAILURE');
    throw error;
  }
}

/** The activities of both workflows: thin, idempotent calls into the services, built once by the worker. */
export function createActivities({ runs, taskStatus }: ActivityDependencies) {
  return {
    beginExecution: (input: SharingExecutionWorkflowInput) =>
      asActivity(() => runs.begin(input, activityInfo().workflowExecution?.workflowId ?? '')),
    renderTemplate: ({ executionId, templateIndex }: { executionId: string; templateIndex: number }) =>
      asActivity(() => runs.renderTemplate(executionId, templateIndex)),
    deliverByEmail: ({ executionId, recipient }: { executionId: string; recipient: string }) =>
      asActivity(() => runs.deliverByEmail(executionId, recipient)),
    finishExecution: (request: FinishRequest) => asActivity(() => runs.finish(request)),

    recordNextRun: ({ tenant, taskId, nextRun }: { tenant: string; taskId: string; nextRun?: string }) =>
      taskStatus.recordNextRun(tenant, taskId, nextRun),
    recordSkippedOccurrence: (input: { tenant: string; taskId: string; executionId: string; occurrence: string }) =>
      taskStatus.recordSkippedOccurrence(input.tenant, input.taskId, input.executionId, input.occurrence),
    recordScheduleEnded: ({ tenant, taskId }: { tenant: string; taskId: string }) =>
      taskStatus.recordScheduleEnded(tenant, taskId),
  };
}
