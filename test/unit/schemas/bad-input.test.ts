import assert from 'node:assert/strict';
import type { z } from 'zod';
import {
  ExecuteRequestSchema,
  FREE_FORM_LIMITS,
  jsonByteLength,
  MAX_TASK_DOCUMENT_BYTES,
  PreviewScheduleRequestSchema,
  SharingTaskCreateRequestSchema,
  SharingTaskListQuerySchema,
  SharingTaskPatchSchema,
  TaskGetQuerySchema,
  TaskParamsSchema,
} from '../../../src/sharing-tasks/schemas';
import { zodIssuesToProblems, type Problem } from '../../../src/sharing-tasks/validation';
import { chartTaskRequest } from '../../support/fixtures';
import { parsed } from './fixtures';

/** The problems of a rejected input (without printing it: a deep input cannot be serialized). */
function problems(schema: z.ZodType, input: unknown): Problem[] {
  const result = schema.safeParse(input);
  assert.equal(result.success, false, 'expected the input to be rejected');
  return zodIssuesToProblems(result.error!);
}

function assertProblem(schema: z.ZodType, input: unknown, field: string, rule: string): void {
  const found = problems(schema, input);
  assert.ok(found.some((problem) => problem.field === field && problem.rule === rule), `expected ${field} / ${rule}, got ${JSON.stringify(found)}`);
}

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const create = SharingTaskCreateRequestSchema;
const withJsOpts = (jsOpts: unknown) => {
  const request = chartTaskRequest() as any;
  request.templates[0].chartData.jsOpts = jsOpts;
  return request;
};

