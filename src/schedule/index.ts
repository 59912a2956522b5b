/**
 * Pure RRULE and timezone arithmetic, shared by the API (validation, previews) and the workflows
 * (which import it directly: no I/O, no clock — every input is an argument).
 *
 * Semantics:
 * - Rules are expanded in the task's local wall-clock time from `startDateTime` (a local date-time
 *   without offset). `startDateTime` is an occurrence only if it matches the rules; `endDateTime`
 *   is inclusive (like UNTIL), in local time; COUNT counts from the start. Several rules: the union.
 * - Expansion happens in "floating" time (rrule without tzid, local fields carried as UTC fields);
 *   each result becomes an instant in the task's zone here, never through rrule's own tzid
 *   handling, so nothing depends on the process's TZ.
 * - A local time inside a spring-forward gap fires shifted forward by the gap (02:30 on New York's
 *   spring-forward day is 03:30 EDT); a local time that occurs twice fires once, at its first
 *   instance. Sub-daily rules step in wall-clock time too, so the repeated hour is not fired twice,
 *   and two wall-clock times that map to one instant are one occurrence.
 * - A series that started long ago is evaluated from a start moved forward by whole periods of the
 *   rule (not with COUNT), so a start decades back costs no more than one from yesterday.
 */
export { nextOccurrence, nextOccurrences, type ScheduleSpec } from './occurrences';
export { isValidTimezone, parseLocalDateTime } from './local-time';
export { validateSchedule, type ScheduleProblem } from './validate';
