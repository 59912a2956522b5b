import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, describeConfig, loadConfig } from '../../../src/config';

describe('configuration', () => {
  it('defaults to the local stack', () => {
    const config = loadConfig({});
    assert.equal(config.mongo.uri, 'mongodb://127.0.0.1:27017');
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.smtp.port, 1025);
    assert.equal(config.rules.minScheduleIntervalSeconds, 60);
  });

  it('reads and coerces variables', () => {
    const config = loadConfig({ PORT: '9090', SMTP_SECURE: 'true', RATE_LIMIT_WRITES_PER_MINUTE: '5' });
    assert.equal(config.http.port, 9090);
    assert.equal(config.smtp.secure, true);
    assert.equal(config.rateLimits.writesPerMinute, 5);
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['TEMPORAL_ADDRESS', 'no-port'],
    ['MONGODB_URI', 'postgres://x'],
    ['JWT_SECRET', 'short'],
    ['SMTP_SECURE', 'maybe'],
  ] as const) {
    it(`rejects ${name}=${value} with one line naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(`invalid configuration: ${name}=`) && !error.message.includes('\n'),
      );
    });
  }
});

describe('configuration in production', () => {
  it('needs RENDER_SERVICE_URL with RENDERER=http, and all SharePoint credentials with a drive', () => {
    const refused = (env: Record<string, string>, name: RegExp) =>
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && name.test(error.message));
    refused({ RENDERER: 'http' }, /RENDER_SERVICE_URL is required/);
    refused({ SHAREPOINT_DRIVE_ID: 'd', SHAREPOINT_TENANT_ID: 't' }, /SHAREPOINT_CLIENT_ID, SHAREPOINT_CLIENT_SECRET/);
    const config = loadConfig({ RENDERER: 'http', RENDER_SERVICE_URL: 'http://engine:9000/render', RENDER_TIMEOUT_SECONDS: '7' });
    assert.deepEqual(config.render, { kind: 'http', url: 'http://engine:9000/render', timeoutMs: 7000 });
    assert.equal(loadConfig({}).sharePoint, undefined);
  });

  it('needs an explicit JWT_SECRET', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), (error: unknown) => error instanceof ConfigError && /JWT_SECRET/.test(error.message));
    assert.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-for-prod' }).auth.jwtSecret, 'a-real-secret-for-prod');
  });
});

describe('the README\'s configuration table', () => {
  it('names every variable the service reads', () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const missing = describeConfig().filter(({ name }) => !table.includes(`\`${name}\``)).map(({ name }) => name);
    assert.deepEqual(missing, []);
  });
});
