import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { taskControlOf } from '../sharing-tasks/task-control';
import type { SharingTask } from '../sharing-tasks/schemas';
import {
  appReloadedSignal,
  cancelSignal,
  executeNowSignal,
  statusQuery,
  taskUpdatedSignal,
  taskWorkflowId,
  type SharingTaskWorkflowInput,
  type StagingPolicy,
  type TaskControl,
  type TaskWorkflowStatus,
} from '../../workflows/definitions';
import { taskSearchAttributes } from './search-attributes';

/**
 * The API's and reconciler's handle on task workflows. Signals that must reach a workflow even if
 * it ended (series over) or never started (crash after the database write) use signal-with-start.
 */
export class TaskWorkflows {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** The deployment's staging of scheduled runs; none (tests on the time-skipping server): at their instant. */
    private readonly staging?: StagingPolicy,
  ) {}

  private controlOf(task: SharingTask): TaskControl {
    return { ...taskControlOf(task), ...(this.staging ? { staging: this.staging } : {}) };
  }

  workflowId(task: Pick<SharingTask, 'tenant' | 'id'>): string {
    return taskWorkflowId(task.tenant, task.id);
  }

  private startOptions(task: SharingTask, executeOnCreation = false) {
    const input: SharingTaskWorkflowInput = {
      tenant: task.tenant,
      taskId: task.id,
      control: this.controlOf(task),
      executeOnCreation,
    };
    return {
      taskQueue: this.taskQueue,
      workflowId: this.workflowId(task),
      args: [input] as [SharingTaskWorkflowInput],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: taskSearchAttributes({
        taskId: task.id,
        tenant: task.tenant,
        owner: task.owner,
        taskType: task.type,
        appId: task.appId,
      }),
      memo: { taskName: task.name },
    };
  }

  /**
   * Starts a new task's workflow. One already running is this task's, started by a reconciler round
   * that came between the task's write and this start (task ids are new): as good as ours.
   */
  async start(task: SharingTask, options: { executeOnCreation?: boolean } = {}): Promise<void> {
    try {
      await this.client.workflow.start('sharingTaskWorkflow', this.startOptions(task, options.executeOnCreation));
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /**
   * Tells the task's workflow the task as it now is; starts it when it is not running (the reconciler's
   * repair, with the creation run a task still owes when its workflow never started).
   */
  async taskUpdated(task: SharingTask, options: { executeOnCreation?: boolean } = {}): Promise<void> {
    await this.client.workflow.signalWithStart('sharingTaskWorkflow', {
      ...this.startOptions(task, options.executeOnCreation),
      signal: taskUpdatedSignal,
      signalArgs: [this.controlOf(task)],
    });
  }

  async executeNow(task: SharingTask, requestId: string, requestedAt: Date): Promise<void> {
    await this.client.workflow.signalWithStart('sharingTaskWorkflow', {
      ...this.startOptions(task),
      signal: executeNowSignal,
      signalArgs: [{ requestId, requestedAt: requestedAt.toISOString() }],
    });
  }

  async appReloaded(task: SharingTask, reloadId: string, reloadTime: string): Promise<void> {
    await this.client.workflow.signalWithStart('sharingTaskWorkflow', {
      ...this.startOptions(task),
      signal: appReloadedSignal,
      signalArgs: [{ reloadId, reloadTime }],
    });
  }

  /** False when the task has no running workflow. */
  async cancel(task: SharingTask): Promise<boolean> {
    return this.ignoringNotFound(() => this.client.workflow.getHandle(this.workflowId(task)).signal(cancelSignal));
  }

  /** Ends the task's workflow and, through its parent-close policy, any run in progress. */
  async terminate(task: SharingTask, reason: string): Promise<boolean> {
    return this.ignoringNotFound(() => this.client.workflow.getHandle(this.workflowId(task)).terminate(reason));
  }

  async status(task: SharingTask): Promise<TaskWorkflowStatus | undefined> {
    try {
      return await this.client.workflow.getHandle(this.workflowId(task)).query(statusQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  async isRunning(task: SharingTask): Promise<boolean> {
    try {
      const description = await this.client.workflow.getHandle(this.workflowId(task)).describe();
      return description.status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  private async ignoringNotFound(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }
}
