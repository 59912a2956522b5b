import type { Clock } from '../clock';
import { errors } from '../errors';
import type { Stores } from '../store';
import type { TaskWorkflows } from '../temporal/task-workflows';
import type { SharingTask } from './schemas';

/** A change of a task as read: what to store, and how to tell its workflow (given the task as stored after it). */
export interface OrderedChange {
  task: SharingTask;
  set: Partial<SharingTask>;
  unset: string[];
  tell: (updated: SharingTask) => Promise<unknown>;
}

/**
 * How long a create or change waits for the task's workflow to show it applied (its status query)
 * before answering anyway: the change is durable in Temporal by then, and the reconciler repairs a
 * workflow that still lags behind its task's revision.
 */
export const WORKFLOW_ACK_TIMEOUT_MS = 5_000;

/** Attempts of a change whose revision another change claimed first (each reads the task again). */
const CHANGE_ATTEMPTS = 5;
/** How long a change waits for the one that claimed the revision before it to store it. */
const CLAIMED_WRITE_WAIT_MS = 2_000;

/** An SDK error's message with its cause (the SDK wraps the gRPC status in `cause`). */
export function describeCause(error: unknown): string {
  const { message, cause } = error as Error & { cause?: Error };
  return cause?.message ? `${message}: ${cause.message}` : message;
}

/**
 * A signal Temporal did not take: it could not be reached. A change is saved with its revision by
 * then, and the reconciler brings the workflow up to it; a request that changes nothing (execute,
 * delete's stop) is to be repeated.
 */
export async function tellWorkflow(action: () => Promise<unknown>, saved: 'change saved' | 'nothing saved' = 'nothing saved'): Promise<void> {
  try {
    await action();
  } catch (error) {
    const outcome = saved === 'change saved'
      ? "the change is saved and reaches the task's workflow once the engine is back"
      : 'repeat the request';
    throw errors.unavailable(`the workflow engine cannot be reached: ${describeCause(error)}; ${outcome}`);
  }
}

/**
 * The one path by which a task changes after its create (PATCH, cancel, a feature toggle): each
 * change at the task's next revision, told to its workflow, acknowledged by it.
 */
export class OrderedTaskChanges {
  constructor(
    private readonly stores: Stores,
    private readonly workflows: TaskWorkflows,
    private readonly clock: Clock,
  ) {}

  /**
   * Makes one change of a task at its next revision: claims (task, revision) — of two changes from
   * the same read one gets it, the other reads the task again — stores it with that revision, tells
   * the workflow, and waits (bounded) until the workflow shows it applied, so that what GET shows
   * next is the workflow's decision. A signal that fails leaves a revision ahead of the workflow's,
   * which the reconciler repairs. `change` answering nothing (the task read is already as wanted)
   * makes no change; the answer says whether one was made.
   */
  async make(change: () => Promise<OrderedChange | undefined>): Promise<boolean> {
    for (let attempt = 1, taken = 0; ; attempt++) {
      const planned = await change();
      if (!planned) return false;
      const { task, set, unset, tell } = planned;
      const revision = Math.max(task.revision ?? 0, taken) + 1;
      if (!(await this.stores.revisions.claim(task.tenant, task.id, revision, this.clock.now()))) {
        if (attempt >= CHANGE_ATTEMPTS) {
          throw errors.conflict(`sharing task ${task.id} is being changed by other requests at the same time; try again`);
        }
        // Another change has this revision: read the task again once it is stored (or, should that
        // change have died between its claim and its write, go past it).
        taken = revision;
        await this.untilStored(task, revision);
        continue;
      }
      await this.stores.tasks.update(task.tenant, task.id, { ...set, revision }, unset);
      const updated = { ...task, ...set, revision } as SharingTask;
      for (const key of unset) delete (updated as Record<string, unknown>)[key];
      await tellWorkflow(() => tell(updated), 'change saved');
      await this.workflows.awaitRecorded(updated, revision, WORKFLOW_ACK_TIMEOUT_MS);
      return true;
    }
  }

  private async untilStored(task: SharingTask, revision: number): Promise<void> {
    const deadline = Date.now() + CLAIMED_WRITE_WAIT_MS;
    while (Date.now() < deadline && ((await this.stores.tasks.get(task.tenant, task.id))?.revision ?? 0) < revision) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
