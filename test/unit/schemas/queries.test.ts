import assert from 'node:assert/strict';
import {
  ExecutionGetQuerySchema,
  ExecutionListQuerySchema,
  OccurrencesQuerySchema,
  SHARING_TASK_SORT_KEYS,
  SharingTaskListQuerySchema,
  SharingTaskSortSchema,
} from '../../../src/sharing-tasks/schemas';
import { assertRejected, parsed } from './fixtures';

describe('SharingTaskListQuerySchema', () => {
  const schema = SharingTaskListQuerySchema;

  it('defaults to 20 items from offset 0 and reads numbers from their strings', () => {
    assert.deepEqual(parsed(schema, {}), { limit: 20, offset: 0 });
    assert.deepEqual(parsed(schema, { limit: '100', offset: '40' }), { limit: 100, offset: 40 });
  });

  for (const [limit, rule] of [['0', 'too_small'], ['101', 'too_big'], ['2.5', 'invalid_type'], ['', 'invalid_type'], ['ten', 'invalid_type']] as const) {
    it(`rejects limit=${JSON.stringify(limit)}: limit / ${rule}`, () => {
      assertRejected(schema, { limit }, 'limit', rule);
    });
  }

  it('rejects a negative offset', () => {
    assertRejected(schema, { offset: '-1' }, 'offset', 'too_small');
  });

  it('reads list parameters given once, repeated or comma-separated', () => {
    assert.deepEqual(parsed(schema, { sort: '-name' }).sort, ['-name']);
    assert.deepEqual(parsed(schema, { sort: ['name', '+type'] }).sort, ['name', '+type']);
    assert.deepEqual(parsed(schema, { sort: 'name,-datecreated', role: 'owner,recipient', type: ['chart-sharing', 'sheet-sharing'] }), {
      sort: ['name', '-datecreated'],
      role: ['owner', 'recipient'],
      type: ['chart-sharing', 'sheet-sharing'],
      limit: 20,
      offset: 0,
    });
    assert.deepEqual(parsed(schema, { templateId: 'a,b' }).templateId, ['a', 'b']);
  });

  it('offers each sort key bare, with + and with -', () => {
    assert.equal(SharingTaskSortSchema.options.length, SHARING_TASK_SORT_KEYS.length * 3);
    for (const sort of ['appid', '+appid', '-appid', 'sent', '-scheduled', '+ownername']) parsed(schema, { sort });
    assertRejected(schema, { sort: 'name,size' }, 'sort[1]', 'invalid_enum');
    assertRejected(schema, { sort: '*name' }, 'sort[0]', 'invalid_enum');
  });

  it('reads excludeDeleting from "true" and "false" only', () => {
    assert.equal(parsed(schema, { excludeDeleting: 'true' }).excludeDeleting, true);
    assert.equal(parsed(schema, { excludeDeleting: 'false' }).excludeDeleting, false);
    assertRejected(schema, { excludeDeleting: '1' }, 'excludeDeleting', 'invalid_enum');
  });

  it('rejects an unknown role or type', () => {
    assertRejected(schema, { role: 'admin' }, 'role[0]', 'invalid_enum');
    assertRejected(schema, { type: 'chart-sharing,report' }, 'type[1]', 'invalid_enum');
  });

  it('takes one page cursor at most, naming the extra one', () => {
    assert.equal(parsed(schema, { next: 'abc' }).next, 'abc');
    assertRejected(schema, { next: 'a', prev: 'b' }, 'prev', 'mutually_exclusive');
    assertRejected(schema, { page: 'a', next: 'b' }, 'next', 'mutually_exclusive');
  });
});

describe('execution queries', () => {
  it('list: limit 1..200 (default 20), sort by start time, status successful or failed', () => {
    assert.deepEqual(parsed(ExecutionListQuerySchema, { limit: '200', sort: '-starttime', status: 'failed' }), { limit: 200, offset: 0, sort: '-starttime', status: 'failed' });
    assert.equal(parsed(ExecutionListQuerySchema, {}).limit, 20);
    assertRejected(ExecutionListQuerySchema, { limit: '201' }, 'limit', 'too_big');
    assertRejected(ExecutionListQuerySchema, { limit: '0' }, 'limit', 'too_small');
    assertRejected(ExecutionListQuerySchema, { sort: 'endtime' }, 'sort', 'invalid_enum');
    assertRejected(ExecutionListQuerySchema, { status: 'cancelled' }, 'status', 'invalid_enum');
    assertRejected(ExecutionListQuerySchema, { next: 'a', prev: 'b' }, 'prev', 'mutually_exclusive');
  });

  it('get: the latest run of a status (successful, failed or cancelled)', () => {
    assert.equal(parsed(ExecutionGetQuerySchema, { status: 'cancelled' }).status, 'cancelled');
    assertRejected(ExecutionGetQuerySchema, { status: 'in-progress' }, 'status', 'invalid_enum');
  });

  it('occurrences: count 1..100, default 10', () => {
    assert.equal(parsed(OccurrencesQuerySchema, {}).count, 10);
    assert.equal(parsed(OccurrencesQuerySchema, { count: '100' }).count, 100);
    assertRejected(OccurrencesQuerySchema, { count: '101' }, 'count', 'too_big');
  });
});
