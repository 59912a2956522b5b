import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { ObjectId } from 'mongodb';
import { isAdmin, type Caller } from '../auth/claims';
import type { Clock } from '../clock';
import { errors, ValidationError } from '../errors';
import { nextOccurrences, PERIOD_BUDGET, validateSchedule } from '../schedule';
import type { Stores, TaskListFilter } from '../store';
import type { TaskWorkflows } from '../temporal/task-workflows';
import { buildTask, storedDefinition } from './build-task';
import type { ExecutionRecord } from './execution-record';
import {
  type SharingTaskCreateRequest,
  type ScheduleOptionsRequest,
  type SharingTask,
  type SharingTaskPatch,
  type Execution,
  type Settings,
} from './schemas';
import type { SettingsService } from './settings-service';
import { featureOf, isFeatureOn } from './feature-toggles';
import { describeCause, OrderedTaskChanges, tellWorkflow, WORKFLOW_ACK_TIMEOUT_MS, type OrderedChange } from './ordered-change';
import { taskControlOf } from './task-control';
import { applyTaskPatch, EDITABLE_KEYS } from './task-patch';
import { purgeTaskData } from './purge';
import { audienceOf, recipientView, type TaskAudience } from './recipient-view';
import { patchedTaskProblems, validateSharingTask } from './validation';

function withOffset(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISO({ suppressMilliseconds: true })!;
}

export interface ServiceRules {
  minScheduleIntervalSeconds: number;
}

const SORT_FIELDS: Record<string, string[]> = {
  datecreated: ['dateCreated'],
  name: ['name'],
  ownername: ['ownerName'],
  enabled: ['enabledByUser', 'enabledBySystem'],
  status: ['statusCode'],
  type: ['type'],
  sent: ['lastExecutionDate'],
  scheduled: ['nextScheduledRun'],
  appname: ['appName'],
  appid: ['appId'],
};

export interface TaskListRequest {
  appid?: string;
  owner?: string;
  ownername?: string;
  role?: ('owner' | 'recipient')[];
  type?: string[];
  templateId?: string[];
  excludeDeleting?: boolean;
  sort?: string[];
  limit: number;
  offset: number;
}

/** Sharing tasks as the API sees them: every call is on behalf of a caller and scoped to the caller's tenant. */
export class SharingTaskService {
  private readonly changes: OrderedTaskChanges;

  constructor(
    private readonly stores: Stores,
    private readonly settings: SettingsService,
    private readonly workflows: TaskWorkflows,
    private readonly clock: Clock,
    private readonly rules: ServiceRules,
  ) {
    this.changes = new OrderedTaskChanges(stores, workflows, clock);
  }

  /**
   * Stores the task (revision 1), then starts its workflow; if the workflow cannot start, nothing
   * stays behind (503). Answers the task as its workflow recorded it (next run), after a bounded wait.
   * A task whose feature (feature-toggles.ts) is off for the tenant is created paused by it.
   */
  async create(caller: Caller, request: SharingTaskCreateRequest): Promise<SharingTask> {
    const now = this.clock.now();
    const settings = await this.validate(caller, request, now);
    const task: SharingTask = {
      ...buildTask(request, caller, { id: new ObjectId().toHexString(), now, defaultTimezone: this.defaultTimezone(caller) }),
      revision: 1,
      ...(isFeatureOn(settings, request.type) ? {} : { pausedByFeature: true }),
    };
    await this.stores.tasks.insert(task);
    try {
      await this.workflows.start(task, { executeOnCreation: task.executeOnCreation });
    } catch (error) {
      await this.stores.tasks.delete(task.tenant, task.id);
      throw errors.unavailable(`the workflow engine cannot be reached, so the task was not created: ${describeCause(error)}`);
    }
    return await this.asRecorded(task, 1);
  }

  /**
   * The caller's view of one task: a recipient's is cut to what a recipient needs (recipient-view.ts).
   * `markViewed` records `lastViewed` only for those who may change the task; a recipient's view
   * writes nothing on the owner's task.
   */
  async get(caller: Caller, taskId: string, options: { markViewed?: boolean } = {}): Promise<SharingTask> {
    const { task, audience } = await this.access(caller, taskId);
    if (audience === 'recipient') return recipientView(task, caller);
    if (options.markViewed) {
      task.lastViewed = this.clock.now().toISOString();
      await this.stores.tasks.update(task.tenant, task.id, { lastViewed: task.lastViewed });
    }
    return task;
  }

  /** The whole task and who the caller is to it; other tenants' tasks and (for non-admins) tasks not theirs do not exist. */
  async access(caller: Caller, taskId: string): Promise<{ task: SharingTask; audience: TaskAudience }> {
    const task = await this.stores.tasks.get(caller.tenant, taskId);
    const audience = task && audienceOf(caller, task);
    if (!task || !audience) throw errors.notFound(`sharing task ${taskId} was not found`);
    return { task, audience };
  }

  /** The task's most recent run, whose files the task's `latestExecutionFilesURL` points to. */
  latestExecution(task: SharingTask): Promise<ExecutionRecord | undefined> {
    return this.stores.executions.latest(task.tenant, task.id);
  }

