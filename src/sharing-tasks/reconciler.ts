import type { Client } from '@temporalio/client';
import type { Logger } from '../logger';
import type { Stores } from '../store';
import { purgeTaskData } from './purge';
import { SEARCH_ATTRIBUTES } from '../temporal/search-attributes';
import type { TaskWorkflows } from '../temporal/task-workflows';

const PAGE_SIZE = 500;

/**
 * Makes Temporal match MongoDB: every enabled task has a running workflow (repairing a crash
 * between the database write and the workflow start), and no workflow runs for a deleted task.
 * Compares one visibility listing with one pass over the tasks instead of asking per task.
 */
export class Reconciler {
  constructor(
    private readonly stores: Stores,
    private readonly workflows: TaskWorkflows,
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  async reconcile(): Promise<{ started: number; terminated: number }> {
    const running = new Set<string>();
    for await (const workflow of this.client.workflow.list({
      query: `WorkflowType = 'sharingTaskWorkflow' AND ExecutionStatus = 'Running'`,
    })) {
      running.add(workflow.workflowId);
    }

    let started = 0;
    const expected = new Set<string>();
    for (let afterId: string | undefined, page; (page = await this.stores.tasks.listEnabledAfter(afterId, PAGE_SIZE)).length > 0; ) {
      for (const task of page) {
        const workflowId = this.workflows.workflowId(task);
        expected.add(workflowId);
        if (task.statusCode === 'DELETING') {
          // A delete that died half-way: finish it.
          await this.workflows.terminate(task, 'sharing task deleted');
          await purgeTaskData(this.stores, task);
          continue;
        }
        if (running.has(workflowId) || task.statusCode === 'COMPLETED') continue;
        // A task that never ran may never have had a workflow: it still owes its creation run.
        await this.workflows.taskUpdated(task, { executeOnCreation: task.executeOnCreation && !task.lastRun });
        started++;
      }
      afterId = page[page.length - 1]!.id;
    }

    let terminated = 0;
    for (const workflowId of running) {
      if (expected.has(workflowId)) continue;
      const [tenant, taskId] = await this.ownerOf(workflowId);
      if (tenant && taskId && !(await this.stores.tasks.get(tenant, taskId))) {
        await this.client.workflow.getHandle(workflowId).terminate('sharing task deleted');
        terminated++;
      }
    }
    if (started || terminated) this.logger.info({ started, terminated }, 'reconciled task workflows');
    return { started, terminated };
  }

  private async ownerOf(workflowId: string): Promise<[string?, string?]> {
    const description = await this.client.workflow.getHandle(workflowId).describe();
    const attributes = description.typedSearchAttributes;
    return [attributes.get(SEARCH_ATTRIBUTES.tenant), attributes.get(SEARCH_ATTRIBUTES.taskId)];
  }
}
