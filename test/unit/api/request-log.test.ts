import assert from 'node:assert/strict';
import { requestForLog } from '../../../src/api/app';

describe('request log lines', () => {
  it('leave out the signature of a signed file link, in the URL and the query, and nothing else', () => {
    const logged = requestForLog({
      method: 'GET',
      url: '/files/acme/t1/e1/report-1?expires=1800000000&signature=abcDEF-123_x',
      query: { expires: '1800000000', signature: 'abcDEF-123_x' },
    });
    assert.equal(logged.url, '/files/acme/t1/e1/report-1?expires=1800000000&signature=[redacted]');
    assert.deepEqual(logged.query, { expires: '1800000000', signature: '[redacted]' });
    assert.equal(logged.method, 'GET');
    const plain = { method: 'GET', url: '/api/v1/sharing-tasks?limit=5', query: { limit: '5' } };
    assert.deepEqual(requestForLog(plain), plain);
  });
});