  /** The latest run of each task of a page, by task id. */
  latestExecutions(tenant: string, tasks: SharingTask[]): Promise<Map<string, Pick<Execution, 'id' | 'files'>>> {
    return this.stores.executions.latestOfTasks(tenant, tasks.map((task) => task.id));
  }

  async list(caller: Caller, request: TaskListRequest): Promise<{ tasks: SharingTask[]; totalCount: number }> {
    const filter: TaskListFilter = {
      tenant: caller.tenant,
      appId: request.appid,
      owner: request.owner,
      ownerName: request.ownername,
      types: request.type,
      templateIds: request.templateId,
      excludeDeleting: request.excludeDeleting,
    };
    const roles = request.role?.length ? request.role : undefined;
    if (roles || !isAdmin(caller)) {
      filter.visibleTo = { userId: caller.userId, email: caller.email, roles: roles ?? ['owner', 'recipient'] };
    }
    const sort = (request.sort?.length ? request.sort : ['-datecreated']).flatMap((key) => {
      const direction = key.startsWith('-') ? -1 : 1;
      return SORT_FIELDS[key.replace(/^[+-]/, '')]!.map((field) => ({ field, direction: direction as 1 | -1 }));
    });
    const page = await this.stores.tasks.list(filter, { sort, limit: request.limit, offset: request.offset });
    return { ...page, tasks: page.tasks.map((task) => (audienceOf(caller, task) === 'manager' ? task : recipientView(task, caller))) };
  }

  /**
   * Applies a JSON Patch: each value was checked like the same field on create; the task as a whole
   * is checked by the rules that read what the patch changed; then stored and sent to the workflow at once.
   */
  async patch(caller: Caller, taskId: string, patch: SharingTaskPatch): Promise<void> {
    await this.changes.make(async () => {
      const task = await this.editable(caller, taskId);
      return this.patchedTask(caller, task, patch);
    });
  }

