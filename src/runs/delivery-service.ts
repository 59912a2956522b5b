import type { Clock } from '../clock';
import { inParallel } from '../in-parallel';
import { DeliveryChannelError } from '../deliver/channel-error';
import type { EmailAttachment, EmailSender } from '../deliver/email';
import type { Renderer } from '../render';
import type { ExecutionRecord } from '../sharing-tasks/execution-record';
import type { ChartData } from '../sharing-tasks/schemas';
import { emailHtml, emailText, withInlineChart } from './email-content';
import type { FileLinks } from './file-links';
import { PermanentRunError, requireExecution } from './run-errors';
import { DeliveryLedger, type DeliveryChannel, type DeliveryEntry, type Stores } from '../store';
import type { DeliveryResult, ExecutionPlan, RunFailure } from '../contract/run';
import type { RunContext } from './run-performer';
import type { RunMetrics } from '../metrics/run-metrics';
import { inSpan } from '../telemetry/spans';

/** Deliveries of one run in flight at once: SMTP sessions and Graph uploads mostly wait on the far side. */
const DELIVERY_CONCURRENCY = 8;

/** How often a delivery claimed by an earlier, maybe still living, attempt is read again while this one waits. */
const CLAIM_RECHECK_MS = 5_000;


function failureOf(error: unknown, channel: DeliveryChannel): RunFailure {
  if (error instanceof PermanentRunError || error instanceof DeliveryChannelError) return { code: error.code, message: error.message };
  return { code: channel === 'email' ? 'EMAIL_DELIVERY_FAILURE' : 'GENERIC_FILE_UPLOAD_ERROR', message: error instanceof Error ? error.message : String(error) };
}

/** The transient failure the next attempt should wait longest for (a far side's Retry-After), else the first. */
function retryAfterLongest(errors: unknown[]): unknown {
  const waits = errors.filter((error): error is DeliveryChannelError => error instanceof DeliveryChannelError && error.retryAfterMs !== undefined);
  return waits.sort((a, b) => b.retryAfterMs! - a.retryAfterMs!)[0] ?? errors[0];
}

/** The chart inside a mail is at most 800 px wide (its own size when smaller), whatever size the file is. */
const MAIL_CHART_MAX_WIDTH = 800;

function mailSized(chart: ChartData): ChartData {
  const scale = Math.min(1, MAIL_CHART_MAX_WIDTH / (chart.widthPx * (chart.outZoom ?? 1)));
  return { ...chart, outZoom: 1, widthPx: Math.max(1, Math.round(chart.widthPx * (chart.outZoom ?? 1) * scale)), heightPx: Math.max(1, Math.round(chart.heightPx * (chart.outZoom ?? 1) * scale)) };
}

interface MailParts {
  attachments: EmailAttachment[];
  /** Whether one attachment is the chart shown inside the HTML part. */
  inline: boolean;
}

/**
 * One attempt's deliveries as the engine sees them: how far they are, heartbeated every quarter of
 * the heartbeat timeout while they run, so a slow but living send is not taken for a dead attempt.
 */
class DeliveryProgress {
  done = 0;
  waiting = 0;

  constructor(
    readonly context: RunContext,
    private readonly of: number,
  ) {}

  /** Tells the engine where the deliveries stand (the caller's keepHeartbeating repeats it while nothing changes). */
  beat(): void {
    this.context.heartbeat({ step: 'delivering', done: this.done, of: this.of, ...(this.waiting > 0 ? { waiting: this.waiting } : {}) });
  }
}

/** The SharePoint channel as a run needs it (src/deliver/sharepoint.ts implements it over Microsoft Graph). */
export interface FileUploader {
  /** 'already-present': a file of that name was there (conflictBehavior=fail), nothing was written. */
  upload(folder: string, fileName: string, bytes: Buffer, contentType: string): Promise<{ status: 'uploaded' | 'already-present' }>;
}


