import assert from 'node:assert/strict';
import { nextOccurrences, type ScheduleSpec } from '../../../src/schedule';
import vectors from './rfc5545-vectors.json';

/** The RFC's zone abbreviations as fixed offsets: the expected instants need nothing from the code under test. */
const OFFSETS: Record<string, string> = { EDT: '-04:00', EST: '-05:00' };

/** Bash-style brace expansion: `{2..30..2}`, `{02..11}` (zero-padded like the first bound), `{a,b}`. */
export function expandBraces(pattern: string): string[] {
  const group = /\{([^{}]*)\}/.exec(pattern);
  if (!group) return [pattern];
  const range = /^(\d+)\.\.(\d+)(?:\.\.(\d+))?$/.exec(group[1]!);
  let items: string[];
  if (range) {
    const [, from, to, step] = range as unknown as [string, string, string, string | undefined];
    items = [];
    for (let value = Number(from); value <= Number(to); value += Number(step ?? 1)) items.push(String(value).padStart(from.length, '0'));
  } else {
    items = group[1]!.split(',');
  }
  const head = pattern.slice(0, group.index);
  const tail = pattern.slice(group.index + group[0].length);
  return items.flatMap((item) => expandBraces(head + item + tail));
}

function expectedInstants(expected: Record<string, string[]>): string[] {
  return Object.entries(expected)
    .flatMap(([zone, patterns]) => patterns.flatMap(expandBraces).map((local) => new Date(`${local}:00${OFFSETS[zone]}`).getTime()))
    .sort((a, b) => a - b)
    .map((instant) => new Date(instant).toISOString());
}

describe('schedule: RFC 5545 §3.8.5.3 examples (America/New_York)', () => {
  it('the brace notation of the vectors expands as written', () => {
    assert.deepEqual(expandBraces('1997-09-{02..30..10}T{09,10}:00'), ['1997-09-02T09:00', '1997-09-02T10:00', '1997-09-12T09:00', '1997-09-12T10:00', '1997-09-22T09:00', '1997-09-22T10:00']);
  });

  for (const vector of vectors.vectors) {
    const expected = expectedInstants(vector.expected as Record<string, string[]>);
    for (const rrule of vector.rrules) {
      const spec: ScheduleSpec = {
        recurrence: [rrule],
        timezone: vectors.timezone,
        startDateTime: vector.dtstart,
        ...('endDateTime' in vector ? { endDateTime: vector.endDateTime } : {}),
      };

      it(`${vector.title}: ${rrule}`, () => {
        const beforeStart = new Date(Date.parse(`${vector.dtstart}-04:00`) - 86_400_000);
        const asked = vector.complete ? expected.length + 3 : expected.length;
        const actual = nextOccurrences(spec, beforeStart, asked).map((date) => date.toISOString());
        assert.deepEqual(actual, expected);
      });

      it(`${vector.title}: ${rrule}, asked from the middle of the series`, () => {
        const middle = Math.floor(expected.length / 2);
        const after = new Date(expected[middle]!);
        const actual = nextOccurrences(spec, after, expected.length - middle - 1 + (vector.complete ? 3 : 0)).map((date) => date.toISOString());
        assert.deepEqual(actual, expected.slice(middle + 1));
      });
    }
  }
});
