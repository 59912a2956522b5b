import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { TestService } from '../support/service';

const root = join(__dirname, '..', '..');

function runScript(script: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** The two processes and the token tool as a user starts them. */
describe('process entry points', function () {
  this.timeout(60_000);

  for (const script of ['src/api/main.ts', 'src/worker/main.ts']) {
    it(`${script} stops at start with one line naming a bad configuration value`, () => {
      const result = runScript(script, [], { PORT: 'eighty', TEMPORAL_ADDRESS: 'nowhere' });
      assert.equal(result.status, 1);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, /^invalid configuration: (PORT|TEMPORAL_ADDRESS)=/);
    });
  }

  it('`npm run token` prints a token the API accepts, with the tenant, user and admin role asked for', async () => {
    const secret = 'token-test-secret-0123456789';
    const result = runScript('scripts/token.ts', ['--tenant', 'acme', '--user', 'alice', '--admin'], { JWT_SECRET: secret });
    assert.equal(result.status, 0, result.stderr);
    const token = result.stdout.trim().split('\n').pop()!;
    const service = await TestService.start({ JWT_SECRET: secret }, { worker: false });
    try {
      const settings = await service.request(token, 'PUT', '/api/v1/sharing-tasks/settings', { maxRecipients: 50 });
      assert.equal(settings.status, 204, 'an admin token may change settings');
      assert.equal((await service.request(token, 'GET', '/api/v1/sharing-tasks/settings')).body.tenantId, 'acme');
    } finally {
      await service.stop();
    }
  });

  it('`npm run token --ttl` sets exp that far after iat, and refuses a ttl the API would refuse', () => {
    const secret = 'token-test-secret-0123456789';
    const result = runScript('scripts/token.ts', ['--tenant', 'acme', '--user', 'alice', '--ttl', '90m'], { JWT_SECRET: secret });
    assert.equal(result.status, 0, result.stderr);
    const payload = jwt.verify(result.stdout.trim().split('\n').pop()!, secret) as jwt.JwtPayload;
    assert.equal(payload.exp! - payload.iat!, 5400);
    const tooLong = runScript('scripts/token.ts', ['--tenant', 'acme', '--user', 'alice', '--ttl', '2d'], { JWT_SECRET: secret });
    assert.equal(tooLong.status, 2);
    assert.match(tooLong.stderr, /JWT_MAX_LIFETIME_SECONDS=86400/);
  });
});