/**
 * Delivers one run's files, exactly once per (execution, recipient, channel): the ledger entry is
 * claimed by an insert on that key before sending and marked after. A claim holds a lease (the
 * longest its send may take, plus the heartbeat timeout): an attempt that finds another's claim
 * waits until it is settled, released or past its lease, and only then takes it over (an insert
 * on the key's next generation). The holder begins a send only while it may (not aborted, within
 * half the heartbeat timeout of its claim); a send it began runs to the far side's answer, bounded
 * by the send timeout, even if the attempt is given up meanwhile: a message on the wire may be
 * delivered whatever happens to the connection, so hanging up and releasing the claim would hand
 * the retry a second send. What remains: a holder frozen in the middle of its send past its lease,
 * or a send whose answer never came within its timeout (released, sent again); e-mails carry a
 * Message-ID derived from the key, so a receiver can drop the second.
 */
export class DeliveryService {
  constructor(
    private readonly stores: Stores,
    private readonly channels: { email: EmailSender; sharePoint?: FileUploader },
    private readonly links: FileLinks,
    private readonly clock: Clock,
    private readonly metrics: RunMetrics,
    /** The longest one send may take (DELIVERY_TIMEOUT_SECONDS, the senders' bound): with the heartbeat timeout, a claim's lease. */
    private readonly sendTimeoutMs: number,
    /** Draws the first chart as PNG for the HTML part when the run has no PNG file (best effort). */
    private readonly chartRenderer?: Renderer,
  ) {}

  async deliverByEmail(executionId: string, recipient: string, context: RunContext): Promise<DeliveryResult> {
    const execution = await requireExecution(this.stores, executionId);
    return this.emailOnce(execution, recipient, await this.mailPartsOf(execution), new DeliveryProgress(context, 1));
  }

  /** Uploads one rendered file into the task's SharePoint folder; the recipient is the file's path there. */
  async uploadToSharePoint(executionId: string, fileAlias: string, context: RunContext): Promise<DeliveryResult> {
    const execution = await requireExecution(this.stores, executionId);
    return this.uploadOnce(execution, fileAlias, new DeliveryProgress(context, 1));
  }

  /**
   * Every delivery of a run (each e-mail recipient, each file to SharePoint), reading the execution
   * and its files once, DELIVERY_CONCURRENCY at a time. Permanent failures become failed results.
   * Transient ones are retried by the engine (this throws, after the others are settled, so the
   * next attempt redoes only them), except on the last attempt, where they are failed results too.
   * No send begins once the run is cancelled or this attempt was given up on (`context.signal`).
   */
  async deliverRun(
    execution: ExecutionRecord,
    plan: ExecutionPlan,
    context: RunContext,
    lastAttempt: boolean,
    rendered: ReadonlyMap<string, Buffer> = new Map(),
  ): Promise<DeliveryResult[]> {
    const parts = plan.emailRecipients.length > 0 ? await this.mailPartsOf(execution, rendered) : { attachments: [], inline: false };
    const work: { recipient: string; channel: DeliveryChannel; deliver: (progress: DeliveryProgress) => Promise<DeliveryResult> }[] = [
      ...plan.emailRecipients.map((recipient) => ({ recipient, channel: 'email' as const, deliver: (progress: DeliveryProgress) => this.emailOnce(execution, recipient, parts, progress) })),
      ...(plan.uploadToSharePoint ? execution.files : []).map((file) => ({
        recipient: file.fileName ?? file.fileAlias,
        channel: 'sharepoint' as const,
        deliver: (progress: DeliveryProgress) => this.uploadOnce(execution, file.fileAlias, progress, rendered),
      })),
    ];
    const results: DeliveryResult[] = [];
    const transient: unknown[] = [];
    const progress = new DeliveryProgress(context, work.length);
    await inParallel(work, DELIVERY_CONCURRENCY, async ({ recipient, channel, deliver }) => {
      try {
        results.push(await deliver(progress));
      } catch (error) {
        if (context.signal.aborted) throw error;
        if (error instanceof PermanentRunError || lastAttempt) {
          results.push({ recipient, channel, status: 'failed', error: failureOf(error, channel) });
        } else {
          transient.push(error);
        }
      }
      progress.done++;
      progress.beat();
    });
    if (transient.length > 0) throw retryAfterLongest(transient);
    return results;
  }

