/** The worker's workflow bundle entry point. */
export { sharingTaskWorkflow } from './sharing-task';
export { sharingExecutionWorkflow } from './sharing-execution';
export { appReloadWorkflow, featureToggleWorkflow, reconcilerWorkflow } from './fleet';
