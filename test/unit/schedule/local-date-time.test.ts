import assert from 'node:assert/strict';
import { isValidTimezone, parseLocalDateTime } from '../../../src/schedule';

describe('schedule: local date-times and zones', () => {
  it('parseLocalDateTime reads YYYY-MM-DDTHH:mm[:ss]', () => {
    assert.deepEqual(parseLocalDateTime('2026-01-02T16:04:05'), { ok: true, local: { year: 2026, month: 1, day: 2, hour: 16, minute: 4, second: 5 } });
    assert.deepEqual(parseLocalDateTime('2028-02-29T00:00'), { ok: true, local: { year: 2028, month: 2, day: 29, hour: 0, minute: 0, second: 0 } });
  });

  it('parseLocalDateTime tells an offset from an unreadable value', () => {
    for (const value of ['2026-01-02T16:04:05Z', '2026-01-02T16:04:05+01', '2026-01-02T16:04:05+01:00', '2026-01-02T16:04:05.250Z']) {
      const parsed = parseLocalDateTime(value);
      assert.equal(parsed.ok, false, value);
      assert.equal(!parsed.ok && parsed.code, 'DATETIME_HAS_OFFSET', value);
    }
    for (const value of ['2027-02-29T10:00:00', '2026-13-01T10:00:00', '2026-01-02T16:60:00', '2026-01-02', '', 'now']) {
      const parsed = parseLocalDateTime(value);
      assert.equal(!parsed.ok && parsed.code, 'DATETIME_INVALID', value);
    }
  });

  it('isValidTimezone takes IANA names only', () => {
    for (const zone of ['Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'UTC', 'Canada/Pacific']) assert.equal(isValidTimezone(zone), true, zone);
    for (const zone of ['Europe/Atlantis', '+01:00', 'UTC+1', 'Z', 'local', '']) assert.equal(isValidTimezone(zone), false, zone);
  });
});
