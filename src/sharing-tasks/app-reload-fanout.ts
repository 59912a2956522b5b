import { inParallel } from '../in-parallel';
import type { Stores } from '../store';
import type { TaskWorkflows } from '../temporal/task-workflows';
import type { SharingTask } from './schemas';
import { isFeatureOn } from './feature-toggles';
import { isTaskEnabled } from './task-control';

export interface AppReload {
  tenant: string;
  appId: string;
  reloadId: string;
  reloadTime: string;
}

export interface FanoutPage {
  /** The last task id of this page; undefined when every task of the app was seen. */
  nextAfterId?: string;
  seen: number;
  signalled: number;
}

/** One workflow per reload of an app: a repeated report of the same reload starts nothing new. */
export function appReloadWorkflowId(reload: Pick<AppReload, 'tenant' | 'appId' | 'reloadId'>): string {
  return `app-reload-${reload.tenant}-${reload.appId}-${reload.reloadId}`;
}

/** Tasks read per step, and signals in flight at once: the engine sees a steady trickle, not a burst of thousands. */
export const FANOUT_PAGE_SIZE = 100;
export const FANOUT_CONCURRENCY = 16;

/**
 * Tells every task of an app that asks for it (`trigger.executeOnAppReload`, enabled) that the app
 * reloaded, one page of tasks per call (the app-reload workflow's activity), at most
 * FANOUT_CONCURRENCY signals at a time. Each task's workflow coalesces the reloads of a burst.
 */
export class AppReloadFanout {
  constructor(
    private readonly stores: Stores,
    private readonly workflows: TaskWorkflows,
  ) {}

  async signalPage(reload: AppReload, afterId: string | undefined, limit = FANOUT_PAGE_SIZE): Promise<FanoutPage> {
    const page = await this.stores.tasks.listByAppAfter(reload.tenant, reload.appId, afterId, limit);
    // A feature turned off reaches its tasks page by page (feature-toggle-fanout.ts): those not reached yet get no reload run either.
    const settings = await this.stores.settings.find(reload.tenant);
    const featureOn = (task: SharingTask) => !settings || isFeatureOn(settings, task.type);
    const due = page.filter((task) => task.trigger?.executeOnAppReload && isTaskEnabled(task) && featureOn(task) && task.statusCode !== 'DELETING');
    await inParallel(due, FANOUT_CONCURRENCY, (task) => this.workflows.appReloaded(task, reload.reloadId, reload.reloadTime));
    return {
      seen: page.length,
      signalled: due.length,
      ...(page.length < limit ? {} : { nextAfterId: page[page.length - 1]!.id }),
    };
  }
}
