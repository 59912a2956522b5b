/**
 * What a run (in its task's workflow) and its activities exchange (serialised into history): the run's input and
 * outcome, its plan, its deliveries. Types only.
 */

import type { RunTrigger } from './task-workflow';

export interface SharingExecutionWorkflowInput {
  tenant: string;
  taskId: string;
  executionId: string;
  trigger: RunTrigger;
}

export type ExecutionStatus = 'successful' | 'failed' | 'cancelled';

export interface ExecutionOutcome {
  executionId: string;
  status: ExecutionStatus;
  /** The run pushed the task over its consecutive-failure limit: the system disabled it. */
  taskDisabled?: boolean;
}

export interface RunFailure {
  /** One of the reference's error codes, e.g. EMAIL_DELIVERY_FAILURE, TEMPLATE_NOT_FOUND. */
  code: string;
  message: string;
}

export interface ExecutionPlan {
  templateCount: number;
  /** Resolved from addresses, users and groups; skipped recipients are recorded by beginExecution. */
  emailRecipients: string[];
  /** Whether each rendered file goes to the task's SharePoint folder. */
  uploadToSharePoint: boolean;
  /** The run stops and fails with EXECUTION_TIME_OUT after this long (the worker's configuration). */
  timeoutSeconds: number;
  /** How long one delivery attempt may take before Temporal retries it (e.g. on another worker). */
  deliveryTimeoutSeconds: number;
  /**
   * How long one render attempt may take before Temporal retries it, e.g. on another worker when
   * this one died mid-render. Absent in plans recorded before it existed.
   */
  renderTimeoutSeconds?: number;
  /** Set when this execution already ended (a replayed or duplicated start): nothing more to do. */
  finishedStatus?: ExecutionStatus;
}

export interface DeliveryResult {
  recipient: string;
  channel: 'email' | 'sharepoint';
  /** skipped: never attempted (disabled, unknown, over the tenant's limit), with the reason in error. */
  status: 'delivered' | 'failed' | 'skipped';
  error?: RunFailure;
}

export interface FinishRequest {
  executionId: string;
  deliveries: DeliveryResult[];
  cancelled?: boolean;
  failure?: RunFailure;
  /** With cancelled: how many e-mails the run meant to send (those not settled count as cancelled). */
  plannedEmails?: number;
}

export interface RunLimits {
  /** The run stops and fails with EXECUTION_TIME_OUT this long after its instant. */
  timeoutSeconds: number;
  /** How long one delivery attempt may take before Temporal retries it. */
  deliveryTimeoutSeconds: number;
  /**
   * The heartbeat timeout of performRun (RUN_HEARTBEAT_TIMEOUT_SECONDS). Absent in results recorded
   * before it existed: those runs had 30 s.
   */
  heartbeatTimeoutSeconds?: number;
}

export interface PerformRunInput {
  run: SharingExecutionWorkflowInput;
  /** The activity's retry policy's maximumAttempts: on the last one, transient failures are recorded, not retried. */
  maxAttempts: number;
}
