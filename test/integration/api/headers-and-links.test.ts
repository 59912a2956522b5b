import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, TestService } from '../../support/service';

/** A GET with exactly these headers (fetch may not set Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'GET', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end();
  });
}

function assertApiHeaders(headers: Headers, what: string): void {
  assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(headers.get('cache-control'), 'no-store', what);
  assert.equal(headers.get('x-powered-by'), null, what);
  assert.equal(headers.get('x-frame-options'), 'DENY', what);
  const csp = headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
}

describe('security headers', function () {
  this.timeout(60_000);
  let service: TestService;
  let token: string;
  before(async () => {
    service = await TestService.start();
    token = service.token({ tenant: 'tenant-headers', userId: 'u1' });
  });
  after(async () => service?.stop());

  it('are on API answers, errors, health and report files: nosniff, no framing, a CSP that allows nothing, no-store', async () => {
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({ executeOnCreation: true }));
    assertApiHeaders(created.headers, 'POST');
    assertApiHeaders((await service.request(token, 'GET', '/api/v1/sharing-tasks')).headers, 'GET list');
    assertApiHeaders((await service.request(undefined, 'GET', '/api/v1/sharing-tasks')).headers, '401');
    assertApiHeaders((await service.request(token, 'GET', '/api/v1/nowhere')).headers, '404');
    assertApiHeaders((await service.request(undefined, 'GET', '/health')).headers, '/health');
    assertApiHeaders((await service.request(undefined, 'GET', '/api/v1/sharing-tasks/openapi.json')).headers, 'openapi.json');
    const run = await eventually(async () => {
      const response = await service.request(token, 'GET', `/api/v1/sharing-tasks/${created.body.id}/executions/latest`);
      return response.status === 200 && response.body.status === 'successful' ? response.body : undefined;
    }, 30_000, 'the creation run');
    const file = await fetch(`${service.api.url}/api/v1/sharing-tasks/${created.body.id}/executions/${run.id}/files/${run.files[0].fileAlias}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(file.status, 200);
    assertApiHeaders(file.headers, 'report file');
  });

  it('give the docs page a CSP its same-origin script, styles and document satisfy, and no inline code it would block', async () => {
    const pageUrl = `${service.api.url}/api/v1/sharing-tasks/docs`;
    const page = await fetch(pageUrl);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const csp = Object.fromEntries((page.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(csp['script-src'], ["'self'"]);
    assert.deepEqual(csp['style-src'], ["'self'"]);
    assert.deepEqual(csp['connect-src'], ["'self'"], 'the page fetches openapi.json');
    assert.ok(csp['img-src']?.includes('data:'), 'the stylesheet\'s icons are data: URIs');
    assert.deepEqual(csp['frame-ancestors'], ["'none'"]);
    const html = await page.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i, 'inline script or style the CSP would block');
    for (const match of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const asset = new URL(match[1]!, pageUrl);
      assert.equal(asset.origin, new URL(pageUrl).origin, `${asset} is same-origin ('self')`);
      const response = await fetch(asset);
      assert.equal(response.status, 200, asset.pathname);
      if (asset.pathname.includes('/assets/')) assert.match(response.headers.get('cache-control') ?? '', /max-age=86400/, 'static assets stay cacheable');
    }
    const init = await (await fetch(new URL('docs/init.js', pageUrl))).text();
    assert.match(init, /validatorUrl: null/, 'no badge fetched from another origin');
  });
});

describe('links', function () {
  this.timeout(60_000);
  const services: TestService[] = [];
  after(async () => Promise.all(services.map((s) => s.stop())));
  const start = async (env: Record<string, string> = {}) => {
    const service = await TestService.start(env, { worker: false });
    services.push(service);
    return service;
  };
  const selfOf = async (service: TestService, headers: Record<string, string>) => {
    const token = service.token({ tenant: 'tenant-links', userId: 'u1' });
    const response = await rawGet(`${service.api.url}/api/v1/sharing-tasks`, { authorization: `Bearer ${token}`, ...headers });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.links.self.href as string;
  };

  it('come from the Host only when it is the listen host or a localhost form on this port; never from X-Forwarded-*', async () => {
    const service = await start();
    const port = new URL(service.api.url).port;
    assert.equal(await selfOf(service, { host: `localhost:${port}` }), `http://localhost:${port}/api/v1/sharing-tasks`);
    assert.equal(await selfOf(service, { host: `127.0.0.1:${port}` }), `http://127.0.0.1:${port}/api/v1/sharing-tasks`);
    const fallback = `http://127.0.0.1:${port}/api/v1/sharing-tasks`;
    for (const host of ['evil.example', `evil.example:${port}`, 'localhost:1', 'javascript://x', 'a b', '127.0.0.1@evil.example']) {
      assert.equal(await selfOf(service, { host }), fallback, `Host: ${host}`);
    }
    assert.equal(await selfOf(service, { host: `localhost:${port}`, 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.example' }), `http://localhost:${port}/api/v1/sharing-tasks`);
  });

  it('follow ALLOWED_HOSTS, and X-Forwarded-Proto/Host only with TRUST_PROXY, still checked against the list', async () => {
    const service = await start({ ALLOWED_HOSTS: 'api.example.com', TRUST_PROXY: 'loopback' });
    const port = new URL(service.api.url).port;
    assert.equal(await selfOf(service, { host: 'api.example.com' }), 'http://api.example.com/api/v1/sharing-tasks');
    assert.equal(await selfOf(service, { host: 'internal:9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' }), 'https://api.example.com/api/v1/sharing-tasks');
    assert.equal(await selfOf(service, { host: 'api.example.com', 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.example' }), `http://127.0.0.1:${port}/api/v1/sharing-tasks`);
  });

  it('come from PUBLIC_BASE_URL whatever the request says, Location included', async () => {
    const service = await start({ PUBLIC_BASE_URL: 'https://reports.example.com/' });
    assert.equal(await selfOf(service, { host: 'evil.example', 'x-forwarded-host': 'evil.example' }), 'https://reports.example.com/api/v1/sharing-tasks');
    const created = await service.request(service.token({ tenant: 'tenant-links', userId: 'u1' }), 'POST', '/v1/sharing-tasks', chartTaskRequest());
    assert.equal(created.headers.get('location'), `https://reports.example.com/v1/sharing-tasks/${created.body.id}`);
    assert.equal(created.body.links.self.href, created.headers.get('location'));
  });
});