describe('bad input in the schemas', () => {
  describe('free-form objects', () => {
    it('accepts a free-form value up to the depth limit and refuses one level more, naming where (too_deep)', () => {
      parsed(create, { ...chartTaskRequest(), state: nested(FREE_FORM_LIMITS.maxDepth) });
      const path = `state${'.a'.repeat(FREE_FORM_LIMITS.maxDepth)}`;
      assertProblem(create, { ...chartTaskRequest(), state: nested(FREE_FORM_LIMITS.maxDepth + 1) }, path, 'too_deep');
    });

    it('refuses a 5,000-deep value in state, jsOpts, objectDef and patches without overflowing the stack', () => {
      const deep = nested(5_000);
      assertProblem(create, { ...chartTaskRequest(), state: { x: deep } }, `state.x${'.a'.repeat(FREE_FORM_LIMITS.maxDepth - 1)}`, 'too_deep');
      assert.ok(problems(create, withJsOpts({ deep })).some((p) => p.field.startsWith('templates[0].chartData.jsOpts.deep') && p.rule === 'too_deep'));
      const request = chartTaskRequest() as any;
      request.templates[0].chartData.objectDef.extra = deep;
      request.templates[0].chartData.patches = [deep];
      const found = problems(create, request);
      assert.ok(found.some((p) => p.field.startsWith('templates[0].chartData.objectDef.extra') && p.rule === 'too_deep'), JSON.stringify(found));
      assert.ok(found.some((p) => p.field.startsWith('templates[0].chartData.patches[0]') && p.rule === 'too_deep'), JSON.stringify(found));
    });

    it('refuses keys that start with "$", hold "." or NUL, at any depth (invalid_key)', () => {
      assertProblem(create, { ...chartTaskRequest(), state: { $where: 'sleep(1000)' } }, 'state.$where', 'invalid_key');
      assertProblem(create, withJsOpts({ view: { 'a.b': 1 } }), 'templates[0].chartData.jsOpts.view.a.b', 'invalid_key');
      assertProblem(create, withJsOpts({ view: { 'a\u0000': 1 } }), 'templates[0].chartData.jsOpts.view.a\u0000', 'invalid_key');
      assertProblem(create, { ...chartTaskRequest(), recipients: { emailAddresses: ['a@example.com'], DLUsers: [{ $gt: '' }] } }, 'recipients.DLUsers[0].$gt', 'invalid_key');
    });

    it('refuses more keys per object than the limit (too_big) and control characters in free-form strings, keeping tab, CR and LF', () => {
      const wide = Object.fromEntries(Array.from({ length: FREE_FORM_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, i]));
      assertProblem(create, withJsOpts(wide), 'templates[0].chartData.jsOpts', 'too_big');
      assertProblem(create, { ...chartTaskRequest(), state: { note: 'a\u0000b' } }, 'state.note', 'control_character');
      parsed(create, { ...chartTaskRequest(), state: { note: 'line 1\r\n\tline 2' } });
    });
  });

  describe('control characters in strings', () => {
    it('refuses NUL and other C0 characters in ids, names and rules (control_character)', () => {
      assertProblem(create, { ...chartTaskRequest(), name: 'Weekly\u0000sales' }, 'name', 'control_character');
      assertProblem(create, { ...chartTaskRequest(), emailContent: { subject: 'Sales\r\nBcc: x@example.com' } }, 'emailContent.subject', 'control_character');
      assertProblem(create, { ...chartTaskRequest(), recipients: { userIds: ['u\u0001'] } }, 'recipients.userIds[0]', 'control_character');
      assertProblem(create, { ...chartTaskRequest(), scheduleOptions: { recurrence: ['RRULE:FREQ=DAILY\u0000'] } }, 'scheduleOptions.recurrence[0]', 'control_character');
      const request = chartTaskRequest() as any;
      request.templates[0].chartData.appId = 'app\u0000';
      assertProblem(create, request, 'templates[0].chartData.appId', 'control_character');
      assertProblem(ExecuteRequestSchema, { sharingTaskID: 'a\u0000' }, 'sharingTaskID', 'control_character');
      assertProblem(TaskParamsSchema, { taskId: 'a\u0000b' }, 'taskId', 'control_character');
      assertProblem(SharingTaskListQuerySchema, { appid: 'app\u0000' }, 'appid', 'control_character');
      assertProblem(SharingTaskPatchSchema, [{ op: 'replace', path: '/ownerId', value: 'x\u0000' }], 'ownerId', 'control_character');
    });

    it('keeps tab, CR and LF in multi-line text (e-mail body, message, description), not other controls', () => {
      parsed(create, { ...chartTaskRequest(), emailContent: { body: 'Hello,\r\n\tthe numbers.' }, message: 'a\nb', description: 'c\td' });
      assertProblem(create, { ...chartTaskRequest(), emailContent: { body: 'bell\u0007' } }, 'emailContent.body', 'control_character');
    });
  });

  describe('sizes', () => {
    it('refuses a task over its size budget, naming its largest field (DOCUMENT_TOO_LARGE)', () => {
      const fits = { ...chartTaskRequest(), state: { fields: ['x'.repeat(MAX_TASK_DOCUMENT_BYTES - 2_000)] } };
      parsed(create, fits);
      const over = { ...chartTaskRequest(), state: { fields: ['x'.repeat(MAX_TASK_DOCUMENT_BYTES)] } };
      assertProblem(create, over, 'state', 'DOCUMENT_TOO_LARGE');
    });

    it('measures JSON bytes exactly, without recursion', () => {
      const value = { a: [1, 'é', null, { b: true }], c: 'x"y', d: undefined };
      assert.equal(jsonByteLength(value), Buffer.byteLength(JSON.stringify(value)));
      assert.ok(jsonByteLength(nested(100_000)) > 100_000);
    });

    it('bounds trigger.recurrence and the recipient lists (too_big)', () => {
      assertProblem(create, { ...chartTaskRequest(), trigger: { recurrence: Array(6).fill('FREQ=DAILY') } }, 'trigger.recurrence', 'too_big');
      const many = Array.from({ length: 1_001 }, (_, i) => `r${i}@example.com`);
      assertProblem(create, { ...chartTaskRequest(), recipients: { emailAddresses: many } }, 'recipients.emailAddresses', 'too_big');
      assertProblem(PreviewScheduleRequestSchema, { scheduleOptions: { recurrence: Array(6).fill('FREQ=DAILY') } }, 'scheduleOptions.recurrence', 'too_big');
    });
  });

  describe('query values', () => {
    it('refuses blank enum and boolean query values, named by the parameter', () => {
      assertProblem(SharingTaskListQuerySchema, { role: '' }, 'role', 'blank');
      assertProblem(SharingTaskListQuerySchema, { type: '' }, 'type', 'blank');
      assertProblem(SharingTaskListQuerySchema, { type: 'chart-sharing,' }, 'type', 'blank');
      assertProblem(SharingTaskListQuerySchema, { templateId: ['t1', ''] }, 'templateId', 'blank');
      assertProblem(SharingTaskListQuerySchema, { excludeDeleting: '' }, 'excludeDeleting', 'invalid_enum');
      assertProblem(TaskGetQuerySchema, { isViewChart: '' }, 'isViewChart', 'invalid_enum');
      assert.deepEqual(parsed(SharingTaskListQuerySchema, { role: 'owner,recipient' }).role, ['owner', 'recipient']);
      assert.equal(parsed(TaskGetQuerySchema, { isViewChart: 'true' }).isViewChart, true);
    });
  });
});
