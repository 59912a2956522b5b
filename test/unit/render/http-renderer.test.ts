import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BuiltinRenderer, createRenderer, HttpRenderer, RenderError, RenderServiceUnavailableError } from '../../../src/render';
import { chartTemplate, generatedAt, pngOf, request, task } from './requests';

type Handler = (body: Record<string, unknown>, request: IncomingMessage, response: ServerResponse) => void;

/** A render service on a free local port whose answer each test sets. */
class FakeRenderService {
  handler: Handler = (_body, _request, response) => response.writeHead(500).end();
  readonly received: { body: Record<string, unknown>; headers: IncomingMessage['headers'] }[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      this.received.push({ body, headers: req.headers });
      this.handler(body, req, res);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/render`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const rejectedAs = (code: string) => (error: unknown) => error instanceof RenderError && error.code === code;
const retryable = (pattern: RegExp) => (error: unknown) =>
  error instanceof RenderServiceUnavailableError && !(error instanceof RenderError) && pattern.test(error.message);

describe('the HTTP renderer', () => {
  const service = new FakeRenderService();
  let renderer: HttpRenderer;
  const pdfRequest = request(chartTemplate('pdf'), 'pdf');

  before(async () => {
    renderer = new HttpRenderer({ url: await service.start(), timeoutMs: 300, headers: { authorization: 'Bearer secret' } });
  });
  after(() => service.stop());

  it('posts the template, selections, task and time, and returns the bytes it gets back', async () => {
    const pdf = Buffer.from('%PDF-1.7\n% a report\n');
    service.handler = (_body, _request, response) => response.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
    const file = await renderer.render(pdfRequest);
    assert.deepEqual(file, { bytes: pdf, contentType: 'application/pdf', extension: 'pdf' });

    const { body, headers } = service.received.at(-1)!;
    assert.deepEqual(body, {
      format: 'pdf',
      template: JSON.parse(JSON.stringify(pdfRequest.template)),
      selections: task.selections,
      task: { id: task.id, name: task.name, timezone: task.timezone },
      generatedAt: generatedAt.toISOString(),
    });
    assert.equal(headers.authorization, 'Bearer secret');
    assert.equal(headers['content-type'], 'application/json');
  });

  it('accepts a content type with parameters and takes the extension from the format', async () => {
    const image = pngOf(20, 10, (x) => [x * 10, 0, 0, 255]);
    service.handler = (_body, _request, response) => response.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(image);
    const file = await renderer.render(request(chartTemplate('image'), 'png'));
    assert.deepEqual(file, { bytes: image, contentType: 'image/png', extension: 'png' });
  });

  it('maps 404 to TEMPLATE_NOT_FOUND and other 4xx to RENDER_REJECTED, both permanent', async () => {
    service.handler = (_body, _request, response) => response.writeHead(404, { 'content-type': 'text/plain' }).end('no such object');
    await assert.rejects(renderer.render(pdfRequest), (error: unknown) => rejectedAs('TEMPLATE_NOT_FOUND')(error) && /no such object/.test((error as Error).message));
    service.handler = (_body, _request, response) => response.writeHead(422).end();
    await assert.rejects(renderer.render(pdfRequest), rejectedAs('RENDER_REJECTED'));
  });

  it('makes 5xx and 429 retryable errors, not RenderErrors', async () => {
    service.handler = (_body, _request, response) => response.writeHead(503).end('overloaded');
    await assert.rejects(renderer.render(pdfRequest), retryable(/503.*overloaded/));
    service.handler = (_body, _request, response) => response.writeHead(429).end();
    await assert.rejects(renderer.render(pdfRequest), retryable(/429/));
  });

  it('gives up after timeoutMs with a retryable error', async () => {
    service.handler = (_body, _request, response) => setTimeout(() => response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-'), 2_000).unref();
    const started = Date.now();
    await assert.rejects(renderer.render(pdfRequest), retryable(/did not answer within 300 ms/));
    assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
  });

  it('makes a refused connection a retryable error', async () => {
    const closed = new FakeRenderService();
    const url = await closed.start();
    await closed.stop();
    await assert.rejects(new HttpRenderer({ url, timeoutMs: 1_000 }).render(pdfRequest), retryable(/ECONNREFUSED/));
  });

  it('rejects a file of another type than the one asked for', async () => {
    service.handler = (_body, _request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    await assert.rejects(renderer.render(pdfRequest), rejectedAs('WRONG_CONTENT_TYPE'));
  });

  it('passes what it gets through the blank guard', async () => {
    service.handler = (_body, _request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(pngOf(20, 10, () => [255, 255, 255, 255]));
    await assert.rejects(renderer.render(request(chartTemplate('image'), 'png')), rejectedAs('EMPTY_RENDER'));
    service.handler = (_body, _request, response) => response.writeHead(200, { 'content-type': 'application/pdf' }).end();
    await assert.rejects(renderer.render(pdfRequest), rejectedAs('EMPTY_RENDER'));
  });
});

describe('createRenderer', () => {
  it('builds the renderer the configuration names', () => {
    assert.ok(createRenderer({ kind: 'builtin' }) instanceof BuiltinRenderer);
    assert.ok(createRenderer({ kind: 'http', url: 'http://127.0.0.1:1/render', timeoutMs: 1_000 }) instanceof HttpRenderer);
  });
});
