import type { ExecutionRecord } from '../sharing-tasks/execution-record';
import type { ExecutionFile } from '../sharing-tasks/schemas';

/** The API address of an execution's file, as e-mails link it (the executions file endpoint serves it). */
export function executionFileUrl(apiBaseUrl: string, execution: ExecutionRecord, file: ExecutionFile): string {
  const path = ['sharing-tasks', execution.sharingTaskId, 'executions', execution.id, 'files', file.fileAlias].map(encodeURIComponent).join('/');
  return `${apiBaseUrl.replace(/\/+$/, '')}/api/v1/${path}`;
}
