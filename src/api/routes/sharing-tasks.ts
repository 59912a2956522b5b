import { Router, type Request } from 'express';
import type { SharingTaskService } from '../../sharing-tasks/sharing-task-service';
import {
  AppReloadedRequestSchema,
  ExecuteRequestSchema,
  OccurrencesQuerySchema,
  PreviewScheduleRequestSchema,
  SharingTaskCreateRequestSchema,
  SharingTaskListQuerySchema,
  SharingTaskPatchSchema,
  TaskGetQuerySchema,
  TaskParamsSchema,
} from '../../sharing-tasks/schemas';
import { callerOf } from '../middleware/authenticate';
import { decodeCursor, pageLinks } from '../paging';
import { apiBase, taskResponse } from '../presenters';
import { resource } from '../resource';
import { parseInput, queryOf } from '../validate';

export interface SharingTaskRoutesDependencies {
  tasks: SharingTaskService;
}

/** Route → parse → service (which authorizes by caller) → shape the response. */
export function sharingTaskRoutes({ tasks }: SharingTaskRoutesDependencies): Router {
  const router = Router();
  const base = (req: Request) => apiBase(req);
  const taskId = (req: Request) => parseInput(TaskParamsSchema, req.params, 'params').taskId;

  resource(router, '/sharing-tasks', {
    get: async (req, res) => {
      const query = parseInput(SharingTaskListQuerySchema, queryOf(req), 'query');
      const cursor = query.page ?? query.next ?? query.prev;
      const offset = cursor ? decodeCursor(cursor, 'query.page') : query.offset;
      const caller = callerOf(req);
      const { tasks: page, totalCount } = await tasks.list(caller, { ...query, offset });
      const latest = await tasks.latestExecutions(caller.tenant, page);
      res.json({
        sharingTasks: page.map((task) => taskResponse(task, base(req), latest.get(task.id))),
        totalCount,
        currentPageCount: page.length,
        links: pageLinks(req, base(req), { offset, limit: query.limit, count: page.length, total: totalCount }),
      });
    },
    post: async (req, res) => {
      const request = parseInput(SharingTaskCreateRequestSchema, req.body);
      const task = await tasks.create(callerOf(req), request);
      res.status(201).location(`${base(req)}/sharing-tasks/${task.id}`).json(taskResponse(task, base(req)));
    },
  });

  resource(router, '/sharing-tasks/actions/execute', {
    post: async (req, res) => {
      const { sharingTaskID } = parseInput(ExecuteRequestSchema, req.body);
      await tasks.execute(callerOf(req), sharingTaskID);
      res.status(204).end();
    },
  });

  resource(router, '/sharing-tasks/actions/app-reloaded', {
    post: async (req, res) => {
      await tasks.appReloaded(callerOf(req), parseInput(AppReloadedRequestSchema, req.body));
      res.status(204).end();
    },
  });

  resource(router, '/sharing-tasks/actions/preview-schedule', {
    post: async (req, res) => {
      const { scheduleOptions, count } = parseInput(PreviewScheduleRequestSchema, req.body);
      res.json(await tasks.previewSchedule(callerOf(req), scheduleOptions, count));
    },
  });

  resource(router, '/sharing-tasks/:taskId/occurrences', {
    get: async (req, res) => {
      const { count } = parseInput(OccurrencesQuerySchema, queryOf(req), 'query');
      res.json(await tasks.occurrences(callerOf(req), taskId(req), count));
    },
  });

  resource(router, '/sharing-tasks/:taskId', {
    get: async (req, res) => {
      const { isViewChart } = parseInput(TaskGetQuerySchema, queryOf(req), 'query');
      const task = await tasks.get(callerOf(req), taskId(req), { markViewed: isViewChart === true });
      res.json(taskResponse(task, base(req), await tasks.latestExecution(task)));
    },
    patch: async (req, res) => {
      await tasks.patch(callerOf(req), taskId(req), parseInput(SharingTaskPatchSchema, req.body));
      res.status(204).end();
    },
    delete: async (req, res) => {
      await tasks.delete(callerOf(req), taskId(req));
      res.status(204).end();
    },
  });

  resource(router, '/sharing-tasks/:taskId/actions/cancel', {
    post: async (req, res) => {
      await tasks.cancel(callerOf(req), taskId(req));
      res.status(204).end();
    },
  });

  return router;
}
