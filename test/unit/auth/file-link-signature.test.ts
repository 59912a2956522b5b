import assert from 'node:assert/strict';
import { FileLinkSigner } from '../../../src/auth/file-link-signature';

describe('signed file links', () => {
  const signer = new FileLinkSigner({ secret: 'a-secret-of-sixteen+', ttlSeconds: 600 });
  const file = { tenant: 'acme', taskId: 't1', executionId: 'e1', fileAlias: 'report-1' };
  const made = new Date('2026-03-01T10:00:00Z');

  it('opens until its expiry (made + ttl), then is expired', () => {
    const { expires, signature } = signer.sign(file, made);
    assert.equal(expires, made.getTime() / 1000 + 600);
    assert.equal(signer.check(file, expires, signature, new Date(made.getTime() + 599_000)), 'valid');
    assert.equal(signer.check(file, expires, signature, new Date(made.getTime() + 601_000)), 'expired');
  });

  it('is worthless for any other file, run, task, tenant or expiry, and with another secret', () => {
    const { expires, signature } = signer.sign(file, made);
    const later = new Date(made.getTime() + 1000);
    for (const other of [{ fileAlias: 'report-2' }, { executionId: 'e2' }, { taskId: 't2' }, { tenant: 'other' }]) {
      assert.equal(signer.check({ ...file, ...other }, expires, signature, later), 'tampered', JSON.stringify(other));
    }
    assert.equal(signer.check(file, expires + 3600, signature, later), 'tampered');
    assert.equal(signer.check(file, expires, signature.slice(0, -1), later), 'tampered');
    assert.equal(new FileLinkSigner({ secret: 'another-secret-16chars', ttlSeconds: 600 }).check(file, expires, signature, later), 'tampered');
  });

  it('keeps the parts apart: moving a character between two parts changes the signature', () => {
    const { expires, signature } = signer.sign({ ...file, tenant: 'ab', taskId: 'c' }, made);
    assert.equal(signer.check({ ...file, tenant: 'a', taskId: 'bc' }, expires, signature, made), 'tampered');
  });
});
