import assert from 'node:assert/strict';
import { temporalSdkMetricsUrl } from '../support/env';
import { chartTaskRequest } from '../support/fixtures';
import { scrape, samplesOf, type MetricFamily } from '../support/prometheus-text';
import { documentedMetrics } from '../support/readme-metrics';
import { eventually, TestService } from '../support/service';

const count = (families: Map<string, MetricFamily>, name: string, labels: Record<string, string>) =>
  samplesOf(families, name, labels).reduce((sum, sample) => sum + sample.value, 0);

/** The metrics endpoints on the real stack, after runs of a real task (README, Operations). */
describe('operations: the metrics endpoints', function () {
  this.timeout(120_000);
  let service: TestService;
  let token: string;
  let taskId: string;
  let recorded: Run[] = [];

  interface Run {
    id: string;
    trigger: string;
    status: string;
    endTime?: string;
    successCount?: number;
  }
  const executions = async (): Promise<Run[]> =>
    (await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}/executions?limit=50`)).body.executions as Run[];

  before(async () => {
    service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1' });
    token = service.token({ tenant: 'tenant-ops', userId: 'owner-1', timezone: 'Europe/Paris' });
    const created = await service.request(
      token,
      'POST',
      '/api/v1/sharing-tasks',
      chartTaskRequest({
        recipients: { emailAddresses: ['ops-metrics@example.com'] },
        executeOnCreation: true,
        scheduleOptions: { timezone: 'Europe/Paris', recurrence: ['RRULE:FREQ=SECONDLY;INTERVAL=5'] },
      }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    taskId = created.body.id;
    // The creation run and a successful scheduled run (an occurrence due during a run is skipped instead).
    await eventually(async () => {
      const runs = await executions();
      const done = (trigger: string) => runs.some((run) => run.trigger === trigger && run.status === 'successful');
      return done('creation') && done('scheduled') ? true : undefined;
    }, 60_000, 'a successful creation run and scheduled run');
    assert.equal((await service.request(token, 'POST', `/api/v1/sharing-tasks/${taskId}/actions/cancel`)).status, 204);
    // Then quiet: every run ended, nothing new for two polls.
    let last = '';
    recorded = await eventually(async () => {
      const runs = await executions();
      const now = JSON.stringify(runs.map((run) => [run.id, run.status, run.endTime]));
      const quiet = now === last && runs.every((run) => run.endTime);
      last = now;
      return quiet ? runs : undefined;
    }, 30_000, 'the runs to end');
    await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}`);
    await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}-missing`);
  });
  after(async () => service?.stop());

  it('API: request latency by method, route template and status, without ids; process metrics', async () => {
    const api = await scrape(service.api.metricsUrl);
    assert.equal(count(api, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/sharing-tasks', status: '201' }), 1);
    assert.ok(count(api, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/sharing-tasks/:taskId', status: '200' }) >= 1);
    assert.ok(count(api, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/sharing-tasks/:taskId', status: '404' }) >= 1);
    const routes = new Set(samplesOf(api, 'http_request_duration_seconds_count').map((sample) => sample.labels.route));
    assert.ok(![...routes].some((route) => route?.includes(taskId)), `no id in a route label: ${[...routes].join(', ')}`);
    assert.equal(api.get('process_resident_memory_bytes')?.type, 'gauge');
  });

  it('worker: lateness by trigger, runs by status, deliveries by channel and outcome, renders by format', async () => {
    const worker = await scrape(service.worker!.runtime.metricsUrl);
    // Each run the API shows is counted once, by its status; a skipped occurrence is an `invalid` execution.
    const statuses = { successful: 'successful', failed: 'failed', cancelled: 'cancelled', skipped: 'invalid' } as const;
    for (const [label, status] of Object.entries(statuses)) {
      assert.equal(count(worker, 'sharing_runs_total', { status: label }), recorded.filter((run) => run.status === status).length, `runs ${label}`);
    }
    const ran = recorded.filter((run) => run.status !== 'invalid');
    assert.equal(count(worker, 'sharing_run_duration_seconds_count', {}), ran.length);
    assert.equal(count(worker, 'sharing_run_start_lateness_seconds_count', { trigger: 'creation' }), 1);
    assert.equal(count(worker, 'sharing_run_start_lateness_seconds_count', { trigger: 'scheduled' }), ran.filter((run) => run.trigger === 'scheduled').length);
    const [creationLateness] = samplesOf(worker, 'sharing_run_start_lateness_seconds_sum', { trigger: 'creation' });
    assert.ok(creationLateness!.value >= 0 && Number.isFinite(creationLateness!.value));
    // Every e-mail the executions record as sent is one delivered attempt, and nothing failed.
    const sent = recorded.reduce((sum, run) => sum + (run.successCount ?? 0), 0);
    assert.ok(sent >= 2);
    assert.equal(count(worker, 'sharing_deliveries_total', { channel: 'email', outcome: 'delivered' }), sent);
    assert.equal(count(worker, 'sharing_deliveries_total', {}), sent);
    assert.equal(count(worker, 'sharing_render_duration_seconds_count', { format: 'pdf' }), ran.length);
  });

  it('the Temporal SDK\'s metrics, as Prometheus text', async () => {
    const sdk = await scrape(temporalSdkMetricsUrl());
    const names = [...sdk.keys()];
    assert.ok(names.length > 5 && names.every((name) => name.startsWith('temporal_')), names.join(', '));
  });

  it('every metric the README documents is on an endpoint', async () => {
    const documented = documentedMetrics();
    assert.ok(documented.length >= 10, `documented: ${documented.join(', ')}`);
    const endpoints = [service.api.metricsUrl, service.worker!.runtime.metricsUrl, temporalSdkMetricsUrl(), temporalServerMetricsUrl()];
    const missing = () =>
      Promise.all(endpoints.map(async (url) => [...(await scrape(url)).keys()])).then((served) => {
        const names = new Set(served.flat());
        return documented.filter((name) => !names.has(name));
      });
    // The server reports its task queue gauges about a minute after it starts.
    await eventually(async () => ((await missing()).length === 0 ? true : undefined), 90_000, 'every documented metric').catch(async (error: Error) => {
      throw new Error(`${error.message}; missing: ${(await missing()).join(', ')}`);
    });
  });
});

/** The Temporal dev server's own metrics endpoint (the test stack starts it with one). */
function temporalServerMetricsUrl(): string {
  const url = process.env.TEST_TEMPORAL_METRICS_URL;
  if (!url) throw new Error('TEST_TEMPORAL_METRICS_URL is not set: the test stack reused a Temporal server');
  return url;
}

describe('operations: the API\'s metrics on a port of their own (API_METRICS_PORT)', function () {
  let service: TestService;
  before(async () => {
    service = await TestService.start({ API_METRICS_PORT: '0' }, { worker: false });
  });
  after(async () => service?.stop());

  it('serves /metrics there and not on the API\'s port', async () => {
    assert.notEqual(new URL(service.api.metricsUrl).port, new URL(service.api.url).port);
    assert.equal((await service.request(undefined, 'GET', '/health')).status, 200);
    assert.equal((await service.request(undefined, 'GET', '/metrics')).status, 404);
    const families = await scrape(service.api.metricsUrl);
    assert.ok(count(families, 'http_request_duration_seconds_count', { method: 'GET', route: '/health', status: '200' }) >= 1);
  });
});
