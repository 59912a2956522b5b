import { SharingTaskCreateRequestSchema } from './sharing-task';
import { singleLine } from './text';
import { z } from './zod';

const editable = SharingTaskCreateRequestSchema.shape;

/**
 * Each PATCH path with the schema of its value: the create request's field (so a value is checked
 * like on create), `/recipient` being the reference's alias of `/recipients`.
 */
const VALUE_OF_PATH = {
  '/name': editable.name,
  '/tags': editable.tags,
  '/ownerId': singleLine().min(1).max(200).openapi({ description: 'user id of the new owner' }),
  '/enabled': editable.enabled,
  '/description': editable.description,
  '/scheduleOptions': editable.scheduleOptions,
  '/templates': editable.templates,
  '/recipients': editable.recipients,
  '/recipient': editable.recipients,
  '/sharePointFolder': editable.sharePointFolder,
  '/dataConnectionID': editable.dataConnectionID,
  '/transportChannels': editable.transportChannels,
  '/bookmarkId': editable.bookmarkId,
} as const;
type PatchPath = keyof typeof VALUE_OF_PATH;
/** An operation as parsed: `value` is the parsed value for replace, absent for remove. */
export interface PatchOperation {
  op: 'replace' | 'remove';
  path: PatchPath;
  value?: unknown;
}

export const PATCHABLE_PATHS = Object.keys(VALUE_OF_PATH) as [PatchPath, ...PatchPath[]];
/** The optional fields: the only ones `remove` may unset. */
export const REMOVABLE_PATHS = ['/description', '/tags', '/sharePointFolder', '/dataConnectionID', '/bookmarkId'] as const satisfies readonly PatchPath[];

/** The task field a path edits, as create names it (`/recipient` edits `recipients`). */
const fieldOf = (path: PatchPath) => (path === '/recipient' ? 'recipients' : path.slice(1));

/** One operation, checked for its form: a known path, `remove` only of an optional field, `replace` with a value. */
const PatchOperationSchema = z
  .object({
    op: z.enum(['replace', 'remove']),
    path: z.enum(PATCHABLE_PATHS),
    value: z.unknown().optional().openapi({ description: 'the new value (replace); checked like the same field on create' }),
  })
  .transform((operation, context): PatchOperation => {
    if (operation.op === 'remove') {
      if ((REMOVABLE_PATHS as readonly string[]).includes(operation.path)) return { op: operation.op, path: operation.path };
      context.addIssue({ code: 'custom', path: ['path'], message: `${operation.path} is required and cannot be removed`, params: { rule: 'not_removable' } });
      return z.NEVER;
    }
    if (operation.value === undefined) {
      context.addIssue({ code: 'custom', path: ['value'], message: 'is required with replace', params: { rule: 'required' } });
    }
    return operation;
  })
  .openapi('SharingTaskPatchOperation', {
    description: `replace (any path) or remove (only ${REMOVABLE_PATHS.join(', ')}); each value is checked like the same field on create`,
  });

/**
 * PATCH /sharing-tasks/{taskId}: a JSON Patch of 1 to 50 operations. A problem with an operation's
 * form names the operation (`[1].path`); one with a value names the task field, as on create
 * (`name`, `recipients.emailAddresses[0]`). Replace values come back parsed (normalised).
 */
export const SharingTaskPatchSchema = z
  .array(PatchOperationSchema)
  .min(1)
  .max(50)
  .transform((operations, context) =>
    operations.map((operation): PatchOperation => {
      if (operation.op === 'remove') return operation;
      const value = VALUE_OF_PATH[operation.path].safeParse(operation.value);
      if (value.success) return { ...operation, value: value.data };
      for (const issue of value.error.issues) {
        context.addIssue({ ...issue, path: [fieldOf(operation.path), ...issue.path] } as Parameters<typeof context.addIssue>[0] & object);
      }
      return operation;
    }),
  )
  .openapi('SharingTaskPatch');
export type SharingTaskPatch = z.infer<typeof SharingTaskPatchSchema>;