  /**
   * The change a PATCH makes to the task as read now: what to store, and what its workflow must be
   * told. Run state (next run, enabledBySystem, failure counter, the status runs set) is not
   * here: the workflow records it.
   */
  private async patchedTask(caller: Caller, task: SharingTask, patch: SharingTaskPatch): Promise<OrderedChange> {
    const { view, bytesBefore, changed, ownerId } = applyTaskPatch(task, patch);
    if (ownerId !== undefined && !isAdmin(caller)) throw errors.forbidden('changing /ownerId needs an admin role');
    const shapeProblems = patchedTaskProblems(view, changed, bytesBefore);
    if (shapeProblems.length > 0) throw new ValidationError(shapeProblems);
    // The view is the stored task (valid when stored) with each replaced value parsed by its field's schema.
    const request = view as SharingTaskCreateRequest;
    const now = this.clock.now();
    await this.validate(caller, request, now, changed);

    // /enabled true resumes a paused, cancelled, or system-disabled (too many failures) task. Only a
    // PATCH that read the task disabled says so: one that read it before the system disabled it
    // (and any other change) leaves the system's disable to the workflow that owns it.
    const systemDisabled = task.statusCode === 'MAX_FAILURES_REACHED' && !task.enabledBySystem;
    const resumed = changed.has('enabled') && request.enabled === true && (!task.enabledByUser || systemDisabled);
    const definition = storedDefinition(request, {
      tenant: task.tenant,
      taskId: task.id,
      now,
      defaultTimezone: task.scheduleOptions?.timezone ?? this.defaultTimezone(caller),
      previous: task,
    });
    const set: Partial<SharingTask> = {
      ...definition,
      ...(ownerId ? { owner: ownerId, ownerName: ownerId } : {}),
      ...(resumed && task.statusCode === 'CANCELLED' ? { statusCode: 'OK' } : {}),
      updatedBy: caller.userId,
      lastUpdated: now.toISOString(),
    };
    const removed = EDITABLE_KEYS.filter((key) => key in task && !(key in definition));
    return {
      task,
      set: Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined)) as Partial<SharingTask>,
      unset: removed,
      tell: (updated) => this.workflows.taskUpdated(updated, { resumeSystemDisabled: resumed && systemDisabled }),
    };
  }

  /** The task as stored once its workflow recorded `revision` (next run …), or as given when it has not in time. */
  private async asRecorded(task: SharingTask, revision: number): Promise<SharingTask> {
    const status = await this.workflows.awaitRecorded(task, revision, WORKFLOW_ACK_TIMEOUT_MS);
    return (status && (await this.stores.tasks.get(task.tenant, task.id))) || task;
  }

  /**
   * Marks the task DELETING (visible to lists), stops its workflow and any run, removes executions
   * and files, then the task. A crash part-way leaves it DELETING, and the reconciler finishes the job.
   */
  async delete(caller: Caller, taskId: string): Promise<void> {
    const task = await this.editable(caller, taskId, { allowDeleting: true });
    await this.stores.tasks.update(task.tenant, task.id, { statusCode: 'DELETING', lastUpdated: this.clock.now().toISOString() });
    await tellWorkflow(() => this.workflows.terminate(task, `sharing task deleted by ${caller.userId}`));
    await purgeTaskData(this.stores, task);
  }

  /** Stops the recurrence and cancels a run in progress; PATCH /enabled true resumes. 404 when nothing is left to cancel. */
  async cancel(caller: Caller, taskId: string): Promise<void> {
    await this.changes.make(async () => {
      const task = await this.editable(caller, taskId);
      if (task.statusCode === 'CANCELLED' || task.statusCode === 'COMPLETED') {
        throw errors.notFound(`sharing task ${taskId} has nothing to cancel (status ${task.statusCode})`);
      }
      const set: Partial<SharingTask> = { statusCode: 'CANCELLED', enabledByUser: false, updatedBy: caller.userId, lastUpdated: this.clock.now().toISOString() };
      return { task, set, unset: [], tell: (updated) => this.workflows.cancel(updated) };
    });
  }

  /**
   * A run now, independent of the schedule (and of the user's pause: an explicit request is
   * obeyed), but not while the task's feature is off for the tenant (409).
   */
  async execute(caller: Caller, taskId: string): Promise<void> {
    const task = await this.editable(caller, taskId);
    const settings = await this.settings.get(task.tenant);
    if (task.pausedByFeature || !isFeatureOn(settings, task.type)) {
      throw errors.conflict(`sharing task ${taskId} is paused because ${featureOf(task.type)} is off for this tenant; a run starts only when it is turned on`);
    }
    await tellWorkflow(() => this.workflows.executeNow(task, randomUUID(), this.clock.now()));
  }

  /** The task's next occurrences as instants with the task's offset, so a user can see a rule's effect. */
  async occurrences(caller: Caller, taskId: string, count: number): Promise<{ timezone: string; occurrences: string[] }> {
    const { task } = await this.access(caller, taskId);
    const control = taskControlOf(task);
    const timezone = control.schedule?.timezone ?? 'UTC';
    if (!control.schedule) return { timezone, occurrences: [] };
    const now = this.clock.now();
    const instants = nextOccurrences(control.schedule, now, count, now, PERIOD_BUDGET).filter((at) => !control.expiration || at <= new Date(control.expiration));
    return { timezone, occurrences: instants.map((at) => withOffset(at, timezone)) };
  }

  /** The next occurrences of a schedule not saved yet, validated as a create would validate it. */
  async previewSchedule(caller: Caller, scheduleOptions: ScheduleOptionsRequest, count: number): Promise<{ timezone: string; occurrences: string[] }> {
    const now = this.clock.now();
    const timezone = scheduleOptions.timezone || this.defaultTimezone(caller);
    const spec = {
      recurrence: scheduleOptions.recurrence,
      timezone,
      startDateTime: scheduleOptions.startDateTime || undefined,
      endDateTime: scheduleOptions.endDateTime || undefined,
    };
    const problems = validateSchedule(spec, { now, minIntervalSeconds: this.rules.minScheduleIntervalSeconds });
    if (problems.length > 0) throw new ValidationError(problems);
    return { timezone, occurrences: nextOccurrences(spec, now, count, now, PERIOD_BUDGET).map((at) => withOffset(at, timezone)) };
  }

  /**
   * An app reloaded: every enabled task of that app in the tenant that asks for it
   * (`trigger.executeOnAppReload`) gets a run. Answers at once: the fan-out is a workflow
   * (appReloadWorkflow, bounded concurrency, its `progress` query), and each task's workflow
   * coalesces reloads that arrive close together.
   */
  async appReloaded(caller: Caller, reload: { appId: string; reloadId: string; reloadTime: string }): Promise<{ workflowId: string }> {
    if (!isAdmin(caller)) throw errors.forbidden('reporting an app reload needs an admin or service token');
    let workflowId = '';
    await tellWorkflow(async () => (workflowId = await this.workflows.startAppReload({ tenant: caller.tenant, ...reload })));
    return { workflowId };
  }

  /** Checks the request against the tenant's settings; those settings. */
  private async validate(caller: Caller, request: SharingTaskCreateRequest, now: Date, changed?: ReadonlySet<string>): Promise<Settings> {
    const settings = await this.settings.get(caller.tenant);
    const problems = validateSharingTask(request, {
      now,
      maxRecipients: settings.maxRecipients,
      minIntervalSeconds: this.rules.minScheduleIntervalSeconds,
      defaultTimezone: this.defaultTimezone(caller),
    }, changed);
    if (problems.length > 0) throw new ValidationError(problems);
    return settings;
  }

  private defaultTimezone(caller: Caller): string {
    return caller.timezone ?? 'UTC';
  }

  /** A task the caller may change: the owner's or, for admins, any of the tenant's. Recipients may only read. */
  private async editable(caller: Caller, taskId: string, options: { allowDeleting?: boolean } = {}): Promise<SharingTask> {
    const { task, audience } = await this.access(caller, taskId);
    if (audience !== 'manager') throw errors.forbidden('only the owner or an admin can change this task');
    if (task.statusCode === 'DELETING' && !options.allowDeleting) throw errors.conflict(`sharing task ${taskId} is being deleted`);
    return task;
  }
}
