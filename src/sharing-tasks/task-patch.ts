import { applyPatch, type Operation } from 'fast-json-patch';
import { ValidationError } from '../errors';
import {
  SharingTaskCreateRequestSchema,
  type SharingTask,
  type SharingTaskPatch,
} from './schemas';

/** The task fields a client defines (the create request's); everything else is the service's. */
export const EDITABLE_KEYS = Object.keys(SharingTaskCreateRequestSchema.shape) as (keyof SharingTask & string)[];

/** The task in the shape of a create request: what PATCH edits, validated afterwards like a create. */
export function editableView(task: SharingTask): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of EDITABLE_KEYS) if (task[key] !== undefined) view[key] = structuredClone(task[key]);
  const { chronosJobID: _job, lastExecutionTime: _last, nextExecutionTime: _next, ...schedule } = task.scheduleOptions ?? {};
  const recipients = task.recipients;
  return {
    ...view,
    enabled: task.enabledByUser,
    scheduleOptions: schedule,
    recipients: {
      emailAddresses: (recipients?.emailAddresses ?? []).map((r) => r.value),
      userIds: (recipients?.userIds ?? []).map((r) => r.value),
      groupIds: (recipients?.groupIds ?? []).map((r) => r.value),
    },
  };
}

/**
 * Applies the JSON Patch to the task's editable view. `/recipient` is the reference's alias of
 * `/recipients`; `/ownerId` is returned apart because it is not part of the view.
 */
export function applyTaskPatch(task: SharingTask, patch: SharingTaskPatch): { view: Record<string, unknown>; ownerId?: string } {
  const view = editableView(task);
  let ownerId: string | undefined;
  const operations = patch.flatMap((operation, index) => {
    if (operation.path === '/ownerId') {
      if (operation.op !== 'replace' || typeof operation.value !== 'string' || operation.value === '') {
        throw new ValidationError([{ field: `[${index}].value`, rule: 'invalid_type', message: '/ownerId takes a user id string' }]);
      }
      ownerId = operation.value;
      return [];
    }
    const path = operation.path === '/recipient' ? '/recipients' : operation.path;
    if (operation.op === 'remove' && !(path.slice(1) in view)) return [];
    return [{ ...operation, path } as Operation];
  });
  try {
    applyPatch(view, operations, true, true);
  } catch (error) {
    throw new ValidationError([{ field: 'patch', rule: 'invalid_patch', message: (error as Error).message.split('\n')[0]! }]);
  }
  return { view, ownerId };
}
