/** Values that cross the workflow/activity boundary (serialised into history). */
import type { ExecutionStatus } from '../workflows/definitions';

export interface RunFailure {
  /** One of the reference's error codes, e.g. EMAIL_DELIVERY_FAILURE, TEMPLATE_NOT_FOUND. */
  code: string;
  message: string;
}

export interface ExecutionPlan {
  templateCount: number;
  emailRecipients: string[];
  /** Set when this execution already ended (a replayed or duplicated start): nothing more to do. */
  finishedStatus?: ExecutionStatus;
}

export interface DeliveryResult {
  recipient: string;
  channel: 'email' | 'sharepoint';
  status: 'delivered' | 'failed';
  error?: RunFailure;
}

export interface FinishRequest {
  executionId: string;
  deliveries: DeliveryResult[];
  cancelled?: boolean;
  failure?: RunFailure;
}
