import { Frequency } from 'rrule';
import { instantOf, floatingFromFields, isValidTimezone, parseLocalDateTime } from './local-time';
import { nextOccurrences, type ScheduleSpec } from './occurrences';
import { parseRule } from './rules';

export interface ScheduleProblem {
  /** e.g. `scheduleOptions.recurrence[2]` */
  field: string;
  /** a stable code, e.g. `RRULE_FORBIDDEN_PART` */
  rule: string;
  message: string;
}

const FIELD = 'scheduleOptions';
const SAMPLE_SIZE = 200;
const YEAR_MS = 365 * 86_400_000;
const FREQUENCY_SECONDS: Partial<Record<Frequency, number>> = {
  [Frequency.SECONDLY]: 1,
  [Frequency.MINUTELY]: 60,
  [Frequency.HOURLY]: 3600,
};

function readDateTime(value: string | undefined, name: string, problems: ScheduleProblem[]) {
  if (!value) return undefined;
  const parsed = parseLocalDateTime(value);
  if (parsed.ok) return floatingFromFields(parsed.local);
  problems.push(
    parsed.reason === 'offset'
      ? { field: `${FIELD}.${name}`, rule: 'DATETIME_HAS_OFFSET', message: `must be a local date-time without offset (like 2026-01-02T16:04:05), not ${value}` }
      : { field: `${FIELD}.${name}`, rule: 'DATETIME_INVALID', message: `must be a local date-time like 2026-01-02T16:04:05, not ${value}` },
  );
  return undefined;
}

/**
 * Every problem with a schedule, each naming the field and the rule it breaks (empty when valid).
 * The minimum interval is checked two ways: a rule whose own FREQ×INTERVAL is shorter fails at
 * once; otherwise the gaps between the first occurrences of the union of all rules are measured
 * (which also catches BYSECOND/BYMINUTE lists and overlapping rules).
 */
export function validateSchedule(
  spec: ScheduleSpec,
  options: { now: Date; minIntervalSeconds: number; maxRules?: number },
): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const maxRules = options.maxRules ?? 5;
  if (spec.recurrence.length < 1 || spec.recurrence.length > maxRules) {
    problems.push({ field: `${FIELD}.recurrence`, rule: 'RRULE_COUNT', message: `must hold 1 to ${maxRules} RRULEs, not ${spec.recurrence.length}` });
  }
  const parsedRules = spec.recurrence.map((text, index) => {
    const parsed = parseRule(text);
    if (!parsed.ok) problems.push({ field: `${FIELD}.recurrence[${index}]`, rule: parsed.rule, message: parsed.message });
    return parsed;
  });
  const zoneValid = isValidTimezone(spec.timezone);
  if (!zoneValid) problems.push({ field: `${FIELD}.timezone`, rule: 'TIMEZONE_INVALID', message: `${spec.timezone} is not an IANA timezone` });
  const start = readDateTime(spec.startDateTime, 'startDateTime', problems);
  const end = readDateTime(spec.endDateTime, 'endDateTime', problems);
  if (start && end && end <= start) {
    problems.push({ field: `${FIELD}.endDateTime`, rule: 'END_BEFORE_START', message: 'must be after startDateTime' });
  }
  if (start && zoneValid && instantOf(start, spec.timezone).getTime() < options.now.getTime() - YEAR_MS) {
    problems.push({ field: `${FIELD}.startDateTime`, rule: 'START_TOO_OLD', message: 'must not be more than one year in the past' });
  }
  if (problems.length > 0) return problems;

  parsedRules.forEach((parsed, index) => {
    if (!parsed.ok) return;
    const seconds = FREQUENCY_SECONDS[parsed.options.freq!];
    if (seconds !== undefined && seconds * (parsed.options.interval ?? 1) < options.minIntervalSeconds) {
      problems.push({
        field: `${FIELD}.recurrence[${index}]`,
        rule: 'INTERVAL_TOO_SHORT',
        message: `fires more often than once every ${options.minIntervalSeconds} s`,
      });
    }
  });
  if (problems.length > 0) return problems;

  const from = start ? new Date(Math.max(instantOf(start, spec.timezone).getTime(), options.now.getTime()) - 1000) : options.now;
  const sample = nextOccurrences(spec, from, SAMPLE_SIZE, options.now);
  for (let i = 1; i < sample.length; i++) {
    if (sample[i]!.getTime() - sample[i - 1]!.getTime() < options.minIntervalSeconds * 1000) {
      problems.push({
        field: `${FIELD}.recurrence`,
        rule: 'INTERVAL_TOO_SHORT',
        message: `occurrences ${sample[i - 1]!.toISOString()} and ${sample[i]!.toISOString()} are less than ${options.minIntervalSeconds} s apart`,
      });
      break;
    }
  }
  return problems;
}
