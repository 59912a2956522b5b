import type { z } from 'zod';
import type { Problem } from '../errors';
import { validateSchedule } from '../schedule';
import type { SharingTaskCreateRequest } from './schemas';

export type { Problem };

/** A zod path as the API names fields: `templates[0].chartData.widthPx`. */
function fieldName(path: PropertyKey[]): string {
  return path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part)), '');
}

/** A stable rule code per kind of zod issue (or the one a schema attached in `params.rule`). */
function ruleOf(issue: z.core.$ZodIssue): string {
  const params = (issue as { params?: { rule?: string } }).params;
  if (params?.rule) return params.rule;
  if (issue.code === 'invalid_type') return (issue as { input?: unknown }).input === undefined ? 'required' : 'invalid_type';
  if (issue.code === 'invalid_value') return 'invalid_enum';
  if (issue.code === 'invalid_union') return 'invalid_value';
  return issue.code;
}

export function zodIssuesToProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    field: fieldName(issue.path),
    rule: ruleOf(issue),
    message: ruleOf(issue) === 'required' ? 'is required' : issue.message,
  }));
}

/** The rules that need context beyond the request's shape: schedule, recipient limit, expiration. */
export function validateSharingTask(
  task: SharingTaskCreateRequest,
  context: { now: Date; maxRecipients: number; minIntervalSeconds: number; defaultTimezone: string },
): Problem[] {
  const problems: Problem[] = [];
  const schedule = task.scheduleOptions;
  if (schedule) {
    problems.push(
      ...validateSchedule(
        {
          recurrence: schedule.recurrence,
          timezone: schedule.timezone || context.defaultTimezone,
          startDateTime: schedule.startDateTime || undefined,
          endDateTime: schedule.endDateTime || undefined,
        },
        { now: context.now, minIntervalSeconds: context.minIntervalSeconds },
      ),
    );
  }
  const { emailAddresses = [], userIds = [], groupIds = [] } = task.recipients;
  const total = emailAddresses.length + userIds.length + groupIds.length;
  if (total > context.maxRecipients) {
    problems.push({ field: 'recipients', rule: 'RECIPIENTS_LIMIT_EXCEEDED', message: `has ${total} recipients; this tenant allows ${context.maxRecipients}` });
  }
  if (task.expiration && Date.parse(task.expiration) <= context.now.getTime()) {
    problems.push({ field: 'expiration', rule: 'EXPIRATION_IN_PAST', message: 'must be in the future' });
  }
  return problems;
}
