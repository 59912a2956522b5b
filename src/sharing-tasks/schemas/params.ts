import { BooleanQuerySchema } from './paging';
import { singleLine } from './text';
import { z } from './zod';

/** A path segment naming a resource: NUL and control characters are refused (400), an unknown id is a 404. */
const idSegment = (description: string) => singleLine().min(1).max(200).openapi({ description });

export const TaskParamsSchema = z.object({ taskId: idSegment('the sharing task identifier') });
export const ExecutionParamsSchema = TaskParamsSchema.extend({
  executionId: idSegment('the execution identifier, or `latest` for the latest run (see `status`)'),
});
export const FileParamsSchema = ExecutionParamsSchema.extend({ fileAlias: idSegment('the fileAlias (or fileID) of a file of the execution') });

/** GET /sharing-tasks/{taskId} query. */
export const TaskGetQuerySchema = z.object({ isViewChart: BooleanQuerySchema.optional().openapi({ description: 'true records the view (lastViewed)' }) });
export type TaskGetQuery = z.infer<typeof TaskGetQuerySchema>;
