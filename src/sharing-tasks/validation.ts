import type { z } from 'zod';
import type { Problem } from '../errors';
import { validateSchedule } from '../schedule';
import {
  CONTROL_CHARACTER_PATTERNS,
  crossFieldIssues,
  documentSizeIssue,
  MAX_RECURRENCE_RULES,
  MISSING_VALUE_MESSAGE,
  recipientCount,
  type SharingTaskCreate,
} from './schemas';

export type { Problem };

/** A zod path as the API names fields: `templates[0].chartData.widthPx` (`[0].path` for a top-level array). */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part)), '');
}

/**
 * The stable rule code of a zod issue: the one a schema attached (`params.rule`), else one per kind
 * of issue. Lower case: generic kinds any field can break —
 *   required           a required value is absent (also a conditionally required one)
 *   invalid_type       wrong JSON type (text for a number, object for a string...)
 *   invalid_enum       not one of the listed values (enums, literals, PATCH paths)
 *   invalid_format     a string of the wrong form (e-mail, instant, local date-time, fileAlias...)
 *   too_small, too_big a number, string or array out of its bounds
 *   unrecognized       a key a strict object does not know (settings PUT)
 *   mutually_exclusive two of page/next/prev;  not_removable  `remove` of a required field
 *   invalid_value      none of a union's forms
 *   blank              an empty query value (`?role=`)
 *   control_character  NUL or another control character in a string (tab, CR, LF allowed in multi-line text)
 *   too_deep, invalid_key  a free-form value nested too deep; a key starting with "$", holding "." or NUL
 * Upper case: named domain rules, the same whichever layer finds them — NO_RECIPIENTS,
 * TIMEZONE_INVALID, ROW_LENGTH_MISMATCH, DOCUMENT_TOO_LARGE here; RECIPIENTS_LIMIT_EXCEEDED, EXPIRATION_IN_PAST and the
 * schedule module's (RRULE_*, INTERVAL_TOO_SHORT, START_TOO_OLD, END_BEFORE_START...) below.
 */
function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return (issue.params as { rule?: string } | undefined)?.rule ?? 'invalid';
  if (issue.message === MISSING_VALUE_MESSAGE) return 'required';
  switch (issue.code) {
    case 'invalid_format':
      return 'pattern' in issue && CONTROL_CHARACTER_PATTERNS.includes(issue.pattern as string) ? 'control_character' : 'invalid_format';
    case 'invalid_value':
      return 'invalid_enum';
    case 'invalid_union':
      if ('note' in issue && issue.note === 'No matching discriminator') return 'invalid_enum';
      return issue.errors.every((branch) => branch.every((inner) => inner.code === 'invalid_type')) ? 'invalid_type' : 'invalid_value';
    case 'unrecognized_keys':
      return 'unrecognized';
    default:
      return issue.code;
  }
}

/** Zod issues as problems of the API's error shape: one per field (an unknown key is a field too). */
export function zodIssuesToProblems(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), rule: 'unrecognized', message: 'is not a known field' }))
      : [{ field: fieldName(issue.path), rule: ruleOf(issue), message: issue.message }],
  );
}

export interface SharingTaskValidationContext {
  now: Date;
  /** the tenant's `maxRecipients` */
  maxRecipients: number;
  minIntervalSeconds: number;
  /** the zone of a schedule without one (the caller's) */
  defaultTimezone: string;
}

/**
 * The rules of a parsed create request (or patched task) that need context beyond its shape: the
 * schedule (RRULEs, zone, start/end, minimum interval: the schedule module's codes), the tenant's
 * recipient limit (RECIPIENTS_LIMIT_EXCEEDED) and an expiration in the future (EXPIRATION_IN_PAST).
 * For a patched task, `changed` names the fields the patch set: only their rules apply (a schedule
 * that started 13 months ago, or a limit lowered since, does not block renaming the task).
 */
export function validateSharingTask(task: SharingTaskCreate, context: SharingTaskValidationContext, changed?: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const applies = (field: string) => !changed || changed.has(field);
  const schedule = task.scheduleOptions;
  if (schedule && applies('scheduleOptions')) {
    problems.push(
      ...validateSchedule(
        {
          recurrence: schedule.recurrence,
          timezone: schedule.timezone || context.defaultTimezone,
          startDateTime: schedule.startDateTime || undefined,
          endDateTime: schedule.endDateTime || undefined,
        },
        { now: context.now, minIntervalSeconds: context.minIntervalSeconds, maxRules: MAX_RECURRENCE_RULES },
      ),
    );
  }
  const recipients = recipientCount(task.recipients);
  if (recipients > context.maxRecipients && applies('recipients')) {
    problems.push({
      field: 'recipients',
      rule: 'RECIPIENTS_LIMIT_EXCEEDED',
      message: `names ${recipients} recipients; this tenant allows ${context.maxRecipients}`,
    });
  }
  if (task.expiration && Date.parse(task.expiration) <= context.now.getTime() && applies('expiration')) {
    problems.push({ field: 'expiration', rule: 'EXPIRATION_IN_PAST', message: 'must be in the future' });
  }
  return problems;
}

/**
 * The shape rules a patched task must meet as a whole (the values themselves were checked one by
 * one): the cross-field rules that read a field the patch changed, and the size budget when the
 * patch grows the task (a task stored before the budget can still be renamed or disabled).
 */
export function patchedTaskProblems(view: Record<string, unknown>, changed: ReadonlySet<string>, bytesBefore: number): Problem[] {
  const issues = crossFieldIssues(view).filter((issue) => issue.dependsOn.some((field) => changed.has(field)));
  const size = documentSizeIssue(view);
  if (size && size.bytes > bytesBefore) issues.push(size);
  return issues.map((issue) => ({ field: fieldName(issue.path), rule: issue.rule, message: issue.message }));
}
