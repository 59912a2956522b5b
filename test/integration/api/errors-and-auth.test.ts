import assert from 'node:assert/strict';
import { chartTaskRequest } from '../../support/fixtures';
import { TestService } from '../../support/service';

function assertErrorShape(response: { status: number; body: any; headers: Headers }, status: number): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.ok(Array.isArray(response.body.errors) && response.body.errors.length > 0, JSON.stringify(response.body));
  for (const error of response.body.errors) {
    assert.equal(typeof error.code, 'string');
    assert.equal(typeof error.title, 'string');
    assert.equal(error.meta.httpCode, status);
  }
  assert.match(response.body.traceId, /^[0-9a-f]{32}$/);
  assert.equal(response.headers.get('x-trace-id'), response.body.traceId);
}

describe('API errors, auth and HTTP edges', function () {
  this.timeout(60_000);
  let service: TestService;
  let token: string;

  before(async () => {
    service = await TestService.start({}, { worker: false });
    token = service.token({ tenant: 'tenant-http', userId: 'u1' });
  });
  after(async () => service?.stop());

  it('answers 401 in the error shape without a token, with a bad token, and with a token of another secret', async () => {
    assertErrorShape(await service.request(undefined, 'GET', '/api/v1/sharing-tasks'), 401);
    assertErrorShape(await service.request('not-a-jwt', 'GET', '/api/v1/sharing-tasks'), 401);
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assertErrorShape(await service.request(forged, 'GET', '/v1/sharing-tasks'), 401);
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    assertErrorShape(await service.request(token, 'GET', '/api/v1/nothing-here'), 404);
    const wrong = await service.request(token, 'PUT', '/api/v1/sharing-tasks/abc', {});
    assertErrorShape(wrong, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, PATCH, DELETE');
  });

  it('answers 400 for malformed JSON, 415 for another media type, 413 for a body over 1 MB', async () => {
    assertErrorShape(await service.request(token, 'POST', '/api/v1/sharing-tasks', '{"name": '), 400);
    assertErrorShape(
      await service.request(token, 'POST', '/api/v1/sharing-tasks', 'name=x', { 'content-type': 'text/plain' }),
      415,
    );
    const huge = JSON.stringify(chartTaskRequest({ description: 'x'.repeat(1_100_000) }));
    assertErrorShape(await service.request(token, 'POST', '/api/v1/sharing-tasks', huge), 413);
  });

  it('answers /health while alive and /ready when MongoDB and Temporal answer', async () => {
    assert.equal((await service.request(undefined, 'GET', '/health')).status, 200);
    const ready = await service.request(undefined, 'GET', '/ready');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
  });
});

describe('readiness with its dependencies down', function () {
  this.timeout(60_000);
  let service: TestService;
  before(async () => {
    // Ports where nothing listens: the API must still start and say what is missing.
    service = await TestService.start({ MONGODB_URI: 'mongodb://127.0.0.1:9', TEMPORAL_ADDRESS: '127.0.0.1:9' }, { worker: false });
  });
  after(async () => service?.stop());

  it('starts, answers /health, and /ready says 503 naming MongoDB and Temporal', async () => {
    assert.equal((await service.request(undefined, 'GET', '/health')).status, 200);
    const ready = await service.request(undefined, 'GET', '/ready');
    assertErrorShape(ready, 503);
    assert.match(ready.body.errors[0].detail, /mongodb/);
    assert.match(ready.body.errors[0].detail, /temporal/);
  });
});

describe('the OpenAPI document', function () {
  this.timeout(30_000);
  let service: TestService;
  before(async () => {
    service = await TestService.start({}, { worker: false });
  });
  after(async () => service?.stop());

  it('is served without a token at /api/v1/sharing-tasks/openapi.json and lists the task routes', async () => {
    const response = await service.request(undefined, 'GET', '/api/v1/sharing-tasks/openapi.json');
    assert.equal(response.status, 200);
    assert.match(response.body.openapi, /^3\.1/);
    for (const path of ['/api/v1/sharing-tasks', '/api/v1/sharing-tasks/{taskId}', '/api/v1/sharing-tasks/settings']) {
      assert.ok(response.body.paths[path], `documents ${path}`);
    }
  });

  for (const base of ['/api/v1', '/v1']) {
    it(`has a human-readable page at ${base}/sharing-tasks/docs whose script, styles and document all load`, async () => {
      const page = await fetch(`${service.api.url}${base}/sharing-tasks/docs`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const html = await page.text();
      const pageUrl = new URL(`${service.api.url}${base}/sharing-tasks/docs`);
      const referenced = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, pageUrl));
      assert.deepEqual(referenced.map((url) => url.pathname.split('/').pop()), ['swagger-ui.css', 'swagger-ui-bundle.js', 'init.js']);
      for (const url of referenced) {
        const asset = await fetch(url);
        assert.equal(asset.status, 200, url.pathname);
        assert.match(asset.headers.get('content-type') ?? '', /(css|javascript)/, url.pathname);
        if (url.pathname.endsWith('init.js')) {
          const specUrl = new URL(/url: '([^']+)'/.exec(await asset.text())![1]!, pageUrl);
          const spec = await fetch(specUrl);
          assert.equal(spec.status, 200, specUrl.pathname);
          assert.match(((await spec.json()) as { openapi: string }).openapi, /^3\.1/);
        } else {
          assert.ok((await asset.arrayBuffer()).byteLength > 10_000, `${url.pathname} is the real asset`);
        }
      }
    });
  }
});
