import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { TestService } from '../../support/service';

const SECRET = 'test-secret-at-least-16-chars';
const now = () => Math.floor(Date.now() / 1000);
const claims = { tenantId: 'tenant-tokens', sub: 'u1' };
/** Signs exactly these claims: jsonwebtoken adds an iat unless told not to (and keeps a given one). */
const sign = (payload: Record<string, unknown>) => jwt.sign(payload, SECRET, { algorithm: 'HS256', noTimestamp: !('iat' in payload) });

/** What a token must carry to be accepted: exp, a bounded life, a sane iat/nbf, and the configured iss/aud. */
describe('bearer tokens', function () {
  this.timeout(60_000);
  let service: TestService;
  let strict: TestService;

  before(async () => {
    service = await TestService.start({ JWT_SECRET: SECRET, JWT_MAX_LIFETIME_SECONDS: '3600', JWT_CLOCK_SKEW_SECONDS: '60' }, { worker: false });
    strict = await TestService.start({ JWT_SECRET: SECRET, JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'sharing-tasks' }, { worker: false });
  });
  after(async () => {
    await service?.stop();
    await strict?.stop();
  });

  async function refused(api: TestService, token: string, detail: RegExp): Promise<void> {
    const response = await api.request(token, 'GET', '/api/v1/sharing-tasks');
    assert.equal(response.status, 401, JSON.stringify(response.body));
    assert.equal(response.body.errors[0].code, 'HTTP-401');
    assert.match(response.body.errors[0].detail, detail);
  }
  async function accepted(api: TestService, token: string): Promise<void> {
    const response = await api.request(token, 'GET', '/api/v1/sharing-tasks');
    assert.equal(response.status, 200, JSON.stringify(response.body));
  }

  it('accepts a token with iat and exp within the maximum lifetime, and the test helper\'s tokens', async () => {
    await accepted(service, sign({ ...claims, iat: now(), exp: now() + 3600 }));
    await accepted(service, sign({ ...claims, exp: now() + 600 }));
    await accepted(service, service.token({ tenant: 'tenant-tokens', userId: 'u1' }));
  });

  it('refuses a token without exp', async () => {
    await refused(service, sign({ ...claims, iat: now() }), /no exp claim/);
  });

  it('refuses a lifetime over JWT_MAX_LIFETIME_SECONDS, measured from iat or, without iat, from now', async () => {
    await refused(service, sign({ ...claims, iat: now() - 10, exp: now() + 3600 }), /lifetime of 3610 s \(exp - iat\) is over the maximum of 3600 s/);
    await refused(service, sign({ ...claims, exp: now() + 7200 }), /lifetime .* \(exp - now\) is over the maximum of 3600 s/);
  });

  it('refuses an iat in the future beyond the clock skew, and accepts one within it', async () => {
    await refused(service, sign({ ...claims, iat: now() + 300, exp: now() + 600 }), /iat .* is in the future \(allowed clock skew 60 s\)/);
    await accepted(service, sign({ ...claims, iat: now() + 30, exp: now() + 600 }));
  });

  it('refuses an nbf in the future beyond the skew and an expired exp beyond it; within the skew both pass', async () => {
    await refused(service, sign({ ...claims, iat: now(), nbf: now() + 300, exp: now() + 600 }), /not valid before .* \(nbf\)/);
    await refused(service, sign({ ...claims, iat: now() - 600, exp: now() - 120 }), /token expired at/);
    await accepted(service, sign({ ...claims, iat: now(), nbf: now() + 30, exp: now() + 600 }));
    await accepted(service, sign({ ...claims, iat: now() - 600, exp: now() - 30 }));
  });

  it('refuses an unsigned token, another algorithm and a payload that is not an object', async () => {
    await refused(service, jwt.sign('just text', SECRET, { algorithm: 'HS256' }), /payload is not a JSON object/);
    const unsigned = jwt.sign({ ...claims, exp: now() + 600 }, null, { algorithm: 'none' });
    await refused(service, unsigned, /invalid token/);
    await refused(service, jwt.sign({ ...claims, exp: now() + 600 }, SECRET, { algorithm: 'HS512' }), /invalid token: invalid algorithm/);
  });

  it('refuses control characters in the tenant claim (401, not a database error)', async () => {
    await refused(service, sign({ tenantId: 'tenant\u0000x', sub: 'u1', exp: now() + 600 }), /claim tenantId .*control character/);
  });

  it('checks issuer and audience when they are configured', async () => {
    const good = { ...claims, iat: now(), exp: now() + 600, iss: 'https://idp.example', aud: 'sharing-tasks' };
    await accepted(strict, sign(good));
    await refused(strict, sign({ ...good, iss: 'https://evil.example' }), /issuer \(iss\) is not "https:\/\/idp.example"/);
    await refused(strict, sign({ ...good, aud: 'another-api' }), /audience \(aud\) is not "sharing-tasks"/);
    const { iss: _iss, ...withoutIssuer } = good;
    await refused(strict, sign(withoutIssuer), /issuer/);
    await accepted(strict, strict.token({ tenant: 'tenant-tokens', userId: 'u1' }));
  });
});
