import { LocalDateTimeSchema, TimezoneSchema } from './common';
import { ExecutionHistoryIntervalSchema } from './enums';
import { singleLine } from './text';
import { z } from './zod';

/** The reference: at least 1 and at most 5 RRULEs. */
export const MAX_RECURRENCE_RULES = 5;

const RRULE_DESCRIPTION =
  'RRULEs as specified in RFC 5545 (with or without the "RRULE:" prefix). DTSTART, DTEND and UNTIL are not allowed ' +
  '(the start and end are startDateTime and endDateTime); RDATE, EXDATE and EXRULE are not supported.';

/**
 * The schedule as a client sends it. Only its shape is checked here; what needs the clock or the
 * rules' meaning (RRULE syntax, minimum interval, start not older than a year, end after start) is
 * `validateSchedule` of the schedule module (see validation.ts).
 */
export const ScheduleOptionsRequestSchema = z
  .object({
    timezone: TimezoneSchema.optional(),
    recurrence: z
      .array(singleLine().min(1).max(1000))
      .min(1)
      .max(MAX_RECURRENCE_RULES)
      .openapi({ description: RRULE_DESCRIPTION, example: ['RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0'] }),
    startDateTime: LocalDateTimeSchema.optional().openapi({ description: 'first occurrence, local time in `timezone`, not more than one year ago; absent or "" means now' }),
    endDateTime: LocalDateTimeSchema.optional().openapi({ description: 'end of the series (inclusive), local time in `timezone`; absent or "" means never' }),
  })
  .openapi('ScheduleOptionsRequest');
export type ScheduleOptionsRequest = z.infer<typeof ScheduleOptionsRequestSchema>;

/**
 * The schedule as stored: the zone resolved, plus what the service keeps about the series. Not an
 * extension of the request's schema, whose rules (1 to 5 rules) the document would otherwise
 * publish for responses too: a task without a schedule (on demand, at creation or on app reload)
 * has no rules.
 */
export const ScheduleOptionsSchema = z.object({
  timezone: z.string(),
  recurrence: z.array(z.string()).openapi({ description: `${RRULE_DESCRIPTION} Empty for a task without a schedule.` }),
  startDateTime: z.string().optional(),
  endDateTime: z.string().optional(),
  chronosJobID: z.string().optional().openapi({ description: 'the id of the Temporal workflow that runs this task' }),
  lastExecutionTime: z.string().optional().openapi({ description: 'RFC 3339 instant of the last run; absent before the first' }),
  nextExecutionTime: z.string().optional().openapi({ description: 'RFC 3339 instant of the next occurrence; absent when the series is over' }),
}).openapi('ScheduleOptions');
export type ScheduleOptions = z.infer<typeof ScheduleOptionsSchema>;

/** `trigger` as a client sends it. */
export const TriggerRequestSchema = z
  .object({
    recurrence: z.array(singleLine().max(1000)).max(MAX_RECURRENCE_RULES).optional().openapi({ description: `${RRULE_DESCRIPTION} Omitted for single events.` }),
    executeOnAppReload: z.boolean().optional().openapi({ description: 'run the task when its app reloads' }),
    executionHistoryInterval: ExecutionHistoryIntervalSchema.optional(),
  })
  .openapi('TriggerRequest');

/** `trigger` as stored (as sent, so a stored trigger meets the request's rules). */
export const TriggerSchema = TriggerRequestSchema.extend({ chronosJobID: z.string().optional() }).openapi('Trigger');
export type Trigger = z.infer<typeof TriggerSchema>;

/** `retentionPolicy.overrideInterval`: an RFC 5545 RRULE body (`FREQ=DAILY;INTERVAL=1`). */
const RRULE_BODY = /^(?:RRULE:)?(?=(?:[^;]*;)*FREQ=(?:SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(?:;|$))[A-Z]+=[^;\s\u0000-\u001F\u007F]+(?:;[A-Z]+=[^;\s\u0000-\u001F\u007F]+)*$/;

export const RetentionPolicySchema = z
  .object({
    historySize: z.number().int().min(1).max(1000).optional().openapi({ description: 'how many executions (with their files) are kept; 10 for chart monitoring' }),
    overrideInterval: z
      .string()
      .max(200)
      .regex(RRULE_BODY, 'must be an RRULE like FREQ=DAILY;INTERVAL=1')
      .optional()
      .openapi({ description: 'RFC 5545 interval within which a newer run replaces the previous one', example: 'FREQ=DAILY;INTERVAL=1' }),
  })
  .openapi('RetentionPolicy');
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;
