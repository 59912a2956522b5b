import type { Clock } from '../clock';
import { outputFormat, RenderError, reportFileName, type Renderer } from '../render';
import { newExecution, type ExecutionRecord, type RunSnapshot } from '../sharing-tasks/execution-record';
import type { ExecutionFile, SharingTask } from '../sharing-tasks/schemas';
import { isTaskEnabled } from '../sharing-tasks/task-control';
import { DEFAULT_MAX_RECIPIENTS } from '../sharing-tasks/settings-service';
import type { Stores } from '../store';
import type { RunMetrics } from '../metrics/run-metrics';
import { inSpan } from '../telemetry/spans';
import type { DeliveryResult, ExecutionOutcome, ExecutionPlan, FinishRequest, SharingExecutionWorkflowInput } from '../contract/run';
import { resolveRecipients } from './recipients';
import { expiredRuns } from './retention';
import { PermanentRunError, requireExecution } from './run-errors';
import type { TaskStatusService } from './task-status';

export { PermanentRunError } from './run-errors';

export interface RunRules {
  maxConsecutiveFailures: number;
  /** A run still going after this long is stopped and fails with EXECUTION_TIME_OUT. */
  runTimeoutSeconds: number;
  deliveryTimeoutSeconds: number;
  renderTimeoutSeconds: number;
}

const DEFAULT_HISTORY_SIZE = 10;

/** What a run reads before it writes anything (RunService.prepare): a staged run reads it while it holds. */
export interface PreparedRun {
  task: SharingTask;
  /** E-mail recipients (undefined when the task does not mail), and the skipped ones as results. */
  recipients: { emails?: string[]; skipped: DeliveryResult[] };
}

/** Whether a task read again is the one read before: both carry the same revision (tasks stored before revisions never are). */
export function sameRevision(before: SharingTask, after: SharingTask): boolean {
  return before.revision !== undefined && before.revision === after.revision;
}

/** A prepared run with its execution drafted, not written yet (RunService.draft). */
export interface DraftRun extends PreparedRun {
  input: SharingExecutionWorkflowInput;
  execution: ExecutionRecord;
}

/** One template rendered, not stored yet (RunService.renderFile). */
export interface RenderedTemplate {
  format: ExecutionFile['type'];
  fileAlias: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  templateId?: string;
}

/** A run as one attempt of performRun holds it: what it claimed and planned, the execution as written. */
export interface RunInProgress {
  plan: ExecutionPlan;
  execution: ExecutionRecord;
  /** This attempt inserted the execution: nothing of the run existed before it. */
  claimed: boolean;
  /** The task as the run began. */
  task: SharingTask;
}

function snapshotOf(task: SharingTask): RunSnapshot {
  return {
    name: task.name,
    message: task.message,
    timezone: task.scheduleOptions?.timezone ?? 'UTC',
    templates: task.templates,
    emailContent: task.emailContent,
    selections: task.state?.selections,
    historySize: task.retentionPolicy?.historySize ?? DEFAULT_HISTORY_SIZE,
    ...(task.retentionPolicy?.overrideInterval ? { overrideInterval: task.retentionPolicy.overrideInterval } : {}),
    ...(task.transportChannels.includes('sharepoint') && task.sharePointFolder ? { sharePointFolder: task.sharePointFolder } : {}),
  };
}

