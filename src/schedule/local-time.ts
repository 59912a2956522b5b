import { DateTime, IANAZone } from 'luxon';

/**
 * Wall-clock ("floating") times are carried as Dates whose UTC fields are the local fields, the
 * form rrule computes in. These functions move between that form and real instants in an IANA
 * zone, independent of the process's own TZ.
 */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const HAS_OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

export function parseLocalDateTime(value: string): { ok: true; local: LocalFields } | { ok: false; reason: 'offset' | 'format' } {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) return { ok: false, reason: HAS_OFFSET.test(value) && /T\d{2}:\d{2}/.test(value) ? 'offset' : 'format' };
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const check = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: 'UTC' });
  if (!check.isValid) return { ok: false, reason: 'format' };
  return { ok: true, local: { year, month, day, hour, minute, second } };
}

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function floatingFromFields(local: LocalFields): Date {
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** The wall-clock time in `zone` at `instant`, as a floating Date. */
export function floatingAt(instant: Date, zone: string): Date {
  const offsetMinutes = IANAZone.create(zone).offset(instant.getTime());
  return new Date(instant.getTime() + offsetMinutes * 60_000);
}

/**
 * The instant of a wall-clock time in `zone`, per RFC 5545 §3.3.5: a time in a spring-forward gap
 * is read with the offset before the gap (so it fires shifted forward by the gap); a time that
 * occurs twice (fall-back) is its first instance.
 */
export function instantOf(floating: Date, zone: string): Date {
  const iana = IANAZone.create(zone);
  const wall = floating.getTime();
  const dayMs = 86_400_000;
  const before = iana.offset(wall - dayMs);
  const after = iana.offset(wall + dayMs);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => iana.offset(instant) * 60_000 === wall - instant)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - before * 60_000);
}
