import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { signingKey, verifyToken, type AuthSettings } from '../../../src/auth/claims';

const settingsWith = (jwtSecret: string): AuthSettings => ({ jwtSecret, maxLifetimeSeconds: 3600, clockSkewSeconds: 60 });
/** Signed as an identity provider would: the secret as a plain string. */
const tokenOf = (secret: string) => jwt.sign({ tenantId: 't1', sub: 'u1' }, secret, { algorithm: 'HS256', expiresIn: 600 });

describe('the HS256 signing key', () => {
  it('is made once per secret', () => {
    assert.equal(signingKey('first-secret-at-least-16'), signingKey('first-secret-at-least-16'));
    assert.notEqual(signingKey('first-secret-at-least-16'), signingKey('second-secret-at-least-16'));
  });

  it('verifies tokens signed with the secret as a string, and follows a change of secret', () => {
    const first = settingsWith('first-secret-at-least-16');
    const second = settingsWith('second-secret-at-least-16');
    assert.deepEqual(verifyToken(tokenOf(first.jwtSecret), first), { caller: { tenant: 't1', userId: 'u1', userName: undefined, email: undefined, timezone: undefined, roles: [] } });
    assert.match((verifyToken(tokenOf(first.jwtSecret), second) as { reason: string }).reason, /invalid signature/);
    assert.ok('caller' in verifyToken(tokenOf(second.jwtSecret), second));
    assert.match((verifyToken(tokenOf(second.jwtSecret), first) as { reason: string }).reason, /invalid signature/);
  });
});