/** The run's template at `templateIndex`, with the alias its file goes by. */
function templateOf(execution: ExecutionRecord, templateIndex: number) {
  const template = execution.snapshot!.templates[templateIndex];
  if (!template) throw new PermanentRunError('TEMPLATE_NOT_FOUND', `template ${templateIndex} is not in the task`);
  return { template, fileAlias: template.fileAlias ?? `report-${templateIndex + 1}` };
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
    private readonly clock: Clock,
    private readonly rules: RunRules,
    private readonly metrics: RunMetrics,
  ) {}

  async begin(input: SharingExecutionWorkflowInput, workflowId: string): Promise<ExecutionPlan> {
    return (await this.beginRun(input, workflowId)).plan;
  }

  /** Reads and begins the run at once: prepare, then claim. */
  async beginRun(input: SharingExecutionWorkflowInput, workflowId: string): Promise<RunInProgress> {
    return this.claim(this.draft(input, workflowId, await this.prepare(input)));
  }

  /**
   * Reads what the run needs before its first write: its task (gone, or paused before a staged run's
   * instant, ends the run) and its recipients. Given what an earlier call prepared, resolves the
   * recipients again only when the task changed since (its revision).
   */
  async prepare(input: SharingExecutionWorkflowInput, earlier?: PreparedRun): Promise<PreparedRun> {
    const task = await this.stores.tasks.get(input.tenant, input.taskId);
    if (!task || task.statusCode === 'DELETING') {
      throw new PermanentRunError('TASK_NOT_FOUND', `sharing task ${input.taskId} does not exist any more`);
    }
    // A staged run learns of a pause that came while it held from here, not only from a cancellation
    // that the engine may deliver after the instant: a paused task's schedule does not run.
    if (input.trigger.notBefore && !isTaskEnabled(task)) {
      throw new PermanentRunError('TASK_PAUSED', `sharing task ${input.taskId} was paused before its run at ${input.trigger.notBefore} began`);
    }
    return { task, recipients: earlier && sameRevision(earlier.task, task) ? earlier.recipients : await this.recipientsOf(task) };
  }

  /** The execution the run is about to write, begun now: its snapshot of the task, its recipients. No I/O. */
  draft(input: SharingExecutionWorkflowInput, workflowId: string, { task, recipients }: PreparedRun): DraftRun {
    const { trigger } = input;
    const execution = newExecution(
      {
        id: input.executionId,
        sharingTaskId: task.id,
        tenant: task.tenant,
        status: 'in-progress',
        trigger: trigger.kind,
        eventTime: trigger.eventTime,
        startTime: this.clock.now().toISOString(),
      },
      {
        ...(trigger.reloadId ? { reloadId: trigger.reloadId, reloadTime: trigger.reloadTime } : {}),
        ...(trigger.missedOccurrences ? { missedOccurrences: trigger.missedOccurrences } : {}),
        workflowID: workflowId,
        snapshot: snapshotOf(task),
        recipients: recipients.skipped,
        ...(recipients.emails ? { plannedEmails: recipients.emails.length } : {}),
      },
    );
    return { input, task, recipients, execution };
  }

  /**
   * Claims the run's execution (an insert on its derived id) with its recipients resolved, so a
   * first attempt writes it once, already in progress; a retried one finds it and carries on.
   */
  async claim({ input, task, recipients, execution: drafted }: DraftRun): Promise<RunInProgress> {
    const { claimed, execution } = await this.stores.executions.claim(drafted);
    const plan: ExecutionPlan = {
      templateCount: execution.snapshot!.templates.length,
      emailRecipients: recipients.emails ?? [],
      uploadToSharePoint: execution.snapshot!.sharePointFolder !== undefined,
      timeoutSeconds: this.rules.runTimeoutSeconds,
      deliveryTimeoutSeconds: this.rules.deliveryTimeoutSeconds,
      renderTimeoutSeconds: this.rules.renderTimeoutSeconds,
    };
    if (['successful', 'failed', 'cancelled'].includes(execution.status)) {
      return { plan: { ...plan, finishedStatus: execution.status as ExecutionOutcome['status'] }, execution, claimed, task };
    }
    // Claimed by code that wrote `initialized` first and died before going on.
    if (execution.status === 'initialized') {
      const progress = { status: 'in-progress' as const, recipients: recipients.skipped, ...(recipients.emails ? { plannedEmails: recipients.emails.length } : {}) };
      await this.stores.executions.update(execution.id, progress);
      Object.assign(execution, progress);
    }
    // Once per run: a retried attempt continues the run that began here.
    if (claimed) this.metrics.runBegan(input.trigger.kind, input.trigger.eventTime, this.clock.now());
    return { plan, execution, claimed, task };
  }

  /** E-mail recipients of the task (undefined when it does not mail), and the skipped ones as results. */
  private async recipientsOf(task: SharingTask): Promise<PreparedRun['recipients']> {
    if (!task.transportChannels.includes('email')) return { skipped: [] };
    const settings = await this.stores.settings.find(task.tenant);
    const recipients = await resolveRecipients(task.recipients, this.stores.directory, task.tenant, settings?.maxRecipients ?? DEFAULT_MAX_RECIPIENTS);
    const skipped = recipients.skipped.map(({ recipient, code, message }): DeliveryResult => ({
      recipient,
      channel: 'email',
      status: 'skipped',
      error: { code, message },
    }));
    return { emails: recipients.emails, skipped };
  }

  async renderTemplate(executionId: string, templateIndex: number): Promise<ExecutionFile> {
    const execution = await requireExecution(this.stores, executionId);
    return (await this.renderInto(execution, templateIndex, false)).file;
  }

  /**
   * Renders one template of `execution` unless its file is stored already, stores it and adds it to
   * the execution (in the database and in `execution`). `fresh`: the execution was claimed by this
   * attempt, so no earlier attempt can have left a part of this file to look for. `rendering`: the
   * template's render begun already (renderFile) for this very execution.
   */
  async renderInto(
    execution: ExecutionRecord,
    templateIndex: number,
    fresh: boolean,
    rendering?: Promise<RenderedTemplate>,
  ): Promise<{ file: ExecutionFile; bytes?: Buffer }> {
    const { fileAlias } = templateOf(execution, templateIndex);
    const already = execution.files.find((file) => file.fileAlias === fileAlias);
    if (already) return { file: already };
    const rendered = await (rendering ?? this.renderFile(execution, templateIndex));
    const stored = await this.stores.files.put(
      `${execution.id}:${rendered.fileAlias}`,
      rendered.fileName,
      rendered.bytes,
      { contentType: rendered.contentType, executionId: execution.id, tenant: execution.tenant },
      { fresh },
    );
    const file: ExecutionFile = {
      type: rendered.format,
      fileID: stored.id,
      fileAlias: rendered.fileAlias,
      fileName: rendered.fileName,
      contentType: rendered.contentType,
      size: stored.size,
      ...(rendered.templateId ? { templateId: rendered.templateId } : {}),
    };
    const files = [...execution.files, file];
    await this.stores.executions.update(execution.id, { files });
    execution.files = files;
    return { file, bytes: rendered.bytes };
  }

  /** Renders one template of the run into its file's bytes and name, stored nowhere yet. */
  async renderFile(execution: ExecutionRecord, templateIndex: number): Promise<RenderedTemplate> {
    const snapshot = execution.snapshot!;
    const { template, fileAlias } = templateOf(execution, templateIndex);
    const generatedAt = new Date(execution.startTime);
    try {
      const format = outputFormat(template);
      const rendered = await this.timedRender(format, execution.id, () =>
        this.renderer.render({
          template,
          format,
          task: { id: execution.sharingTaskId, name: snapshot.name, timezone: snapshot.timezone, selections: snapshot.selections },
          generatedAt,
        }),
      );
      const fileName = reportFileName({
        baseName: template.fileName ?? snapshot.name,
        fileTimeStamp: template.fileTimeStamp,
        timezone: snapshot.timezone,
        at: generatedAt,
        extension: rendered.extension,
      });
      return {
        format,
        fileAlias,
        fileName,
        contentType: rendered.contentType,
        bytes: rendered.bytes,
        ...(template.templateId ? { templateId: template.templateId } : {}),
      };
    } catch (error) {
      if (error instanceof RenderError) throw new PermanentRunError(error.code, error.message);
      throw error;
    }
  }

  /** Records how a run ended (the workflow's path for runs that did not finish inside performRun). */
  async finish(request: FinishRequest): Promise<ExecutionOutcome> {
    const execution = await this.stores.executions.getById(request.executionId);
    // Deleted with its task while it ran: there is nothing left to record.
    if (!execution) return { executionId: request.executionId, status: 'cancelled' };
    if (['successful', 'failed', 'cancelled'].includes(execution.status)) {
      return { executionId: execution.id, status: execution.status as ExecutionOutcome['status'] };
    }
    return this.record(execution, request);
  }

  /** Records the deliveries of the run this attempt performed, from what it holds (nothing is read back). */
  finishRun(run: RunInProgress, deliveries: DeliveryResult[]): Promise<ExecutionOutcome> {
    return this.record(run.execution, { executionId: run.execution.id, deliveries }, run.task);
  }

  /** The execution's outcome, counts and errors; the task's status; retention of older runs. */
  private async record(execution: ExecutionRecord, request: FinishRequest, taskAtStart?: SharingTask): Promise<ExecutionOutcome> {
    const now = this.clock.now().toISOString();
    const status = outcomeOf(request);
    // An interrupted run (cancelled, timed out, failed) may have delivered some already: the ledger knows.
    const deliveries = request.cancelled || request.failure ? await this.withLedger(execution.id, request.deliveries) : request.deliveries;
    const skipped = execution.recipients.filter((result) => result.status === 'skipped');
    const errors: ExecutionRecord['errors'] = [...skipped, ...deliveries]
      .filter((result) => result.error)
      .map(({ error, recipient, channel }) => ({ ...error!, recipient, channel, timestamp: now }));
    if (request.failure) errors.push({ ...request.failure, timestamp: now });
    const failedCount = deliveries.filter((d) => d.status === 'failed').length;
    if (!request.cancelled && !request.failure && deliveries.length === 0) {
      errors.push({ code: 'NO_RECIPIENTS', message: 'the task has no recipient to deliver to', timestamp: now });
    }
    if (status === 'successful' && failedCount > 0) {
      errors.push({ code: 'PARTIAL_SENT', message: `${failedCount} of ${deliveries.length} deliveries failed`, timestamp: now });
    }
    const emails = countsOf(deliveries.filter((d) => d.channel === 'email'));
    const uploads = countsOf(deliveries.filter((d) => d.channel === 'sharepoint'));

    await this.stores.executions.update(execution.id, {
      status,
      endTime: now,
      ...(status === 'failed' ? { failedTime: now } : {}),
      ...(status === 'cancelled' ? { cancelledTime: now } : {}),
      totalCount: emails.total,
      successCount: emails.delivered,
      failedCount: emails.failed,
      cancelledCount: request.cancelled ? Math.max(0, (request.plannedEmails ?? execution.plannedEmails ?? 0) - emails.delivered - emails.failed) : 0,
      ...(uploads.total > 0 ? { totalUploadCount: uploads.total, successUploadCount: uploads.delivered, failedUploadCount: uploads.failed } : {}),
      errors,
      recipients: [
        ...skipped,
        ...deliveries.map(({ recipient, channel, status: result, error }) => ({ recipient, channel, status: result, ...(error ? { error } : {}) })),
      ],
    });
    this.metrics.runEnded(status, execution.startTime, this.clock.now());
    const taskDisabled = await this.taskStatus.recordRunFinished(
      execution,
      status,
      errors.map((e) => e.code),
      this.rules.maxConsecutiveFailures,
      taskAtStart,
    );
    await this.applyRetention(execution);
    return { executionId: execution.id, status, ...(taskDisabled ? { taskDisabled } : {}) };
  }

  private timedRender<T>(format: string, executionId: string, render: () => Promise<T>): Promise<T> {
    const done = this.metrics.renderStarted(format);
    return inSpan(`render ${format}`, { 'sharing.execution_id': executionId, 'sharing.format': format }, render).finally(done);
  }

  /** The deliveries reported, plus those the ledger (each delivery's newest generation) recorded as settled that the report lacks. */
  private async withLedger(executionId: string, reported: DeliveryResult[]): Promise<DeliveryResult[]> {
    const keyOf = (channel: string, recipient: string) => `${channel}|${recipient.toLowerCase()}`;
    const known = new Set(reported.map((d) => keyOf(d.channel, d.recipient)));
    const settled = (await this.stores.deliveries.forExecution(executionId))
      .filter((entry) => (entry.state === 'delivered' || entry.state === 'failed') && !known.has(keyOf(entry.channel, entry.recipient)))
      .map(({ recipient, channel, state, error }): DeliveryResult => ({
        recipient,
        channel,
        status: state === 'delivered' ? 'delivered' : 'failed',
        ...(error ? { error } : {}),
      }));
    return [...reported, ...settled];
  }

  private async applyRetention(execution: ExecutionRecord): Promise<void> {
    const { historySize, overrideInterval, timezone } = execution.snapshot!;
    const runs = await this.stores.executions.runsNewestFirst(execution.tenant, execution.sharingTaskId);
    const expired = expiredRuns(runs, { historySize, overrideInterval, timezone });
    await this.stores.files.deleteForExecutions(expired);
    await this.stores.deliveries.deleteForExecutions(expired);
    await this.stores.executions.deleteMany(expired);
  }
}

/** A run succeeds when anything reached anyone; it fails when nothing did or a step failed for good. */
function outcomeOf(request: FinishRequest): ExecutionOutcome['status'] {
  if (request.cancelled) return 'cancelled';
  if (request.failure) return 'failed';
  return request.deliveries.some((d) => d.status === 'delivered') ? 'successful' : 'failed';
}

function countsOf(deliveries: DeliveryResult[]): { total: number; delivered: number; failed: number } {
  return {
    total: deliveries.length,
    delivered: deliveries.filter((d) => d.status === 'delivered').length,
    failed: deliveries.filter((d) => d.status === 'failed').length,
  };
}
