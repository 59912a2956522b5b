import type { SharingTask } from './schemas';
import type { Stores } from '../store';

/** Removes a task and everything it produced: executions, their files and delivery ledger, then the task. */
export async function purgeTaskData(stores: Stores, task: Pick<SharingTask, 'tenant' | 'id'>): Promise<void> {
  const executionIds = await stores.executions.idsNewestFirst(task.tenant, task.id);
  await stores.files.deleteForExecutions(executionIds);
  await stores.deliveries.deleteForExecutions(executionIds);
  await stores.executions.deleteForTask(task.tenant, task.id);
  await stores.revisions.deleteForTask(task.tenant, task.id);
  await stores.tasks.delete(task.tenant, task.id);
}
