import type { Clock } from '../clock';
import { EmailDeliveryError, type EmailSender } from '../deliver/email';
import { outputFormat, RenderError, reportFileName, type Renderer } from '../render';
import { newExecution, type ExecutionRecord, type RunSnapshot } from '../sharing-tasks/execution-record';
import type { ExecutionFile, SharingTask } from '../sharing-tasks/schemas';
import { DeliveryLedger, type Stores } from '../store';
import type { DeliveryResult, ExecutionPlan, FinishRequest, RunFailure } from '../../activities/types';
import type { ExecutionOutcome, SharingExecutionWorkflowInput } from '../../workflows/definitions';
import type { TaskStatusService } from './task-status';

/** A failure that retrying cannot fix; activities turn it into a non-retryable ApplicationFailure. */
export class PermanentRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentRunError';
  }
}

const DEFAULT_HISTORY_SIZE = 10;

function snapshotOf(task: SharingTask): RunSnapshot {
  return {
    name: task.name,
    message: task.message,
    timezone: task.scheduleOptions?.timezone ?? 'UTC',
    templates: task.templates,
    emailContent: task.emailContent,
    selections: task.state?.selections,
    historySize: task.retentionPolicy?.historySize ?? DEFAULT_HISTORY_SIZE,
  };
}

function defaultAlias(index: number): string {
  return `report-${index + 1}`;
}

/**
 * One run of a sharing task, step by step. Each method is idempotent: called again after a crash
 * or a retry it finds what the earlier call did (by deterministic ids) and does not do it twice.
 */
export class RunService {
  constructor(
    private readonly stores: Stores,
    private readonly taskStatus: TaskStatusService,
    private readonly renderer: Renderer,
    private readonly email: EmailSender,
    private readonly clock: Clock,
    private readonly rules: { maxConsecutiveFailures: number },
  ) {}

  async begin(input: SharingExecutionWorkflowInput, workflowId: string): Promise<ExecutionPlan> {
    const task = await this.stores.tasks.get(input.tenant, input.taskId);
    if (!task || task.statusCode === 'DELETING') {
      throw new PermanentRunError('TASK_NOT_FOUND', `sharing task ${input.taskId} does not exist any more`);
    }
    const now = this.clock.now();
    const { trigger } = input;
    const { execution } = await this.stores.executions.claim(
      newExecution(
        {
          id: input.executionId,
          sharingTaskId: task.id,
          tenant: task.tenant,
          status: 'initialized',
          trigger: trigger.kind,
          eventTime: trigger.eventTime,
          startTime: now.toISOString(),
        },
        {
          ...(trigger.reloadId ? { reloadId: trigger.reloadId, reloadTime: trigger.reloadTime } : {}),
          ...(trigger.missedOccurrences ? { missedOccurrences: trigger.missedOccurrences } : {}),
          workflowID: workflowId,
          snapshot: snapshotOf(task),
        },
      ),
    );
    if (['successful', 'failed', 'cancelled'].includes(execution.status)) {
      return { templateCount: 0, emailRecipients: [], finishedStatus: execution.status as ExecutionOutcome['status'] };
    }
    await this.stores.executions.update(execution.id, { status: 'in-progress' });
    await this.taskStatus.recordRunStarted(task, execution.startTime);
    return {
      templateCount: execution.snapshot!.templates.length,
      emailRecipients: task.transportChannels.includes('email') ? this.emailRecipients(task) : [],
    };
  }

  async renderTemplate(executionId: string, templateIndex: number): Promise<ExecutionFile> {
    const execution = await this.requireExecution(executionId);
    const snapshot = execution.snapshot!;
    const template = snapshot.templates[templateIndex];
    if (!template) throw new PermanentRunError('TEMPLATE_NOT_FOUND', `template ${templateIndex} is not in the task`);
    const fileAlias = template.fileAlias ?? defaultAlias(templateIndex);
    const already = execution.files.find((file) => file.fileAlias === fileAlias);
    if (already) return already;

    const generatedAt = new Date(execution.startTime);
    try {
      const format = outputFormat(template);
      const rendered = await this.renderer.render({
        template,
        format,
        task: { id: execution.sharingTaskId, name: snapshot.name, timezone: snapshot.timezone, selections: snapshot.selections },
        generatedAt,
      });
      if (rendered.bytes.length === 0) throw new RenderError('EMPTY_RENDER', `template ${templateIndex} rendered to an empty file`);
      const fileName = reportFileName({
        baseName: template.fileName ?? snapshot.name,
        fileTimeStamp: template.fileTimeStamp,
        timezone: snapshot.timezone,
        at: generatedAt,
        extension: rendered.extension,
      });
      const stored = await this.stores.files.put(`${executionId}:${fileAlias}`, fileName, rendered.bytes, {
        contentType: rendered.contentType,
        executionId,
        tenant: execution.tenant,
      });
      const file: ExecutionFile = {
        type: format,
        fileID: stored.id,
        fileAlias,
        fileName,
        contentType: rendered.contentType,
        size: stored.size,
        ...(template.templateId ? { templateId: template.templateId } : {}),
      };
      await this.stores.executions.update(executionId, { files: [...execution.files, file] });
      return file;
    } catch (error) {
      if (error instanceof RenderError) throw new PermanentRunError(error.code, error.message);
      throw error;
    }
  }

