import { ValidationError } from '../errors';
import {
  jsonByteLength,
  SharingTaskCreateRequestSchema,
  type SharingTask,
  type SharingTaskPatch,
} from './schemas';

/** The task fields a client defines (the create request's); everything else is the service's. */
export const EDITABLE_KEYS = Object.keys(SharingTaskCreateRequestSchema.shape) as (keyof SharingTask & string)[];

/**
 * The task in the shape of a create request: what PATCH edits. A task without rules has no
 * `scheduleOptions` here (as it was created), not an empty one that no create would accept.
 */
export function editableView(task: SharingTask): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of EDITABLE_KEYS) if (task[key] !== undefined && task[key] !== null) view[key] = structuredClone(task[key]);
  const { chronosJobID: _job, lastExecutionTime: _last, nextExecutionTime: _next, ...schedule } = task.scheduleOptions ?? {};
  const recipients = task.recipients;
  delete view.scheduleOptions;
  return {
    ...view,
    enabled: task.enabledByUser,
    ...(task.scheduleOptions?.recurrence?.length ? { scheduleOptions: schedule } : {}),
    recipients: {
      emailAddresses: (recipients?.emailAddresses ?? []).map((r) => r.value),
      userIds: (recipients?.userIds ?? []).map((r) => r.value),
      groupIds: (recipients?.groupIds ?? []).map((r) => r.value),
    },
  };
}

/**
 * Applies the JSON Patch to the task's editable view. `/recipient` is the reference's alias of
 * `/recipients`; `/ownerId` is returned apart because it is not part of the view. `changed` names
 * the view's fields the patch replaced or removed: the rules to check again are theirs.
 */
export function applyTaskPatch(
  task: SharingTask,
  patch: SharingTaskPatch,
): { view: Record<string, unknown>; bytesBefore: number; changed: Set<string>; ownerId?: string } {
  const view = editableView(task);
  const bytesBefore = jsonByteLength(view);
  const changed = new Set<string>();
  let ownerId: string | undefined;
  // Every patchable path is one top-level field: replace sets it (whether or not it was set), remove unsets it.
  patch.forEach((operation, index) => {
    if (operation.path === '/ownerId') {
      if (operation.op !== 'replace' || typeof operation.value !== 'string' || operation.value === '') {
        throw new ValidationError([{ field: `[${index}].value`, rule: 'invalid_type', message: '/ownerId takes a user id string' }]);
      }
      ownerId = operation.value;
      return;
    }
    const field = operation.path === '/recipient' ? 'recipients' : operation.path.slice(1);
    if (operation.op === 'remove' && !(field in view)) return;
    changed.add(field);
    if (operation.op === 'remove') delete view[field];
    else view[field] = operation.value;
  });
  return { view, bytesBefore, changed, ownerId };
}
