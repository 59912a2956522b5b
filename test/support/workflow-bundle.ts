import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import { sdkLogger, WORKFLOW_PRELOADED_MODULES } from '../../src/worker/create-worker';

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

function bundled(interceptorModules: string[]): Promise<WorkflowBundleWithSourceMap> {
  const key = interceptorModules.join(',');
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      preloadModules: WORKFLOW_PRELOADED_MODULES,
      workflowInterceptorModules: interceptorModules,
      logger: sdkLogger('warn', createLogger('workflow-bundler', 'warn', process.env.TEST_LOG_FILE)),
    });
    bundles.set(key, bundle);
  }
  return bundle;
}

/** The workflow code bundled once per test run (bundling takes seconds; every test worker reuses it). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundled([]);
}

/** The workflow code with test/support/held-hand-over.ts: every continue-as-new waits on a queue of its own. */
export function heldHandOverBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundled([require.resolve('./held-hand-over')]);
}
