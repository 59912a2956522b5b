import { InstantSchema } from './common';
import { queryInteger } from './paging';
import { ScheduleOptionsRequestSchema } from './schedule-options';
import { singleLine } from './text';
import { z } from './zod';

/** POST /sharing-tasks/actions/execute: run the task now, whatever its schedule. */
export const ExecuteRequestSchema = z.object({ sharingTaskID: singleLine().min(1).max(200).openapi({ example: 'a1b2c3d4f5' }) }).openapi('ExecuteRequest');
export type ExecuteRequest = z.infer<typeof ExecuteRequestSchema>;

/** POST /sharing-tasks/actions/app-reloaded: an app finished a reload; tasks with executeOnAppReload run once per reloadId. */
export const AppReloadedRequestSchema = z
  .object({
    appId: singleLine().min(1).max(1000),
    reloadId: singleLine().min(1).max(200).openapi({ description: 'identifies the reload: a repeated notification runs nothing twice' }),
    reloadTime: InstantSchema,
  })
  .openapi('AppReloadedRequest');
export type AppReloadedRequest = z.infer<typeof AppReloadedRequestSchema>;

export const MAX_OCCURRENCES = 100;

/** POST /sharing-tasks/actions/preview-schedule: the next occurrences of a schedule, before creating a task. */
export const PreviewScheduleRequestSchema = z
  .object({ scheduleOptions: ScheduleOptionsRequestSchema, count: z.number().int().min(1).max(MAX_OCCURRENCES).default(10) })
  .openapi('PreviewScheduleRequest');
export type PreviewScheduleRequest = z.infer<typeof PreviewScheduleRequestSchema>;

/** GET /sharing-tasks/{taskId}/occurrences query. */
export const OccurrencesQuerySchema = z.object({ count: queryInteger({ min: 1, max: MAX_OCCURRENCES }).default(10) });
export type OccurrencesQuery = z.infer<typeof OccurrencesQuerySchema>;

export const OccurrencesResponseSchema = z
  .object({
    timezone: z.string(),
    occurrences: z.array(z.string()).openapi({ description: 'RFC 3339 instants, earliest first' }),
  })
  .openapi('Occurrences');
export type OccurrencesResponse = z.infer<typeof OccurrencesResponseSchema>;
