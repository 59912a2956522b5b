import type { Request } from 'express';
import type { ExecutionRecord } from '../sharing-tasks/execution-record';
import type { Execution, ExecutionFile, SharingTask, SharingTaskResponse } from '../sharing-tasks/schemas';

/** The absolute base of this API (`…/api/v1` or `…/v1`) on the origin the linkOrigin middleware vetted. */
export function apiBase(req: Request): string {
  return `${req.linkOrigin}${req.baseUrl}`;
}

export function taskResponse(task: SharingTask, base: string, latest?: Pick<Execution, 'id' | 'files'>): SharingTaskResponse {
  const self = `${base}/sharing-tasks/${task.id}`;
  return {
    ...task,
    enabled: task.enabledByUser && task.enabledBySystem && !task.pausedByFeature,
    links: { self: { href: self } },
    latestExecutionURL: `${self}/executions/latest`,
    latestExecutionFilesURL: (latest?.files ?? []).map((file: ExecutionFile) => `${self}/executions/${latest!.id}/files/${file.fileAlias}`),
  };
}

export function executionResponse(execution: ExecutionRecord, base: string): Execution {
  const { snapshot: _internal, plannedEmails: _planned, ...visible } = execution;
  const self = `${base}/sharing-tasks/${execution.sharingTaskId}/executions/${execution.id}`;
  return { ...visible, links: { self: { href: self } } } as Execution;
}
