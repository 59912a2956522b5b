/**
 * Pure RRULE and timezone arithmetic for sharing-task schedules, shared by the API (validation,
 * next run) and the workflows, which import it directly. It does no I/O, reads no clock, no
 * environment and nothing of the process's TZ: every "now" is an argument, and it imports only
 * rrule and luxon.
 *
 * Semantics
 * - Rules are expanded in the task's local wall-clock time from `startDateTime` (a local date-time
 *   without offset, `YYYY-MM-DDTHH:mm[:ss]`). `startDateTime` is an occurrence only if it matches
 *   the rules. `endDateTime` is inclusive (like UNTIL), in local time. COUNT counts from the start.
 *   Several rules (1–5): their union, duplicates removed.
 * - Without `startDateTime` (absent or '') the series is anchored at `now` (the argument; `after`
 *   when omitted), truncated to the minute: a rule takes its implicit parts (DAILY's time of day,
 *   WEEKLY's weekday, …) from it. The caller must pass the same anchor every time — the workflow
 *   stores it once — or the series moves.
 * - Expansion happens in floating time (rrule without `tzid`, wall-clock fields carried as UTC
 *   fields); each wall-clock occurrence becomes an instant in the task's zone here (zone.ts).
 * - A wall-clock time that does not exist (spring-forward gap) fires shifted forward by the gap,
 *   per RFC 5545 §3.3.5 for DATE-TIME values: 02:30 on New York's spring-forward day fires at
 *   03:30 EDT. (RFC 5545 §3.3.10 would drop such recurrence instances instead; a report that is
 *   due every day at 02:30 is expected to run on that day too.) A wall-clock time that occurs
 *   twice (fall-back) fires once, at its first instance. Sub-daily rules step in wall-clock time
 *   too, so the repeated hour is not fired twice, and wall-clock occurrences that map to the same
 *   instant are one occurrence.
 * - Evaluation cost does not grow with the age of the series: without COUNT the rule is evaluated
 *   from a start moved forward by whole periods (fast-forward.ts); with COUNT (at most 10,000)
 *   from the real start. A rule that stops firing for 20,000 consecutive periods is treated as
 *   over (rule-expansion.ts).
 */
export { nextOccurrence, nextOccurrences, occurrencesUntil, type ScheduleSpec } from './occurrences';
export { parseLocalDateTime, type LocalFields, type ParsedLocalDateTime } from './local-date-time';
export { isValidTimezone } from './zone';
export { PERIOD_BUDGET, validateSchedule, type ScheduleProblem, type ValidationOptions } from './validate';
