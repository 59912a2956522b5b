import { Counter, Histogram, Registry } from 'prom-client';
import type { TriggerKind } from '../contract/task-workflow';
import { endpointRegistry } from './registry';

export type DeliveryChannelLabel = 'email' | 'sharepoint';
/** delivered: the far side accepted it; rejected: failed for good; error: failed for now (retried unless the run's attempts are spent). */
export type DeliveryOutcome = 'delivered' | 'rejected' | 'error';
export type RunStatusLabel = 'successful' | 'failed' | 'cancelled' | 'skipped';

const SECONDS_TO_AN_HOUR = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * What runs do, as the worker's Prometheus metrics. Recorded by the services of src/runs (never by
 * workflow code), each fact once per run however often its activity is retried.
 */
export class RunMetrics {
  /** Everything the worker's /metrics shows: these and the process's metrics. */
  readonly registry: Registry;
  private readonly lateness: Histogram<'trigger'>;
  private readonly duration: Histogram;
  private readonly runs: Counter<'status'>;
  private readonly deliveries: Counter<'channel' | 'outcome'>;
  private readonly render: Histogram<'format'>;

  constructor() {
    const own = new Registry();
    const registers = [own];
    this.lateness = new Histogram({
      name: 'sharing_run_start_lateness_seconds',
      help: 'From the instant a run was due (its occurrence, request or reload) to the moment it began rendering, by trigger kind',
      labelNames: ['trigger'],
      buckets: SECONDS_TO_AN_HOUR,
      registers,
    });
    this.duration = new Histogram({
      name: 'sharing_run_duration_seconds',
      help: 'From the moment a run began to the moment it was recorded as ended (render, deliveries, retries)',
      buckets: SECONDS_TO_AN_HOUR,
      registers,
    });
    this.runs = new Counter({
      name: 'sharing_runs_total',
      help: 'Runs ended, by status; skipped: an occurrence that came due while the task\'s previous run was still going',
      labelNames: ['status'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'sharing_deliveries_total',
      help: 'Delivery attempts (one e-mail to one recipient, one file to SharePoint), by channel and outcome: delivered, rejected (for good), error (retried)',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.render = new Histogram({
      name: 'sharing_render_duration_seconds',
      help: 'Rendering one template to one file, by format',
      labelNames: ['format'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.registry = endpointRegistry(own);
  }

  runBegan(trigger: TriggerKind, dueAt: string, beganAt: Date): void {
    this.lateness.observe({ trigger }, Math.max(0, beganAt.getTime() - Date.parse(dueAt)) / 1000);
  }

  runEnded(status: RunStatusLabel, beganAt?: string, endedAt?: Date): void {
    this.runs.inc({ status });
    if (beganAt && endedAt) this.duration.observe(Math.max(0, endedAt.getTime() - Date.parse(beganAt)) / 1000);
  }

  deliveryAttempted(channel: DeliveryChannelLabel, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ channel, outcome });
  }

  /** Starts timing one render; call the result when it is done (whether it succeeded or not). */
  renderStarted(format: string): () => void {
    const end = this.render.startTimer({ format });
    return () => void end();
  }
}
