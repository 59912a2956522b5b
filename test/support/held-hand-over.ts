/**
 * A workflow interceptor for tests (bundled only into the test's own bundle, see heldHandOverBundle):
 * a task workflow's continue-as-new hands over to `<its task queue>-held`, a queue no worker polls
 * until the test starts one there. So the new run's first workflow task waits as long as the test
 * wants, exactly as when every worker is busy, restarting or down at the hand-over.
 */
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const HELD_QUEUE_SUFFIX = '-held';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      async continueAsNew(input, next) {
        const { taskQueue } = workflowInfo();
        if (taskQueue.endsWith(HELD_QUEUE_SUFFIX)) return next(input);
        return next({ ...input, options: { ...input.options, taskQueue: `${taskQueue}${HELD_QUEUE_SUFFIX}` } });
      },
    },
  ],
});
