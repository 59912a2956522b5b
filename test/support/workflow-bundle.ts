import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import { sdkLogger, WORKFLOW_PRELOADED_MODULES } from '../../src/worker/create-worker';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow code bundled once per test run (bundling takes seconds; every test worker reuses it). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    preloadModules: WORKFLOW_PRELOADED_MODULES,
    logger: sdkLogger('warn', createLogger('workflow-bundler', 'warn', process.env.TEST_LOG_FILE)),
  });
  return bundle;
}
