import assert from 'node:assert/strict';
import { PATCHABLE_PATHS, SharingTaskPatchSchema } from '../../../src/sharing-tasks/schemas';
import { assertRejected, parsed } from './fixtures';

const schema = SharingTaskPatchSchema;

describe('SharingTaskPatchSchema', () => {
  it('accepts the reference PATCH example, reading a single tag as a list of one', () => {
    const example = [
      { op: 'replace', path: '/name', value: 'new name' },
      { op: 'replace', path: '/tags', value: ['tag1', 'tag2'] },
      { op: 'replace', path: '/tags', value: 'new-tag' },
      { op: 'replace', path: '/tags', value: 'deleted-tag' },
      { op: 'replace', path: '/ownerId', value: 'new-owner' },
      { op: 'replace', path: '/enabled', value: true },
      { op: 'replace', path: '/description', value: 'new-description' },
    ];
    const patch = parsed(schema, example);
    assert.deepEqual(patch[2], { op: 'replace', path: '/tags', value: ['new-tag'] });
    assert.equal(patch.length, 7);
  });

  it('offers the reference paths plus /bookmarkId', () => {
    assert.deepEqual([...PATCHABLE_PATHS].sort(), [
      '/bookmarkId', '/dataConnectionID', '/description', '/enabled', '/name', '/ownerId', '/recipient',
      '/recipients', '/scheduleOptions', '/sharePointFolder', '/tags', '/templates', '/transportChannels',
    ]);
  });

  it('removes optional fields, dropping any value sent with remove', () => {
    const patch = parsed(schema, ['/description', '/tags', '/sharePointFolder', '/dataConnectionID', '/bookmarkId'].map((path) => ({ op: 'remove', path, value: 'x' })));
    assert.ok(patch.every((operation) => operation.op === 'remove' && !('value' in operation)));
  });

  it('checks a value like the same field on create, naming the task field, and hands back the parsed value', () => {
    const [operation] = parsed(schema, [{ op: 'replace', path: '/recipient', value: { userIds: [{ value: 'u1', groups: [] }], chronos: 1 } }]);
    assert.deepEqual(operation!.value, { userIds: ['u1'] });
    assertRejected(schema, [{ op: 'replace', path: '/recipients', value: { emailAddresses: ['nope'] } }], 'recipients.emailAddresses[0]', 'invalid_format');
    assertRejected(schema, [{ op: 'replace', path: '/scheduleOptions', value: { recurrence: ['FREQ=DAILY'], startDateTime: '2030-01-01T00:00:00Z' } }], 'scheduleOptions.startDateTime', 'invalid_format');
    assertRejected(schema, [{ op: 'replace', path: '/transportChannels', value: ['fax'] }], 'transportChannels[0]', 'invalid_enum');
    assertRejected(schema, [{ op: 'replace', path: '/templates', value: [{ type: 'chart' }] }], 'templates[0].chartData', 'required');
  });

  const rejections: [string, unknown, string, string][] = [
    ['an unknown path', [{ op: 'replace', path: '/statusCode', value: 'OK' }], '[0].path', 'invalid_enum'],
    ['a remove of a required field', [{ op: 'remove', path: '/name' }], '[0].path', 'not_removable'],
    ['a remove of the schedule', [{ op: 'replace', path: '/name', value: 'n' }, { op: 'remove', path: '/scheduleOptions' }], '[1].path', 'not_removable'],
    ['a replace without value', [{ op: 'replace', path: '/enabled' }], '[0].value', 'required'],
    ['an unknown op', [{ op: 'add', path: '/name', value: 'n' }], '[0].op', 'invalid_enum'],
    ['an op without path', [{ op: 'replace', value: 'n' }], '[0].path', 'required'],
    ['a wrongly typed value', [{ op: 'replace', path: '/enabled', value: 'yes' }], 'enabled', 'invalid_type'],
    ['an empty name', [{ op: 'replace', path: '/name', value: '' }], 'name', 'too_small'],
    ['an empty owner', [{ op: 'replace', path: '/ownerId', value: '' }], 'ownerId', 'too_small'],
    ['a bad recipient through the /recipient alias', [{ op: 'replace', path: '/recipient', value: { userIds: [''] } }], 'recipients.userIds[0]', 'too_small'],
    ['an empty patch', [], '', 'too_small'],
    ['51 operations', Array.from({ length: 51 }, () => ({ op: 'replace', path: '/name', value: 'n' })), '', 'too_big'],
    ['an object instead of a list', { op: 'replace', path: '/name', value: 'n' }, '', 'invalid_type'],
  ];
  for (const [what, input, field, rule] of rejections) {
    it(`rejects ${what}: "${field}" / ${rule}`, () => {
      assertRejected(schema, input, field, rule);
    });
  }
});
