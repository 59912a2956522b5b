import { DateTime, type DurationLikeObject } from 'luxon';

export interface RetainedRun {
  id: string;
  startTime: string;
  status: string;
}

export interface RetentionPolicy {
  historySize: number;
  /** An RRULE body (`FREQ=DAILY;INTERVAL=1`): a newer successful run within it replaces the previous one. */
  overrideInterval?: string;
  timezone: string;
}

const UNIT_OF_FREQ: Record<string, keyof DurationLikeObject> = {
  SECONDLY: 'seconds',
  MINUTELY: 'minutes',
  HOURLY: 'hours',
  DAILY: 'days',
  WEEKLY: 'weeks',
  MONTHLY: 'months',
  YEARLY: 'years',
};

/** `FREQ=DAILY;INTERVAL=2` as a calendar duration ({days: 2}); undefined when it names no frequency. */
export function overrideDuration(rule: string): DurationLikeObject | undefined {
  const parts = Object.fromEntries(rule.replace(/^RRULE:/i, '').split(';').map((part) => part.toUpperCase().split('=') as [string, string]));
  const unit = UNIT_OF_FREQ[parts.FREQ ?? ''];
  if (!unit) return undefined;
  return { [unit]: Math.max(1, Number(parts.INTERVAL ?? 1) || 1) };
}

/**
 * The runs a task no longer keeps, given its runs newest first: the newest successful run
 * replaces the successful one before it when that started within `overrideInterval` (counted in
 * the task's timezone, so "daily" means a calendar day), and beyond `historySize` the oldest go.
 */
export function expiredRuns(newestFirst: RetainedRun[], policy: RetentionPolicy): string[] {
  const expired = new Set<string>();
  const duration = policy.overrideInterval ? overrideDuration(policy.overrideInterval) : undefined;
  const [newest, ...older] = newestFirst.filter((run) => run.status === 'successful');
  const previous = older[0];
  if (duration && newest && previous) {
    const replacedUntil = DateTime.fromISO(previous.startTime, { zone: policy.timezone }).plus(duration);
    if (DateTime.fromISO(newest.startTime) < replacedUntil) expired.add(previous.id);
  }
  newestFirst
    .filter((run) => !expired.has(run.id))
    .slice(policy.historySize)
    .forEach((run) => expired.add(run.id));
  return [...expired];
}
