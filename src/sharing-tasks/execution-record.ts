import type { EmailContent, Execution, Template } from './schemas';

/**
 * The task as it was when a run began, kept inside the execution (never shown by the API):
 * every step of one run renders and sends the same thing even if the task is edited meanwhile.
 */
export interface RunSnapshot {
  name: string;
  message?: string;
  timezone: string;
  templates: Template[];
  emailContent?: EmailContent;
  selections?: unknown[];
  historySize: number;
  overrideInterval?: string;
  /** Set when the task delivers to SharePoint. */
  sharePointFolder?: string;
}

export type ExecutionRecord = Execution & {
  snapshot?: RunSnapshot;
  /** The e-mails the run set out to send (its resolved recipients), for the counts of a cancelled run. */
  plannedEmails?: number;
};

type ExecutionIdentity = Pick<ExecutionRecord, 'id' | 'sharingTaskId' | 'tenant' | 'status' | 'trigger' | 'eventTime' | 'startTime'>;

/** A new execution: its identity and what it serves, with nothing produced or delivered yet. */
export function newExecution(identity: ExecutionIdentity, extra: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    ...identity,
    files: [],
    totalCount: 0,
    successCount: 0,
    failedCount: 0,
    cancelledCount: 0,
    errors: [],
    recipients: [],
    ...extra,
  } as ExecutionRecord;
}
