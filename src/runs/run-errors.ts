import type { ExecutionRecord } from '../sharing-tasks/execution-record';
import type { Stores } from '../store';

/** A failure that retrying cannot fix; activities turn it into a non-retryable ApplicationFailure. */
export class PermanentRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentRunError';
  }
}

export async function requireExecution(stores: Stores, executionId: string): Promise<ExecutionRecord> {
  const execution = await stores.executions.getById(executionId);
  if (!execution) throw new PermanentRunError('EXECUTION_NOT_FOUND', `execution ${executionId} does not exist`);
  return execution;
}
