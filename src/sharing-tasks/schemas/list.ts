import { RoleSchema, SharingTaskSortSchema, TaskTypeSchema } from './enums';
import { atMostOneCursor, BooleanQuerySchema, listResponseSchema, pagingQueryShape, queryList, queryText } from './paging';
import { SharingTaskResponseSchema } from './sharing-task';
import { z } from './zod';

export const MAX_TASK_PAGE_SIZE = 100;

/** GET /sharing-tasks query: the reference's filters and sorts, limit 1..100 (default 20), offset or one cursor. */
export const SharingTaskListQuerySchema = z
  .object({
    appid: queryText().optional().openapi({ description: 'only tasks of this app' }),
    owner: queryText().optional().openapi({ description: 'only tasks of this owner (user id)' }),
    ownername: queryText().optional().openapi({ description: 'only tasks of this owner (user name)' }),
    role: queryList(RoleSchema).openapi({ description: 'only tasks the caller owns and/or receives' }),
    type: queryList(TaskTypeSchema),
    templateId: queryList(queryText().min(1)),
    excludeDeleting: BooleanQuerySchema.optional().openapi({ description: 'leave out tasks being deleted (statusCode DELETING)' }),
    sort: queryList(SharingTaskSortSchema).openapi({ description: 'sort keys, first first; "-" descending' }),
    ...pagingQueryShape(MAX_TASK_PAGE_SIZE),
  })
  .superRefine(atMostOneCursor);
export type SharingTaskListQuery = z.infer<typeof SharingTaskListQuerySchema>;

export const SharingTaskListResponseSchema = listResponseSchema('sharingTasks', SharingTaskResponseSchema).openapi('SharingTaskList');
export type SharingTaskListResponse = z.infer<typeof SharingTaskListResponseSchema>;