  /**
   * The run's files as attachments (from `rendered`, this attempt's renders by file id, or else from
   * the store), one of them (or a drawing of the first chart) marked to show inside the HTML part.
   */
  private async mailPartsOf(execution: ExecutionRecord, rendered: ReadonlyMap<string, Buffer> = new Map()): Promise<MailParts> {
    const attachments = await Promise.all(
      execution.files.map(async (file) => ({
        fileName: file.fileName ?? file.fileAlias,
        contentType: file.contentType ?? 'application/octet-stream',
        content: await this.bytesOf(file.fileID, rendered),
      })),
    );
    const hasPng = attachments.some((attachment) => attachment.contentType === 'image/png');
    return withInlineChart(attachments, hasPng ? undefined : await this.drawFirstChart(execution));
  }

  private async bytesOf(fileID: string, rendered: ReadonlyMap<string, Buffer>): Promise<Buffer> {
    return rendered.get(fileID) ?? (await this.stores.files.read(fileID));
  }

  private async drawFirstChart(execution: ExecutionRecord): Promise<Buffer | undefined> {
    const snapshot = execution.snapshot!;
    const template = snapshot.templates.find((candidate) => candidate.type === 'chart' && candidate.chartData);
    if (!template || !this.chartRenderer) return undefined;
    try {
      const rendered = await this.chartRenderer.render({
        template: { ...template, subType: 'image', chartData: mailSized(template.chartData!) },
        format: 'png',
        task: { id: execution.sharingTaskId, name: snapshot.name, timezone: snapshot.timezone, selections: snapshot.selections },
        generatedAt: this.clock.now(),
      });
      return rendered.bytes;
    } catch {
      // The picture in the mail is a courtesy: the files are attached and linked either way.
      return undefined;
    }
  }

  private emailOnce(execution: ExecutionRecord, recipient: string, parts: MailParts, progress: DeliveryProgress): Promise<DeliveryResult> {
    const snapshot = execution.snapshot!;
    return this.once(execution, recipient, 'email', progress, async ({ key }) => {
      const now = this.clock.now();
      const content = {
        subject: snapshot.emailContent?.subject || snapshot.name,
        body: snapshot.emailContent?.body || snapshot.message || `Your report "${snapshot.name}" is attached.`,
        links: execution.files.map((file) => ({ fileName: file.fileName ?? file.fileAlias, url: this.links.url(execution, file, now) })),
        ...(parts.inline ? { chartAlt: `Chart of the report "${snapshot.name}"` } : {}),
      };
      await this.channels.email.send({
        to: recipient,
        subject: content.subject,
        text: emailText(content),
        html: emailHtml(content),
        messageId: `<${encodeURIComponent(key)}@sharing-tasks>`,
        attachments: parts.attachments,
      });
    });
  }

  private uploadOnce(execution: ExecutionRecord, fileAlias: string, progress: DeliveryProgress, rendered: ReadonlyMap<string, Buffer> = new Map()): Promise<DeliveryResult> {
    const folder = execution.snapshot!.sharePointFolder;
    const file = execution.files.find((candidate) => candidate.fileAlias === fileAlias);
    if (!this.channels.sharePoint) throw new PermanentRunError('GENERIC_FILE_UPLOAD_ERROR', 'SharePoint is not configured for this service');
    if (!folder) throw new PermanentRunError('INVALID_SHAREPOINT_DIRECTORY', 'the task has no sharePointFolder');
    if (!file) throw new PermanentRunError('GENERIC_FILE_UPLOAD_ERROR', `execution ${execution.id} has no file ${fileAlias}`);
    const fileName = file.fileName ?? file.fileAlias;
    const uploader = this.channels.sharePoint;
    return this.once(execution, `${folder.replace(/\/+$/, '')}/${fileName}`, 'sharepoint', progress, async ({ resuming }) => {
      const { status } = await uploader.upload(folder, fileName, await this.bytesOf(file.fileID, rendered), file.contentType ?? 'application/octet-stream');
      // A file already there is this delivery's own only when an earlier attempt of it may have written it.
      if (status === 'already-present' && !resuming) {
        throw new DeliveryChannelError(
          'GENERIC_FILE_UPLOAD_ERROR',
          `"${fileName}" already exists in "${folder}" (another run wrote it); a fileTimeStamp with the time of day tells runs apart`,
          true,
        );
      }
    });
  }

