import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
// Started by reference (the samples' idiom): the workflow type is the function's name, checked by the compiler.
import { appReloadWorkflow, featureToggleWorkflow, reconcilerWorkflow } from '../../workflows/fleet';
import { sharingTaskWorkflow } from '../../workflows/sharing-task';
import { appReloadWorkflowId, type AppReload } from '../sharing-tasks/app-reload-fanout';
import { featureToggleWorkflowId, type FeatureToggleTarget } from '../sharing-tasks/feature-toggles';
import { reconcilerWorkflowId } from '../sharing-tasks/reconciler';
import { taskControlOf } from '../sharing-tasks/task-control';
import type { SharingTask } from '../sharing-tasks/schemas';
import { appReloadedSignal, cancelSignal, executeNowSignal, statusQuery, taskUpdatedSignal } from '../../workflows/definitions';
import { taskWorkflowId, type SharingTaskWorkflowInput, type StagingPolicy, type TaskControl, type TaskWorkflowStatus } from '../contract/task-workflow';
import { taskSearchAttributes } from './search-attributes';

/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW (@temporalio/proto is not a dependency of the service). */
const TASK_QUEUE_TYPE_WORKFLOW = 1;

/** What a change asks of the workflow beyond the task's new state. */
export interface ControlChange {
  /** The change resumes a task the system disabled (too many failed runs). */
  resumeSystemDisabled?: boolean;
}

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

  private controlOf(task: SharingTask, change: ControlChange = {}): TaskControl {
    return { ...taskControlOf(task, change), ...(this.staging ? { staging: this.staging } : {}) };
  }

  workflowId(task: Pick<SharingTask, 'tenant' | 'id'>): string {
    return taskWorkflowId(task.tenant, task.id);
  }

  private startOptions(task: SharingTask, executeOnCreation = false) {
    const input: SharingTaskWorkflowInput = {
      tenant: task.tenant,
      taskId: task.id,
      control: this.controlOf(task),
      // A task paused by its feature owes no creation run: the feature was off when it was created.
      executeOnCreation: executeOnCreation && !task.pausedByFeature,
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
      await this.client.workflow.start(sharingTaskWorkflow, this.startOptions(task, options.executeOnCreation));
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /**
   * Tells the task's workflow the task as it now is; starts it when it is not running (the reconciler's
   * repair, with the creation run a task still owes when its workflow never started).
   */
  async taskUpdated(task: SharingTask, options: { executeOnCreation?: boolean } & ControlChange = {}): Promise<void> {
    await this.client.workflow.signalWithStart<typeof sharingTaskWorkflow, [TaskControl]>(sharingTaskWorkflow, {
      ...this.startOptions(task, options.executeOnCreation),
      signal: taskUpdatedSignal,
      signalArgs: [this.controlOf(task, options)],
    });
  }

  async executeNow(task: SharingTask, requestId: string, requestedAt: Date): Promise<void> {
    await this.client.workflow.signalWithStart<typeof sharingTaskWorkflow, [{ requestId: string; requestedAt: string }]>(sharingTaskWorkflow, {
      ...this.startOptions(task),
      signal: executeNowSignal,
      signalArgs: [{ requestId, requestedAt: requestedAt.toISOString() }],
    });
  }

  async appReloaded(task: SharingTask, reloadId: string, reloadTime: string): Promise<void> {
    await this.client.workflow.signalWithStart<typeof sharingTaskWorkflow, [{ reloadId: string; reloadTime: string }]>(sharingTaskWorkflow, {
      ...this.startOptions(task),
      signal: appReloadedSignal,
      signalArgs: [{ reloadId, reloadTime }],
    });
  }

  /**
   * Starts the deployment's reconciler workflow unless it runs already (every worker asks; the
   * first one's stays). Its interval is the one it was started with.
   */
  async ensureReconciler(intervalSeconds: number): Promise<void> {
    await this.client.workflow.start(reconcilerWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: reconcilerWorkflowId(this.taskQueue),
      args: [{ intervalSeconds }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }

  /** Starts the fan-out of one app reload to the app's tasks; a reload reported again is the same workflow. Its id. */
  async startAppReload(reload: AppReload): Promise<string> {
    const workflowId = appReloadWorkflowId(reload);
    try {
      await this.client.workflow.start(appReloadWorkflow, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [reload],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return workflowId;
  }

  /**
   * Starts the toggle of a tenant's feature through its tasks. A toggle of the same feature still
   * going is terminated: the newer intent wins, and the new run goes through every task again. Its id.
   */
  async startFeatureToggle(target: FeatureToggleTarget): Promise<string> {
    const workflowId = featureToggleWorkflowId(target.tenant, target.feature);
    await this.client.workflow.start(featureToggleWorkflow, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [target],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
    });
    return workflowId;
  }

  /** False when the task has no running workflow. `task` is the task as cancelled (its new revision). */
  async cancel(task: SharingTask): Promise<boolean> {
    const change = task.revision === undefined ? undefined : { revision: task.revision };
    return this.ignoringNotFound(() => this.client.workflow.getHandle(this.workflowId(task)).signal(cancelSignal, change));
  }

  /**
   * Waits until the task's workflow shows `revision` applied and its decision recorded in MongoDB
   * (its status query), at most `timeoutMs`; the status then, or undefined when it did not within
   * the time (no worker, the workflow busy): the change is durable in Temporal and will be applied.
   */
  async awaitRecorded(task: SharingTask, revision: number, timeoutMs: number): Promise<TaskWorkflowStatus | undefined> {
    if (!(await this.mayHaveWorker())) return undefined;
    const deadline = Date.now() + timeoutMs;
    for (let pauseMs = 20; ; pauseMs = Math.min(pauseMs * 2, 250)) {
      const status = await this.statusWithin(task, Math.max(1, deadline - Date.now()));
      if (status && (status.recordedRevision ?? 0) >= revision) return status;
      if (Date.now() + pauseMs >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  /** False when no worker polled the task queue lately (all down, or none started): nobody would answer the wait. */
  private async mayHaveWorker(): Promise<boolean> {
    try {
      const { pollers } = await this.client.workflowService.describeTaskQueue({
        namespace: this.client.options.namespace,
        taskQueue: { name: this.taskQueue },
        taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
      });
      return pollers.length > 0;
    } catch {
      return true; // a server that cannot say: wait and see
    }
  }

  /** The status query, or undefined when it fails or does not answer within `timeoutMs` (a query waits for a worker). */
  private async statusWithin(task: SharingTask, timeoutMs: number): Promise<TaskWorkflowStatus | undefined> {
    try {
      return await this.client.withDeadline(Date.now() + timeoutMs, () => this.status(task));
    } catch {
      return undefined;
    }
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
