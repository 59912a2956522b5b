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
    assert.equal(config.rules.runHeartbeatTimeoutSeconds, 30);
  });

  it('reads and coerces variables', () => {
    const config = loadConfig({ PORT: '9090', SMTP_SECURE: 'true', RATE_LIMIT_WRITES_PER_MINUTE: '5' });
    assert.equal(config.http.port, 9090);
    assert.equal(config.smtp.secure, true);
    assert.equal(config.rateLimits.writesPerMinute, 5);
    assert.equal(loadConfig({ RUN_HEARTBEAT_TIMEOUT_SECONDS: '10' }).rules.runHeartbeatTimeoutSeconds, 10);
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['TEMPORAL_ADDRESS', 'no-port'],
    ['MONGODB_URI', 'postgres://x'],
    ['JWT_SECRET', 'short'],
    ['SMTP_SECURE', 'maybe'],
    ['PUBLIC_BASE_URL', 'javascript://x/%0aalert(1)'],
    ['ALLOWED_HOSTS', 'api.example.com,evil/path'],
    ['TRUST_PROXY', 'everyone'],
    ['JWT_MAX_LIFETIME_SECONDS', '0'],
    ['WORKER_METRICS_PORT', '70000'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['FILE_LINK_SECRET', 'short'],
    ['FILE_LINK_TTL_SECONDS', '10'],
    ['TEMPORAL_UI_URL', 'ftp://ui'],
    ['CONSOLE_DEV_SIGN_IN', 'yes'],
    // Under 10 s a GC pause or a busy event loop would pass for a dead worker.
    ['RUN_HEARTBEAT_TIMEOUT_SECONDS', '9'],
  ] as const) {
    it(`rejects ${name}=${value} with one line naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(`invalid configuration: ${name}=`) && !error.message.includes('\n'),
      );
    });
  }
});

describe('metrics and tracing', () => {
  it('serves metrics on 9464 and 9465 by default, the API\'s on its own port, and traces nothing', () => {
    const config = loadConfig({});
    assert.deepEqual(config.metrics, { apiPort: undefined, worker: { host: '127.0.0.1', port: 9464 }, temporalSdkPort: 9465 });
    assert.equal(config.tracing, undefined);
  });

  it('turns the SDK exporter off with port 0, moves the API\'s /metrics, and traces to an OTLP endpoint', () => {
    const config = loadConfig({ TEMPORAL_SDK_METRICS_PORT: '0', API_METRICS_PORT: '9100', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    assert.equal(config.metrics.temporalSdkPort, undefined);
    assert.equal(config.metrics.apiPort, 9100);
    assert.deepEqual(config.tracing, { otlpEndpoint: 'http://collector:4318' });
  });
});

describe('links and proxies', () => {
  it('reads ALLOWED_HOSTS as a lower-case list and TRUST_PROXY as Express takes it; both off by default', () => {
    assert.deepEqual(loadConfig({}).http.allowedHosts, []);
    assert.equal(loadConfig({}).http.trustProxy, false);
    assert.deepEqual(loadConfig({ ALLOWED_HOSTS: 'API.example.com, [::1]:8080' }).http.allowedHosts, ['api.example.com', '[::1]:8080']);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy, 2);
    assert.equal(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy, 'loopback, 10.0.0.0/8');
  });
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

describe('the console and the signed file links', () => {
  it('signs file links with a key of their own, derived from JWT_SECRET unless FILE_LINK_SECRET is set', () => {
    const derived = loadConfig({ JWT_SECRET: 'a-real-secret-for-prod' }).fileLinks;
    assert.notEqual(derived.secret, 'a-real-secret-for-prod');
    assert.notEqual(derived.secret, loadConfig({ JWT_SECRET: 'another-secret-for-prod' }).fileLinks.secret);
    assert.equal(derived.ttlSeconds, 7 * 86400);
    assert.deepEqual(loadConfig({ FILE_LINK_SECRET: 'links-secret-16-chars', FILE_LINK_TTL_SECONDS: '3600' }).fileLinks, { secret: 'links-secret-16-chars', ttlSeconds: 3600 });
  });

  it('keeps the dev sign-in off by default and refuses it in production', () => {
    assert.equal(loadConfig({}).console.devSignIn, false);
    assert.equal(loadConfig({ CONSOLE_DEV_SIGN_IN: 'true' }).console.devSignIn, true);
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-for-prod', CONSOLE_DEV_SIGN_IN: 'true' }),
      (error: unknown) => error instanceof ConfigError && /CONSOLE_DEV_SIGN_IN/.test(error.message),
    );
    assert.equal(loadConfig({ TEMPORAL_UI_URL: 'https://temporal.example.com/' }).console.temporalUiUrl, 'https://temporal.example.com');
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
