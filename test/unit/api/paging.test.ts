import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from '../../../src/api/paging';
import { ValidationError } from '../../../src/errors';

describe('page cursors', () => {
  it('carry the offset opaquely', () => {
    const token = encodeCursor(40);
    assert.doesNotMatch(token, /40/);
    assert.equal(decodeCursor(token, 'query.page'), 40);
  });

  it('reject tokens this API did not issue, naming the field', () => {
    for (const bad of ['garbage', Buffer.from('{"o":-1}').toString('base64url'), Buffer.from('{"o":"x"}').toString('base64url')]) {
      assert.throws(
        () => decodeCursor(bad, 'query.page'),
        (error: unknown) => error instanceof ValidationError && error.problems[0]!.field === 'query.page',
      );
    }
  });
});
