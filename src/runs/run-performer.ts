import pLimit from 'p-limit';
import type { Clock } from '../clock';
import type { DeliveryResult, ExecutionOutcome, ExecutionPlan, SharingExecutionWorkflowInput } from '../contract/run';
import type { DeliveryService } from './delivery-service';
import { sameRevision, type DraftRun, type PreparedRun, type RenderedTemplate, type RunInProgress, type RunService } from './run-service';

/** What the activity around a run lends it: liveness to the engine, and the engine's cancellation. */
export interface RunContext {
  /** Tells the engine this attempt is alive (throttled by the SDK), with what it is doing; the activity repeats the latest while the attempt lives (keepHeartbeating). */
  heartbeat(progress: RunProgress): void;
  /** Waits, and rejects when the run is cancelled (or this attempt was given up on). */
  sleep(ms: number): Promise<void>;
  /** Aborted when the run is cancelled or this attempt timed out: no send may begin then (one under way runs to its answer). */
  signal: AbortSignal;
  /** 1 for the first attempt. */
  attempt: number;
  /** How long the engine waits for a heartbeat before it gives this attempt up (and may start the next). */
  heartbeatTimeoutMs: number;
}

export interface RunProgress {
  /** beginning: reading the task, resolving recipients, writing the execution. */
  step: 'beginning' | 'holding' | 'rendering' | 'delivering';
  /** holding: the instant the run waits for */
  until?: string;
  done?: number;
  of?: number;
  /** delivering: how many wait for an earlier attempt's claim to settle or expire */
  waiting?: number;
}

export interface PerformedRun {
  plan: ExecutionPlan;
  deliveries: DeliveryResult[];
  /** The run as recorded: the attempt finishes it (absent in results recorded before it did). */
  outcome?: ExecutionOutcome;
}

/** A run as it started: what it read, whether it held, its drafted execution, its first render under way. */
interface StartedRun {
  prepared: PreparedRun;
  held: boolean;
  draft: DraftRun;
  firstRender?: Promise<RenderedTemplate>;
}

/** How often a held run tells the engine it is alive; the SDK sends at most one per 0.8 × heartbeatTimeout. */
const HOLD_HEARTBEAT_MS = 5_000;

/**
 * A whole run in one activity, started ahead of its instant: it reads its task and resolves its
 * recipients when it starts, holds in this worker, and at the instant starts: it drafts its
 * execution and hands the first template to the renderer. Then, in its turn, it reads the task
 * again (a pause during the hold ends the run, a change is drawn again), writes the execution,
 * renders every template, delivers to every recipient and channel, and records the outcome. Each step is the idempotent
 * step of RunService and DeliveryService, so a retried attempt (another worker, after a crash)
 * redoes only what the first did not finish.
 */
export class RunPerformer {
  /** Runs past their start take turns (`concurrency` at once, in the order they started), so the first finish first. */
  private readonly inTurn: <T>(work: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly runs: RunService,
    private readonly deliveries: DeliveryService,
    private readonly clock: Clock,
    /** Runs carried on at once past their start (RUN_CONCURRENCY); 0: no bound. */
    concurrency = 0,
  ) {
    const limit = concurrency > 0 ? pLimit(concurrency) : undefined;
    this.inTurn = limit ? (work) => limit(work) : (work) => work();
  }

  /** Performs the run; the caller keeps the attempt heartbeating while it lives (keepHeartbeating). */
  async perform(input: SharingExecutionWorkflowInput, workflowId: string, context: RunContext, lastAttempt: boolean): Promise<PerformedRun> {
    const started = await this.start(input, workflowId, context);
    return this.inTurn(async () => {
      context.signal.throwIfAborted(); // cancelled while it waited for its turn
      const { run, firstRender } = await this.begin(started, input, workflowId);
      const { plan, execution, claimed } = run;
      if (plan.finishedStatus) {
        // An earlier attempt finished the run and its result was lost: report the run as recorded.
        const taskDisabled = run.task.enabledBySystem === false;
        return { plan, deliveries: [], outcome: { executionId: execution.id, status: plan.finishedStatus, ...(taskDisabled ? { taskDisabled } : {}) } };
      }

      // The attempt keeps the execution and its rendered bytes in memory: nothing it wrote is read back.
      context.heartbeat({ step: 'rendering', done: 0, of: plan.templateCount });
      const rendered = new Map<string, Buffer>();
      for (let templateIndex = 0; templateIndex < plan.templateCount; templateIndex++) {
        context.signal.throwIfAborted();
        const { file, bytes } = await this.runs.renderInto(execution, templateIndex, claimed, templateIndex === 0 ? firstRender : undefined);
        if (bytes) rendered.set(file.fileID, bytes);
        context.heartbeat({ step: 'rendering', done: templateIndex + 1, of: plan.templateCount });
      }
      const deliveries = await this.deliveries.deliverRun(execution, plan, context, lastAttempt, rendered);
      return { plan, deliveries, outcome: await this.runs.finishRun(run, deliveries) };
    });
  }

  /**
   * Prepares the run, holds until its instant, and starts it: drafts its execution (its start is
   * now) and hands its first template to the renderer. A first attempt's execution does not exist
   * yet, so that render is drawn from the draft.
   */
  private async start(input: SharingExecutionWorkflowInput, workflowId: string, context: RunContext): Promise<StartedRun> {
    const prepared = await this.runs.prepare(input);
    const held = await this.holdUntil(input.trigger.notBefore, context);
    if (held) context.heartbeat({ step: 'beginning' });
    const draft = this.runs.draft(input, workflowId, prepared);
    const firstRender = context.attempt === 1 && draft.execution.snapshot!.templates.length > 0 ? this.runs.renderFile(draft.execution, 0) : undefined;
    firstRender?.catch(() => undefined); // its failure is the run's only if the run uses it
    return { prepared, held, draft, ...(firstRender ? { firstRender } : {}) };
  }

  /**
   * Writes the started run's execution. A held run reads its task again first: a pause during the
   * hold ends the run (prepare throws), a change is drawn again. The early render is the run's if
   * the task did not change and this attempt wrote the draft.
   */
  private async begin(
    { prepared, held, draft, firstRender }: StartedRun,
    input: SharingExecutionWorkflowInput,
    workflowId: string,
  ): Promise<{ run: RunInProgress; firstRender?: Promise<RenderedTemplate> }> {
    if (held) {
      const current = await this.runs.prepare(input, prepared);
      if (!sameRevision(prepared.task, current.task)) return { run: await this.runs.claim(this.runs.draft(input, workflowId, current)) };
    }
    const run = await this.runs.claim(draft);
    return { run, ...(run.claimed && firstRender ? { firstRender } : {}) };
  }

  /** Holds until `notBefore`, heartbeating; whether it held at all. */
  private async holdUntil(notBefore: string | undefined, context: RunContext): Promise<boolean> {
    if (!notBefore) return false;
    const until = Date.parse(notBefore);
    let held = false;
    for (let left = until - this.clock.now().getTime(); left > 0; left = until - this.clock.now().getTime()) {
      context.heartbeat({ step: 'holding', until: notBefore });
      await context.sleep(Math.min(left, HOLD_HEARTBEAT_MS));
      held = true;
    }
    return held;
  }
}
