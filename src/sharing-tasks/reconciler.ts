import type { Client } from '@temporalio/client';
import type { Logger } from '../logger';
import type { Stores } from '../store';
import type { FeatureToggleFanout } from './feature-toggle-fanout';
import { purgeTaskData } from './purge';
import type { Settings } from './schemas';
import { isTaskEnabled } from './task-control';
import { SEARCH_ATTRIBUTES } from '../temporal/search-attributes';
import type { TaskWorkflows } from '../temporal/task-workflows';

/** Tasks per step: one MongoDB page, and one visibility query naming their workflow ids. */
export const RECONCILE_PAGE_SIZE = 100;

/** The reconciler workflow's id: one per deployment (task queue). */
export function reconcilerWorkflowId(taskQueue: string): string {
  return `sharing-tasks-reconciler-${taskQueue}`;
}

export interface PageOutcome {
  /** The last task id of this page, to continue after; undefined when the pass over the tasks is over. */
  nextAfterId?: string;
  tasks: number;
  started: number;
  updated: number;
  purged: number;
}

export interface ReconcileTotals {
  started: number;
  updated: number;
  terminated: number;
}

/**
 * Makes Temporal match MongoDB: every enabled task has a running workflow (repairing a crash
 * between the database write and the workflow start), every workflow has applied its task's
 * latest revision (repairing a change whose signal never arrived), every task is paused or not as
 * its tenant's feature toggle says once no toggle is under way, and no workflow runs for a deleted task. Works in pages (the reconciler workflow runs one page per activity): each page of
 * tasks is compared with one visibility query for their workflows, never a describe per task.
 */
export class Reconciler {
  constructor(
    private readonly stores: Stores,
    private readonly workflows: TaskWorkflows,
    private readonly client: Client,
    private readonly logger: Logger,
    /** The deployment's task queue: only its task workflows are this reconciler's (one namespace may hold several). */
    private readonly taskQueue: string,
    private readonly featureToggles: FeatureToggleFanout,
  ) {}

  /** A whole round, pages one after another (tests; the reconciler workflow runs the same steps). */
  async reconcile(): Promise<ReconcileTotals> {
    const totals = { started: 0, updated: 0, terminated: 0 };
    for (let afterId: string | undefined; ; ) {
      const page = await this.reconcilePage(afterId);
      totals.started += page.started;
      totals.updated += page.updated;
      if (!page.nextAfterId) break;
      afterId = page.nextAfterId;
    }
    totals.terminated = await this.endOrphanWorkflows();
    if (totals.started || totals.updated || totals.terminated) this.logger.info(totals, 'reconciled task workflows');
    return totals;
  }

  /** One page of tasks after `afterId`: starts missing workflows, updates stale ones, finishes deletes that died half-way. */
  async reconcilePage(afterId: string | undefined, limit = RECONCILE_PAGE_SIZE): Promise<PageOutcome> {
    const page = await this.stores.tasks.listAfter(afterId, limit);
    const outcome: PageOutcome = { tasks: page.length, started: 0, updated: 0, purged: 0 };
    if (page.length === 0) return outcome;
    const running = await this.runningAmong(page.map((task) => this.workflows.workflowId(task)));
    const settingsOf = new Map<string, Promise<Settings | undefined>>();
    for (const task of page) {
      if (task.statusCode === 'DELETING') {
        await this.workflows.terminate(task, 'sharing task deleted');
        await purgeTaskData(this.stores, task);
        outcome.purged++;
        continue;
      }
      if (task.statusCode === 'COMPLETED') continue;
      if (!settingsOf.has(task.tenant)) settingsOf.set(task.tenant, this.stores.settings.find(task.tenant));
      const settings = await settingsOf.get(task.tenant)!;
      // Its own change (a new revision, told to the workflow) repairs a missing or lagging workflow too.
      if (settings && (await this.featureToggles.align(task, settings))) {
        outcome.updated++;
        continue;
      }
      const missing = isTaskEnabled(task) && !running.has(this.workflows.workflowId(task));
      const stale = task.revision !== undefined && (task.appliedRevision ?? 0) < task.revision;
      if (!missing && !stale) continue;
      // A task that never ran may never have had a workflow: it still owes its creation run.
      await this.workflows.taskUpdated(task, { executeOnCreation: task.executeOnCreation && !task.lastRun });
      if (missing) outcome.started++;
      else outcome.updated++;
    }
    return page.length < limit ? outcome : { ...outcome, nextAfterId: page[page.length - 1]!.id };
  }

  /** Terminates running task workflows whose task is gone; their tenant and task id come with the listing (search attributes). */
  async endOrphanWorkflows(): Promise<number> {
    let terminated = 0;
    let batch: { workflowId: string; tenant?: string; taskId?: string }[] = [];
    const settle = async () => {
      const existing = await this.stores.tasks.existingIds(batch.flatMap((entry) => (entry.taskId ? [entry.taskId] : [])));
      for (const { workflowId, tenant, taskId } of batch) {
        if (!tenant || !taskId || existing.get(taskId) === tenant) continue;
        await this.client.workflow.getHandle(workflowId).terminate('sharing task deleted');
        terminated++;
      }
      batch = [];
    };
    const query = `WorkflowType = 'sharingTaskWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${this.taskQueue}'`;
    for await (const workflow of this.client.workflow.list({ query })) {
      const attributes = workflow.typedSearchAttributes;
      batch.push({ workflowId: workflow.workflowId, tenant: attributes.get(SEARCH_ATTRIBUTES.tenant), taskId: attributes.get(SEARCH_ATTRIBUTES.taskId) });
      if (batch.length >= RECONCILE_PAGE_SIZE) await settle();
    }
    if (batch.length > 0) await settle();
    return terminated;
  }

  private async runningAmong(workflowIds: string[]): Promise<Set<string>> {
    const running = new Set<string>();
    const ids = workflowIds.map((id) => `'${id.replace(/'/g, '')}'`).join(', ');
    for await (const workflow of this.client.workflow.list({
      query: `WorkflowType = 'sharingTaskWorkflow' AND ExecutionStatus = 'Running' AND WorkflowId IN (${ids})`,
    })) {
      running.add(workflow.workflowId);
    }
    return running;
  }
}
