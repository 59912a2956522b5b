import type { Caller } from '../auth/claims';
import type { SignedFile } from '../auth/file-link-signature';
import { errors } from '../errors';
import type { Stores, StoredFileInfo } from '../store';
import type { ExecutionRecord } from './execution-record';
import { recipientExecutionView } from './recipient-view';
import type { SharingTaskService } from './sharing-task-service';

export interface ExecutionListRequest {
  status?: 'successful' | 'failed';
  sort?: string;
  limit: number;
  offset: number;
}

/** Reading a task's runs and their files, for callers who may see the task. */
export class ExecutionService {
  constructor(
    private readonly stores: Stores,
    private readonly tasks: SharingTaskService,
  ) {}

  async list(caller: Caller, taskId: string, request: ExecutionListRequest): Promise<{ executions: ExecutionRecord[]; totalCount: number }> {
    const { task, audience } = await this.tasks.access(caller, taskId);
    const page = await this.stores.executions.list(task.tenant, task.id, {
      status: request.status,
      sortDirection: request.sort === 'starttime' || request.sort === '+starttime' ? 1 : -1,
      limit: request.limit,
      offset: request.offset,
    });
    if (audience === 'manager') return page;
    return { ...page, executions: page.executions.map((execution) => recipientExecutionView(execution, caller)) };
  }

  /** `executionId` may be `latest` (optionally the latest with a given status). */
  async get(caller: Caller, taskId: string, executionId: string, status?: ExecutionRecord['status']): Promise<ExecutionRecord> {
    const { task, audience } = await this.tasks.access(caller, taskId);
    const execution =
      executionId === 'latest'
        ? await this.stores.executions.latest(task.tenant, task.id, status)
        : await this.stores.executions.get(task.tenant, task.id, executionId);
    if (!execution) throw errors.notFound(`execution ${executionId} of sharing task ${taskId} was not found`);
    return audience === 'manager' ? execution : recipientExecutionView(execution, caller);
  }

  async file(caller: Caller, taskId: string, executionId: string, fileAlias: string): Promise<StoredFileInfo> {
    const execution = await this.get(caller, taskId, executionId);
    const file = execution.files.find((f) => f.fileAlias === fileAlias);
    const info = file && (await this.stores.files.info(file.fileID));
    if (!info) throw errors.notFound(`file ${fileAlias} of execution ${execution.id} was not found`);
    return info;
  }

  /** The file a verified signed link names; undefined once its run (or task) is gone, as retention removes them. */
  async fileOfSignedLink(link: SignedFile): Promise<StoredFileInfo | undefined> {
    const execution = await this.stores.executions.get(link.tenant, link.taskId, link.executionId);
    const file = execution?.files.find((f) => f.fileAlias === link.fileAlias);
    return file && this.stores.files.info(file.fileID);
  }

  streamFile(info: StoredFileInfo, destination: NodeJS.WritableStream): Promise<void> {
    return this.stores.files.streamTo(info.id, destination);
  }
}
