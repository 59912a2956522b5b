import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../scripts/stack/process';
import { issueToken } from '../../src/auth/claims';
import { loadConfig } from '../../src/config';
import { testEnv } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { startOtlpCollector, type CollectedSpan, type OtlpCollector } from '../support/otlp-collector';
import { eventually } from '../support/service';

const root = join(__dirname, '..', '..');

/** `npm run api` / `npm run worker` as their own processes: tracing must start before anything they load. */
function spawnProcess(entry: string, env: Record<string, string>): { child: ChildProcess; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One trace from the HTTP request to the e-mail, exported by OTLP to a local collector stand-in (README, Operations). */
describe('operations: traces', function () {
  this.timeout(150_000);
  let collector: OtlpCollector;
  let processes: { stop(): Promise<void> }[] = [];
  let base: string;
  let token: string;

  before(async () => {
    collector = await startOtlpCollector();
    const env = testEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, PORT: String(await freePort()) });
    processes = [spawnProcess('src/api/main.ts', env), spawnProcess('src/worker/main.ts', env)];
    const config = loadConfig(env);
    base = `http://127.0.0.1:${config.http.port}`;
    token = issueToken({ tenant: 'tenant-traces', userId: 'owner-1', roles: [] }, config.auth);
    await eventually(() => fetch(`${base}/health`).then((r) => (r.ok ? true : undefined), () => undefined), 30_000, 'the API process');
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await collector?.close();
  });

  const request = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  const spansOf = (traceId: string) => collector.spans.filter((span) => span.traceId === traceId);

  it('one create-and-run is one trace: API, Temporal client, workflows, activity, render, SMTP send', async () => {
    const created = await request(
      'POST',
      '/api/v1/sharing-tasks',
      chartTaskRequest({ recipients: { emailAddresses: ['traced@example.com'] }, executeOnCreation: true, scheduleOptions: { timezone: 'UTC', recurrence: ['RRULE:FREQ=DAILY'] } }),
    );
    assert.equal(created.status, 201);
    const traceId = created.headers.get('x-trace-id')!;
    assert.match(traceId, /^[0-9a-f]{32}$/);
    const { id: taskId } = (await created.json()) as { id: string };

    const wanted = ['POST /api/v1/sharing-tasks', 'StartWorkflow:sharingTaskWorkflow', 'StartActivity:performRun', 'RunActivity:performRun', 'render pdf', 'smtp send'];
    const spans = await eventually(async () => {
      const names = new Set(spansOf(traceId).map((span) => span.name));
      return wanted.every((name) => names.has(name)) ? spansOf(traceId) : undefined;
    }, 90_000, `spans ${wanted.join(', ')} in trace ${traceId}`).catch((error: Error) => {
      throw new Error(`${error.message}; got ${JSON.stringify(spansOf(traceId).map((s) => `${s.service}: ${s.name}`))}`);
    });

    const byName = (name: string) => spans.find((span) => span.name === name)!;
    assert.equal(byName('POST /api/v1/sharing-tasks').service, 'sharing-tasks-api');
    assert.equal(byName('smtp send').service, 'sharing-tasks-worker');
    assert.ok(spans.some((span) => span.service === 'sharing-tasks-api' && /^mongodb\./.test(span.name)), 'the API\'s MongoDB commands');
    assert.ok(spans.some((span) => span.service === 'sharing-tasks-worker' && /^mongodb\./.test(span.name)), 'the worker\'s MongoDB commands');
    // The send descends from the activity, the activity from its start in the task's workflow (parent links, not just the same id).
    const parentOf = (span: CollectedSpan) => spans.find((candidate) => candidate.spanId === span.parentSpanId);
    const ancestors = (span: CollectedSpan): string[] => {
      const parent = parentOf(span);
      return parent ? [parent.name, ...ancestors(parent)] : [];
    };
    const sendAncestry = ancestors(byName('smtp send'));
    assert.ok(sendAncestry.includes('RunActivity:performRun'), sendAncestry.join(' < '));
    assert.ok(sendAncestry.includes('StartActivity:performRun'), sendAncestry.join(' < '));
    // Everything this task's workflows did is in that one trace.
    const taskSpans = collector.spans.filter((span) => String(span.attributes.temporalWorkflowId ?? '').includes(taskId));
    assert.ok(taskSpans.length > 0);
    assert.deepEqual([...new Set(taskSpans.map((span) => span.traceId))], [traceId]);
    // The exporter's own requests are not traced.
    assert.ok(!collector.spans.some((span) => String(span.attributes['url.full'] ?? span.attributes['http.url'] ?? '').includes('/v1/traces')));
  });

  it('the traceId of an error body is its trace\'s id', async () => {
    const refused = await request('POST', '/api/v1/sharing-tasks', { name: '' });
    assert.equal(refused.status, 400);
    const body = (await refused.json()) as { traceId: string };
    assert.equal(body.traceId, refused.headers.get('x-trace-id'));
    await eventually(async () => (spansOf(body.traceId).some((span) => span.name === 'POST /api/v1/sharing-tasks') ? true : undefined), 30_000, `the server span of trace ${body.traceId}`);
  });
});
