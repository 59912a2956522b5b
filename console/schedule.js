// Schedule presets (daily at, weekly on, monthly on) and the RRULE lines they write.

export const WEEKDAYS = [
  ['MO', 'Monday'],
  ['TU', 'Tuesday'],
  ['WE', 'Wednesday'],
  ['TH', 'Thursday'],
  ['FR', 'Friday'],
  ['SA', 'Saturday'],
  ['SU', 'Sunday'],
];

const timeParts = (time) => {
  const [hour, minute] = (time || '08:00').split(':').map(Number);
  return `BYHOUR=${hour};BYMINUTE=${minute}`;
};

/** The RRULE lines of a schedule form: a preset's one rule, or the expert's own lines. */
export function recurrenceOf(schedule) {
  switch (schedule.mode) {
    case 'daily':
      return [`RRULE:FREQ=DAILY;${timeParts(schedule.time)}`];
    case 'weekly':
      return [`RRULE:FREQ=WEEKLY;BYDAY=${(schedule.days.length ? schedule.days : ['MO']).join(',')};${timeParts(schedule.time)}`];
    case 'monthly':
      return [`RRULE:FREQ=MONTHLY;BYMONTHDAY=${schedule.monthDay || 1};${timeParts(schedule.time)}`];
    case 'custom':
      return schedule.rules
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    default:
      return [];
  }
}

const pad = (n) => String(n).padStart(2, '0');

/** A stored task's rules read back into the form: a preset when they are exactly one, else custom lines. */
export function scheduleFormOf(recurrence = []) {
  const base = { mode: 'none', time: '08:00', days: ['MO'], monthDay: 1, rules: recurrence.join('\n') };
  if (recurrence.length === 0) return base;
  if (recurrence.length === 1) {
    const parts = Object.fromEntries(
      recurrence[0]
        .replace(/^RRULE:/i, '')
        .split(';')
        .map((part) => part.split('=')),
    );
    const keys = Object.keys(parts).sort().join(',');
    const time = `${pad(parts.BYHOUR)}:${pad(parts.BYMINUTE)}`;
    const oneNumber = (value) => /^\d{1,2}$/.test(value ?? '');
    if (oneNumber(parts.BYHOUR) && oneNumber(parts.BYMINUTE)) {
      if (parts.FREQ === 'DAILY' && keys === 'BYHOUR,BYMINUTE,FREQ') return { ...base, mode: 'daily', time };
      if (parts.FREQ === 'WEEKLY' && keys === 'BYDAY,BYHOUR,BYMINUTE,FREQ' && /^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/.test(parts.BYDAY)) {
        return { ...base, mode: 'weekly', time, days: parts.BYDAY.split(',') };
      }
      if (parts.FREQ === 'MONTHLY' && keys === 'BYHOUR,BYMINUTE,BYMONTHDAY,FREQ' && oneNumber(parts.BYMONTHDAY)) {
        return { ...base, mode: 'monthly', time, monthDay: Number(parts.BYMONTHDAY) };
      }
    }
  }
  return { ...base, mode: 'custom' };
}
