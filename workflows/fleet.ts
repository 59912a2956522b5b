import { continueAsNew, defineQuery, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { AppReload } from '../src/sharing-tasks/app-reload-fanout';
import type { FeatureToggleTarget } from '../src/sharing-tasks/feature-toggles';

type Activities = ReturnType<typeof createActivities>;

/** Each step is one page (a MongoDB page and its signals or one visibility query): short, retried until the database and the engine answer. */
const { reconcileTasksPage, endOrphanWorkflows, signalAppReloadPage, readFeatureToggle, applyFeatureTogglePage, finishFeatureToggle } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export interface ReconcilerInput {
  intervalSeconds: number;
  /** Rounds done by the runs before this one (carried across continue-as-new). */
  roundsDone?: number;
}

export interface ReconcilerProgress {
  round: number;
  phase: 'tasks' | 'orphans' | 'waiting';
  tasksSeen: number;
  started: number;
  updated: number;
  purged: number;
  terminated: number;
}

export const reconcilerProgressQuery = defineQuery<ReconcilerProgress>('progress');

/**
 * The service's one reconciler (singleton id per task queue, started by every worker, kept by the
 * first): a round pages through every task (src/sharing-tasks/reconciler.ts, one page per activity),
 * then ends the workflows of deleted tasks, sleeps RECONCILE_INTERVAL_SECONDS and continues as new,
 * so its history is one round long.
 */
export async function reconcilerWorkflow(input: ReconcilerInput): Promise<void> {
  const progress: ReconcilerProgress = { round: (input.roundsDone ?? 0) + 1, phase: 'tasks', tasksSeen: 0, started: 0, updated: 0, purged: 0, terminated: 0 };
  setHandler(reconcilerProgressQuery, () => progress);
  for (let afterId: string | undefined; ; ) {
    const page = await reconcileTasksPage({ afterId });
    progress.tasksSeen += page.tasks;
    progress.started += page.started;
    progress.updated += page.updated;
    progress.purged += page.purged;
    if (!page.nextAfterId) break;
    afterId = page.nextAfterId;
  }
  progress.phase = 'orphans';
  progress.terminated = await endOrphanWorkflows();
  progress.phase = 'waiting';
  await sleep(input.intervalSeconds * 1000);
  await continueAsNew<typeof reconcilerWorkflow>({ intervalSeconds: input.intervalSeconds, roundsDone: progress.round });
}

export interface AppReloadProgress {
  seen: number;
  signalled: number;
  done: boolean;
}

export const appReloadProgressQuery = defineQuery<AppReloadProgress>('progress');

/**
 * One app reload told to every task of the app that asks for it, a page at a time with bounded
 * concurrency (src/sharing-tasks/app-reload-fanout.ts): the API answers at once, and the progress
 * is this workflow's `progress` query (and its result: how many were told).
 */
export async function appReloadWorkflow(reload: AppReload): Promise<AppReloadProgress> {
  const progress: AppReloadProgress = { seen: 0, signalled: 0, done: false };
  setHandler(appReloadProgressQuery, () => progress);
  for (let afterId: string | undefined; ; ) {
    const page = await signalAppReloadPage({ reload, afterId });
    progress.seen += page.seen;
    progress.signalled += page.signalled;
    if (!page.nextAfterId) break;
    afterId = page.nextAfterId;
  }
  progress.done = true;
  return progress;
}

export interface FeatureToggleProgress {
  /** The value being applied (read from the settings when the workflow started); undefined before. */
  enabled?: boolean;
  /** Governed tasks looked at, and those paused or resumed (the others already were). */
  seen: number;
  changed: number;
  /** Every task seen and the status back to `none`, or (finished false) left to a newer toggle. */
  done: boolean;
  finished?: boolean;
  /** A newer toggle of the feature came while this one went through the tasks. */
  superseded?: boolean;
}

export const featureToggleProgressQuery = defineQuery<FeatureToggleProgress>('progress');

/**
 * A tenant's subscription feature turned off or on, carried to every task it governs, a page at a
 * time with bounded concurrency (src/sharing-tasks/feature-toggle-fanout.ts): off pauses them
 * (`pausedByFeature`), on resumes those it paused. Then the feature's status goes back to `none`,
 * unless a newer toggle has come (that one's workflow replaces this one and sets it).
 */
export async function featureToggleWorkflow(target: FeatureToggleTarget): Promise<FeatureToggleProgress> {
  const progress: FeatureToggleProgress = { seen: 0, changed: 0, done: false };
  setHandler(featureToggleProgressQuery, () => progress);
  const intent = await readFeatureToggle(target);
  progress.enabled = intent.enabled;
  for (let afterId: string | undefined; ; ) {
    const page = await applyFeatureTogglePage({ target, intent, afterId });
    progress.seen += page.seen;
    progress.changed += page.changed;
    if (page.superseded) progress.superseded = true;
    if (!page.nextAfterId) break;
    afterId = page.nextAfterId;
  }
  progress.finished = !progress.superseded && (await finishFeatureToggle({ target, intent }));
  progress.done = true;
  return progress;
}
