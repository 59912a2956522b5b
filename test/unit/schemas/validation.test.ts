import assert from 'node:assert/strict';
import { z } from 'zod';
import { SharingTaskCreateRequestSchema, type SharingTaskCreate } from '../../../src/sharing-tasks/schemas';
import { validateSharingTask, zodIssuesToProblems } from '../../../src/sharing-tasks/validation';
import { parsed, referenceCreateRequest } from './fixtures';

const now = new Date('2026-06-15T10:00:00Z');
const context = { now, maxRecipients: 3, minIntervalSeconds: 60, defaultTimezone: 'Europe/Paris' };

/** A parsed task: the reference request with a valid schedule, a future expiration and the given changes. */
function task(changes: Record<string, unknown> = {}): SharingTaskCreate {
  return parsed(SharingTaskCreateRequestSchema, {
    ...referenceCreateRequest(),
    expiration: '2027-01-01T00:00:00Z',
    scheduleOptions: { timezone: 'Canada/Pacific', recurrence: ['RRULE:FREQ=HOURLY;INTERVAL=2'], startDateTime: '2026-06-01T09:00:00', endDateTime: '' },
    ...changes,
  });
}

const rulesOf = (problems: { field: string; rule: string }[]) => problems.map((p) => `${p.field} ${p.rule}`);

describe('validateSharingTask', () => {
  it('finds nothing wrong with a valid task', () => {
    assert.deepEqual(validateSharingTask(task(), context), []);
  });

  it('applies the context rules to the reference example as given: its start is 20 years old and it expired in 2019', () => {
    const example = parsed(SharingTaskCreateRequestSchema, referenceCreateRequest());
    assert.deepEqual(rulesOf(validateSharingTask(example, context)).sort(), ['expiration EXPIRATION_IN_PAST', 'scheduleOptions.startDateTime START_TOO_OLD']);
  });

  it('limits the recipients of all kinds together to the tenant maximum', () => {
    const recipients = { emailAddresses: ['a@example.com', 'b@example.com'], userIds: ['u1'], groupIds: ['g1'] };
    assert.deepEqual(rulesOf(validateSharingTask(task({ recipients }), context)), ['recipients RECIPIENTS_LIMIT_EXCEEDED']);
    assert.deepEqual(validateSharingTask(task({ recipients }), { ...context, maxRecipients: 4 }), []);
  });

  it('wants an expiration after now', () => {
    assert.deepEqual(rulesOf(validateSharingTask(task({ expiration: now.toISOString() }), context)), ['expiration EXPIRATION_IN_PAST']);
  });

  it('checks the schedule with the schedule module, with its field paths and codes', () => {
    const tooOften = task({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=MINUTELY;INTERVAL=1'] } });
    assert.deepEqual(rulesOf(validateSharingTask(tooOften, { ...context, minIntervalSeconds: 300 })), ['scheduleOptions.recurrence[0] INTERVAL_TOO_SHORT']);
    const untilRule = task({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=DAILY;UNTIL=20300101T000000Z'] } });
    assert.deepEqual(validateSharingTask(untilRule, context).map((p) => p.field), ['scheduleOptions.recurrence[0]']);
  });

  it('reads a schedule without timezone in the default zone', () => {
    // 2026-06-15T10:00Z is 12:00 in Paris and 06:00 in New York: an end at 11:00 local has passed in Paris only.
    const schedule = { recurrence: ['FREQ=DAILY'], endDateTime: '2026-06-15T11:00:00' };
    assert.deepEqual(rulesOf(validateSharingTask(task({ scheduleOptions: schedule }), context)), ['scheduleOptions.endDateTime END_BEFORE_START']);
    assert.deepEqual(validateSharingTask(task({ scheduleOptions: schedule }), { ...context, defaultTimezone: 'America/New_York' }), []);
  });

  it('skips the schedule rules for a task without schedule', () => {
    assert.deepEqual(validateSharingTask(task({ scheduleOptions: undefined }), context), []);
  });
});

describe('zodIssuesToProblems', () => {
  const problems = (schema: z.ZodType, input: unknown) => zodIssuesToProblems(schema.safeParse(input).error!);

  it('names fields with dots and indexes', () => {
    const schema = z.object({ a: z.array(z.object({ b: z.object({ c: z.number() }) })) });
    assert.deepEqual(problems(schema, { a: [{ b: { c: 1 } }, { b: { c: 'x' } }] }).map((p) => p.field), ['a[1].b.c']);
    assert.deepEqual(problems(z.array(z.number()), [1, 'x']).map((p) => p.field), ['[1]']);
  });

  it('tells a missing value (required) from a wrong one (invalid_type, invalid_enum)', () => {
    const schema = z.object({ n: z.number(), e: z.enum(['x', 'y']), l: z.literal('k') });
    assert.deepEqual(rulesOf(problems(schema, {})), ['n required', 'e required', 'l required']);
    assert.deepEqual(rulesOf(problems(schema, { n: '1', e: 'z', l: 'j' })), ['n invalid_type', 'e invalid_enum', 'l invalid_enum']);
    assert.equal(problems(schema, {})[0]!.message, 'is required');
  });

  it('gives bounds, formats and unknown keys their codes, one problem per unknown key', () => {
    const schema = z.strictObject({ s: z.string().min(2).optional(), m: z.email().optional(), k: z.array(z.number()).max(1).optional() });
    assert.deepEqual(rulesOf(problems(schema, { s: 'a', m: 'x', k: [1, 2], u: 1, v: 2 })).sort(), [
      'k too_big',
      'm invalid_format',
      's too_small',
      'u unrecognized',
      'v unrecognized',
    ]);
  });

  it('uses the rule a schema attaches to a custom issue', () => {
    const schema = z.string().superRefine((_, ctx) => ctx.addIssue({ code: 'custom', message: 'no', params: { rule: 'MY_RULE' } }));
    assert.deepEqual(problems(schema, 'x'), [{ field: '', rule: 'MY_RULE', message: 'no' }]);
  });
});
