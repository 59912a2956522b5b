// Instants shown in a zone, and what a time zone's clock change does to an occurrence.

export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const formatters = new Map();
function formatter(zone, withZoneName = true) {
  const key = `${zone}|${withZoneName}`;
  if (!formatters.has(key)) {
    formatters.set(
      key,
      new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        weekday: 'short',
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        ...(withZoneName ? { timeZoneName: 'short' } : {}),
      }),
    );
  }
  return formatters.get(key);
}

/** "Sun, 29 Mar 2026, 03:30 CEST" in `zone`; '—' for nothing. */
export function formatIn(instant, zone) {
  if (!instant) return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return String(instant);
  try {
    return formatter(zone).format(date);
  } catch {
    return formatter('UTC').format(date);
  }
}

export function formatDuration(fromIso, toIso) {
  if (!fromIso || !toIso) return '—';
  const ms = new Date(toIso) - new Date(fromIso);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The zone's UTC offset at an instant, in minutes. */
export function offsetMinutes(zone, ms) {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(ms))
    .find((part) => part.type === 'timeZoneName').value;
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
}

const HOUR = 3_600_000;

/** The instant of the zone's offset change between `from` and `to` (minute precision). */
function transitionBetween(zone, from, to) {
  const before = offsetMinutes(zone, from);
  while (to - from > 60_000) {
    const middle = from + Math.floor((to - from) / 2);
    if (offsetMinutes(zone, middle) === before) from = middle;
    else to = middle;
  }
  return to;
}

/**
 * What a DST change does to this occurrence, or undefined: `gap` when its wall-clock time did not
 * exist that day and it fires shifted by the gap (02:30 on the last Sunday of March in Berlin
 * fires at 03:30), `repeated` when its wall-clock time happens twice and this is the first.
 */
export function dstEffect(instantIso, zone) {
  const at = new Date(instantIso).getTime();
  const before = offsetMinutes(zone, at - 3 * HOUR);
  const after = offsetMinutes(zone, at + 3 * HOUR);
  if (before === after) return undefined;
  const own = offsetMinutes(zone, at);
  if (after > before) {
    const change = transitionBetween(zone, at - 3 * HOUR, at + 3 * HOUR);
    const gapMs = (after - before) * 60_000;
    if (at >= change && at - change < gapMs) return { kind: 'gap', minutes: after - before };
    return undefined;
  }
  // Clocks go back: the wall time of `at` also happens (after - before) minutes later, at the other offset.
  if (own === before) {
    const twin = at + (before - after) * 60_000;
    if (offsetMinutes(zone, twin) === after) return { kind: 'repeated', minutes: before - after };
  }
  return undefined;
}

/** A `datetime-local` value (YYYY-MM-DDTHH:MM) as the API's local date-time (…:SS). */
export const localDateTime = (value) => (value ? (value.length === 16 ? `${value}:00` : value) : '');
