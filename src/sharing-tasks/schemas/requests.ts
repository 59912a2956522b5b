import { Instant, PageLinks } from './common';
import { Role, SortKey, TaskType } from './enums';
import { Execution } from './execution';
import { ScheduleOptionsRequest, SharingTaskResponse } from './sharing-task';
import { z } from './zod';

export const PATCHABLE_PATHS = [
  '/name', '/tags', '/ownerId', '/enabled', '/description', '/scheduleOptions', '/templates',
  '/recipients', '/recipient', '/sharePointFolder', '/dataConnectionID', '/transportChannels', '/bookmarkId',
] as const;
const REMOVABLE_PATHS = new Set(['/tags', '/description', '/sharePointFolder', '/dataConnectionID', '/bookmarkId']);

export const SharingTaskPatch = z
  .array(
    z
      .object({ op: z.enum(['replace', 'remove']), path: z.enum(PATCHABLE_PATHS), value: z.unknown().optional() })
      .superRefine((operation, context) => {
        if (operation.op === 'replace' && operation.value === undefined) {
          context.addIssue({ code: 'custom', path: ['value'], message: 'is required with replace', params: { rule: 'required' } });
        }
        if (operation.op === 'remove' && !REMOVABLE_PATHS.has(operation.path)) {
          context.addIssue({ code: 'custom', path: ['path'], message: `${operation.path} is required and cannot be removed`, params: { rule: 'not_removable' } });
        }
      }),
  )
  .min(1)
  .max(50)
  .openapi('SharingTaskPatch');
export type SharingTaskPatch = z.infer<typeof SharingTaskPatch>;

/** Query values arrive as a string, repeated strings, or comma-separated: always a list here. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','))), z.array(item).optional());
const booleanString = z.enum(['true', 'false']).transform((value) => value === 'true');
const paging = (maxLimit: number) => ({
  limit: z.coerce.number().int().min(1).max(maxLimit).default(20),
  offset: z.coerce.number().int().min(0).default(0),
  page: z.string().optional(),
  next: z.string().optional(),
  prev: z.string().optional(),
});
const oneCursor = (query: { page?: string; next?: string; prev?: string }) => [query.page, query.next, query.prev].filter(Boolean).length <= 1;

export const SharingTaskListQuery = z
  .object({
    appid: z.string().optional(),
    owner: z.string().optional(),
    ownername: z.string().optional(),
    role: list(Role),
    type: list(TaskType),
    templateId: list(z.string()),
    excludeDeleting: booleanString.optional(),
    sort: list(SortKey),
    ...paging(100),
  })
  .refine(oneCursor, { message: 'only one of page, next or prev may be given', path: ['page'] });
export type SharingTaskListQuery = z.infer<typeof SharingTaskListQuery>;

export const SharingTaskListResponse = z
  .object({ sharingTasks: z.array(SharingTaskResponse), totalCount: z.number().int(), currentPageCount: z.number().int(), links: PageLinks })
  .openapi('SharingTaskList');

export const ExecutionListQuery = z
  .object({ sort: z.enum(['starttime', '+starttime', '-starttime']).optional(), status: z.enum(['successful', 'failed']).optional(), ...paging(200) })
  .refine(oneCursor, { message: 'only one of page, next or prev may be given', path: ['page'] });
export const ExecutionGetQuery = z.object({ status: z.enum(['successful', 'failed', 'cancelled']).optional() });
export const ExecutionListResponse = z
  .object({ executions: z.array(Execution), totalCount: z.number().int(), currentPageCount: z.number().int(), links: PageLinks })
  .openapi('ExecutionList');

export const ExecuteRequest = z.object({ sharingTaskID: z.string().min(1) }).openapi('ExecuteRequest');
export const AppReloadedRequest = z.object({ appId: z.string().min(1), reloadId: z.string().min(1).max(200), reloadTime: Instant }).openapi('AppReloadedRequest');
export const PreviewScheduleRequest = z
  .object({ scheduleOptions: ScheduleOptionsRequest, count: z.number().int().min(1).max(100).default(10) })
  .openapi('PreviewScheduleRequest');
export const OccurrencesQuery = z.object({ count: z.coerce.number().int().min(1).max(100).default(10) });
export const OccurrencesResponse = z.object({ timezone: z.string(), occurrences: z.array(z.string()) }).openapi('Occurrences');

export const ErrorResponse = z
  .object({
    errors: z.array(
      z.object({
        code: z.string(),
        title: z.string(),
        detail: z.string().optional(),
        meta: z.object({ httpCode: z.number().int(), field: z.string().optional(), rule: z.string().optional() }).optional(),
      }),
    ),
    traceId: z.string(),
  })
  .openapi('Error');
