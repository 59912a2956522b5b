import { IANAZone } from 'luxon';

/**
 * Between instants and wall-clock ("floating") times in an IANA zone. Only luxon's
 * `IANAZone.offset(ts)` is used — Intl with an explicit timeZone, so nothing depends on the
 * process's TZ. luxon's `DateTime.fromObject(…, { zone })` is deliberately not used for local →
 * instant: for a time that occurs twice it starts from the zone's offset *at the current clock*
 * (`Settings.now()`), so in winter it picks the second instance of 01:30 on the fall-back day and
 * in summer the first — a result that would depend on when the code runs.
 */
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Zone names as the tz database spells them; newer Intl versions also take offsets like "+01:00", which are not IANA zones. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

export function isValidTimezone(zone: string): boolean {
  return typeof zone === 'string' && IANA_NAME.test(zone) && IANAZone.isValidZone(zone);
}

function offsetMs(zone: IANAZone, instant: number): number {
  return Math.round(zone.offset(instant) * MINUTE_MS);
}

export function zoneOf(name: string): IANAZone {
  if (!isValidTimezone(name)) throw new RangeError(`"${name}" is not an IANA timezone`);
  return IANAZone.create(name);
}

/** The wall-clock time in `zone` at `instant`, as floating milliseconds. */
export function wallClockAt(instant: number, zone: IANAZone): number {
  return instant + offsetMs(zone, instant);
}

/**
 * The instant at which `floating` is the wall-clock time in `zone`:
 * - a time that does not exist (spring-forward gap) is read with the offset before the gap, so it
 *   fires shifted forward by the gap (RFC 5545 §3.3.5): 02:30 on New York's spring-forward day is
 *   03:30 EDT. `shifted` tells the caller that happened.
 * - a time that occurs twice (fall-back) is its first instance (01:30 EDT, not 01:30 EST).
 * Candidate offsets are the ones in force a day either side, which covers every transition of the
 * tz database (none is longer than a day, and no two are closer than a few days).
 */
export function instantOf(floating: number, zone: IANAZone): { instant: number; shifted: boolean } {
  const before = offsetMs(zone, floating - DAY_MS);
  const after = offsetMs(zone, floating + DAY_MS);
  const candidates = (before === after ? [before] : [before, after])
    .map((offset) => floating - offset)
    .filter((instant) => wallClockAt(instant, zone) === floating)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return { instant: candidates[0]!, shifted: false };
  return { instant: floating - before, shifted: true };
}

/**
 * A floating time F such that every wall-clock time at or before F has its instant (by
 * `instantOf`) at or before `instant`: the lowest offset in force within two days of `instant`,
 * added to it. Lets callers skip the zone arithmetic for occurrences that cannot be after `instant`.
 */
export function wallClockFloor(instant: number, zone: IANAZone): number {
  let lowest = Infinity;
  for (let days = -2; days <= 2; days++) lowest = Math.min(lowest, offsetMs(zone, instant + days * DAY_MS));
  return instant + lowest;
}
