import { Router, type Request } from 'express';
import type { ExecutionService } from '../../sharing-tasks/execution-service';
import {
  ExecutionGetQuerySchema,
  ExecutionListQuerySchema,
  ExecutionParamsSchema,
  FileParamsSchema,
  TaskParamsSchema,
} from '../../sharing-tasks/schemas';
import { callerOf } from '../middleware/authenticate';
import { decodeCursor, pageLinks } from '../paging';
import { apiBase, executionResponse } from '../presenters';
import { resource } from '../resource';
import { parseInput, queryOf } from '../validate';

/** A task's runs and their files (the targets of `latestExecutionURL` and `latestExecutionFilesURL`). */
export function executionRoutes({ executions }: { executions: ExecutionService }): Router {
  const router = Router();
  const base = (req: Request) => apiBase(req);

  resource(router, '/sharing-tasks/:taskId/executions', {
    get: async (req, res) => {
      const query = parseInput(ExecutionListQuerySchema, queryOf(req), 'query');
      const cursor = query.page ?? query.next ?? query.prev;
      const offset = cursor ? decodeCursor(cursor, 'query.page') : query.offset;
      const { taskId } = parseInput(TaskParamsSchema, req.params, 'params');
      const page = await executions.list(callerOf(req), taskId, { ...query, offset });
      res.json({
        executions: page.executions.map((execution) => executionResponse(execution, base(req))),
        totalCount: page.totalCount,
        currentPageCount: page.executions.length,
        links: pageLinks(req, base(req), { offset, limit: query.limit, count: page.executions.length, total: page.totalCount }),
      });
    },
  });

  resource(router, '/sharing-tasks/:taskId/executions/:executionId', {
    get: async (req, res) => {
      const { status } = parseInput(ExecutionGetQuerySchema, queryOf(req), 'query');
      const { taskId, executionId } = parseInput(ExecutionParamsSchema, req.params, 'params');
      const execution = await executions.get(callerOf(req), taskId, executionId, status);
      res.json(executionResponse(execution, base(req)));
    },
  });

  resource(router, '/sharing-tasks/:taskId/executions/:executionId/files/:fileAlias', {
    get: async (req, res) => {
      const { taskId, executionId, fileAlias } = parseInput(FileParamsSchema, req.params, 'params');
      const file = await executions.file(callerOf(req), taskId, executionId, fileAlias);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', String(file.size));
      res.attachment(file.fileName);
      await executions.streamFile(file, res);
    },
  });

  return router;
}