  async deliverByEmail(executionId: string, recipient: string): Promise<DeliveryResult> {
    const execution = await this.requireExecution(executionId);
    const key = DeliveryLedger.key(executionId, recipient, 'email');
    const claim = await this.stores.deliveries.claim(executionId, recipient, 'email', this.clock.now());
    if (!claim.claimed && claim.existing.state === 'delivered') return { recipient, channel: 'email', status: 'delivered' };
    if (!claim.claimed && claim.existing.state === 'failed') {
      return { recipient, channel: 'email', status: 'failed', error: claim.existing.error };
    }
    // Claimed now, or claimed by an attempt that died before recording the outcome: send (again).
    const snapshot = execution.snapshot!;
    const attachments = await Promise.all(
      execution.files.map(async (file) => ({
        fileName: file.fileName ?? file.fileAlias,
        contentType: file.contentType ?? 'application/octet-stream',
        content: await this.stores.files.read(file.fileID),
      })),
    );
    try {
      await this.email.send({
        to: recipient,
        subject: snapshot.emailContent?.subject || snapshot.name,
        text: snapshot.emailContent?.body || snapshot.message || `Your report "${snapshot.name}" is attached.`,
        messageId: `<${encodeURIComponent(key)}@sharing-tasks>`,
        attachments,
      });
    } catch (error) {
      if (error instanceof EmailDeliveryError && error.permanent) {
        const failure: RunFailure = { code: 'EMAIL_DELIVERY_FAILURE', message: error.message };
        await this.stores.deliveries.markFailed(key, failure);
        throw new PermanentRunError(failure.code, failure.message);
      }
      throw error;
    }
    await this.stores.deliveries.markDelivered(key, this.clock.now());
    return { recipient, channel: 'email', status: 'delivered' };
  }

  async finish(request: FinishRequest): Promise<ExecutionOutcome> {
    const execution = await this.requireExecution(request.executionId);
    if (['successful', 'failed', 'cancelled'].includes(execution.status)) {
      return { executionId: execution.id, status: execution.status as ExecutionOutcome['status'] };
    }
    const now = this.clock.now().toISOString();
    const delivered = request.deliveries.filter((d) => d.status === 'delivered');
    const failed = request.deliveries.filter((d) => d.status === 'failed');
    const errors: { code: string; message: string; recipient?: string; channel?: string; timestamp: string }[] = [
      ...failed.map((d) => ({ ...d.error!, recipient: d.recipient, channel: d.channel, timestamp: now })),
    ];
    if (request.failure) errors.push({ ...request.failure, timestamp: now });
    let status: ExecutionOutcome['status'];
    if (request.cancelled) status = 'cancelled';
    else if (request.failure) status = 'failed';
    else if (request.deliveries.length === 0) {
      status = 'failed';
      errors.push({ code: 'NO_RECIPIENTS', message: 'the task has no enabled recipient', timestamp: now });
    } else if (delivered.length === 0) status = 'failed';
    else status = 'successful';
    if (status === 'successful' && failed.length > 0) {
      errors.push({ code: 'PARTIAL_SENT', message: `${failed.length} of ${request.deliveries.length} deliveries failed`, timestamp: now });
    }

    await this.stores.executions.update(execution.id, {
      status,
      endTime: now,
      ...(status === 'failed' ? { failedTime: now } : {}),
      ...(status === 'cancelled' ? { cancelledTime: now } : {}),
      totalCount: request.deliveries.length,
      successCount: delivered.length,
      failedCount: failed.length,
      cancelledCount: request.cancelled ? request.deliveries.length : 0,
      errors,
      recipients: request.deliveries.map(({ recipient, channel, status: result, error }) => ({
        recipient,
        channel,
        status: result,
        ...(error ? { error } : {}),
      })),
    });
    const taskDisabled = await this.taskStatus.recordRunFinished(
      execution,
      status,
      errors.map((e) => e.code),
      this.rules.maxConsecutiveFailures,
    );
    await this.applyRetention(execution);
    return { executionId: execution.id, status, ...(taskDisabled ? { taskDisabled } : {}) };
  }

  private async applyRetention(execution: ExecutionRecord): Promise<void> {
    const ids = await this.stores.executions.idsNewestFirst(execution.tenant, execution.sharingTaskId);
    const expired = ids.slice(execution.snapshot!.historySize);
    await this.stores.files.deleteForExecutions(expired);
    await this.stores.deliveries.deleteForExecutions(expired);
    await this.stores.executions.deleteMany(expired);
  }

  private emailRecipients(task: SharingTask): string[] {
    const addresses = (task.recipients?.emailAddresses ?? [])
      .filter((address) => address.enabled !== false)
      .map((address) => address.value.trim());
    return [...new Map(addresses.map((a) => [a.toLowerCase(), a])).values()];
  }

  private async requireExecution(executionId: string): Promise<ExecutionRecord> {
    const execution = await this.stores.executions.getById(executionId);
    if (!execution) throw new PermanentRunError('EXECUTION_NOT_FOUND', `execution ${executionId} does not exist`);
    return execution;
  }
}