  /**
   * Claims the delivery and sends it under that claim, or reports how another attempt settled it.
   * The claim is marked delivered or failed (permanently) after the send, and released when the
   * send failed otherwise, so the next attempt takes over without waiting for the lease.
   */
  private async once(
    execution: ExecutionRecord,
    recipient: string,
    channel: DeliveryChannel,
    progress: DeliveryProgress,
    send: (attempt: { key: string; resuming: boolean }) => Promise<void>,
  ): Promise<DeliveryResult> {
    const key = DeliveryLedger.key(execution.id, recipient, channel);
    const claim = await this.claimWhenFree(execution.id, recipient, channel, progress);
    if (claim.state === 'delivered') return { recipient, channel, status: 'delivered' };
    if (claim.state === 'failed') return { recipient, channel, status: 'failed', error: claim.error };
    try {
      this.assertMaySend(claim, progress.context);
      const spanName = channel === 'email' ? 'smtp send' : 'graph upload';
      // A later generation took over from an attempt that may have sent (or written the file) already.
      const resuming = (claim.generation ?? 0) > 0;
      await inSpan(spanName, { 'sharing.execution_id': execution.id, 'sharing.channel': channel }, () => send({ key, resuming }));
    } catch (error) {
      // Permanent failures are recorded so a retried activity reports them instead of sending again.
      if (error instanceof DeliveryChannelError && error.permanent) {
        this.metrics.deliveryAttempted(channel, 'rejected');
        const recorded: RunFailure = { code: error.code, message: error.message };
        await this.stores.deliveries.markFailed(claim._id, recorded);
        throw new PermanentRunError(recorded.code, recorded.message);
      }
      this.metrics.deliveryAttempted(channel, error instanceof PermanentRunError ? 'rejected' : 'error');
      await this.stores.deliveries.release(claim._id);
      throw error;
    }
    this.metrics.deliveryAttempted(channel, 'delivered');
    await this.stores.deliveries.markDelivered(claim._id, this.clock.now());
    return { recipient, channel, status: 'delivered' };
  }

  /**
   * This attempt's own claim of the delivery, or the settled entry another attempt left. A claim
   * of another attempt that is neither settled nor released nor past its lease may still be
   * sending: this one waits (heartbeating), reading it again every CLAIM_RECHECK_MS, and takes it
   * over only after. Of attempts taking over at once, the losers wait on the winner's claim.
   */
  private async claimWhenFree(executionId: string, recipient: string, channel: DeliveryChannel, progress: DeliveryProgress): Promise<DeliveryEntry> {
    const { context } = progress;
    const claimant = () => ({ attempt: context.attempt, now: this.clock.now(), leaseMs: this.sendTimeoutMs + context.heartbeatTimeoutMs });
    let claim = await this.stores.deliveries.claim(executionId, recipient, channel, claimant());
    while (!claim.claimed) {
      const { current } = claim;
      if (current.state === 'delivered' || current.state === 'failed') return current;
      const leaseLeftMs = current.state === 'claimed' && current.leaseUntil ? current.leaseUntil.getTime() - this.clock.now().getTime() : 0;
      if (leaseLeftMs > 0) {
        progress.waiting++;
        progress.beat();
        try {
          await context.sleep(Math.min(CLAIM_RECHECK_MS, leaseLeftMs));
        } finally {
          progress.waiting--;
          progress.beat();
        }
        claim = { claimed: false, current: (await this.stores.deliveries.current(current.key ?? current._id)) ?? current };
      } else {
        claim = await this.stores.deliveries.takeOver(current, claimant());
      }
    }
    return claim.entry;
  }

  /**
   * The holder sends only while it may: not once the run is cancelled or the engine gave this
   * attempt up, and not after half the heartbeat timeout since its claim (a process frozen between
   * claim and send wakes too late for its lease to cover the send).
   */
  private assertMaySend(claim: DeliveryEntry, context: RunContext): void {
    context.signal.throwIfAborted();
    const sinceClaimMs = this.clock.now().getTime() - claim.claimedAt.getTime();
    if (sinceClaimMs > context.heartbeatTimeoutMs / 2) {
      throw new Error(`the claim of this delivery is ${Math.round(sinceClaimMs / 1000)} s old, past half the heartbeat timeout: not sending under it`);
    }
  }
}
