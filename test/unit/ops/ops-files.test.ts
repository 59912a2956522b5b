import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import { documentedMetrics } from '../../support/readme-metrics';

const root = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** YAML through Python's PyYAML (Debian's docker-compose brings it), as the compose test does. */
function yaml(path: string): unknown {
  const result = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: read(path), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cannot read ${path} as YAML: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'le', 'inf', 'nan']);

/** The metric names a PromQL expression selects (label matchers, ranges, grouping labels and functions left out). */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter(([name, , call]) => !call && !PROMQL_WORDS.has(name!.toLowerCase()) && !name!.startsWith('$'))
    .map(([name]) => name!);
}

/** A selected series belongs to a documented metric: itself, or a histogram's _bucket, _count or _sum. */
function undocumented(names: string[]): string[] {
  const documented = new Set(documentedMetrics());
  return names.filter((name) => !documented.has(name) && !documented.has(name.replace(/_(?:bucket|count|sum)$/, '')));
}

interface Dashboard {
  uid: string;
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
}

describe('the operations files (ops/)', () => {
  let yamlReadable = true;
  before(function () {
    if (spawnSync('python3', ['-c', 'import yaml']).status !== 0) {
      yamlReadable = false;
    }
  });

  it('reads metric names out of PromQL', () => {
    assert.deepEqual(metricsIn('histogram_quantile(0.99, sum by (le, trigger) (rate(sharing_run_start_lateness_seconds_bucket{trigger="scheduled"}[5m]))) > 60'), ['sharing_run_start_lateness_seconds_bucket']);
    assert.deepEqual(metricsIn('sum(rate(a_total[1m])) / sum(rate(b_count[$__rate_interval]))'), ['a_total', 'b_count']);
  });

  it('the dashboard shows lateness, runs, deliveries, API latency by route and the task backlog, from documented metrics only', () => {
    const dashboard = JSON.parse(read('ops/grafana/dashboards/sharing-tasks.json')) as Dashboard;
    const expressions = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    const used = new Set(expressions.flatMap(metricsIn));
    assert.deepEqual(undocumented([...used]), []);
    for (const name of ['sharing_run_start_lateness_seconds_bucket', 'sharing_runs_total', 'sharing_deliveries_total', 'http_request_duration_seconds_bucket', 'temporal_workflow_task_schedule_to_start_latency_seconds_bucket', 'approximate_backlog_count']) {
      assert.ok(used.has(name), `the dashboard shows ${name}`);
    }
    assert.ok(expressions.some((expr) => /histogram_quantile\(0\.5,.*sharing_run_start_lateness_seconds/.test(expr)));
    assert.ok(expressions.some((expr) => /histogram_quantile\(0\.99,.*sharing_run_start_lateness_seconds/.test(expr)));
    assert.ok(expressions.some((expr) => /by \([^)]*route[^)]*\).*http_request_duration_seconds_bucket/.test(expr)));
  });

  it('Prometheus scrapes the API, the workers\' two endpoints and the Temporal server on the ports the service uses', function () {
    if (!yamlReadable) this.skip();
    const defaults = loadConfig({});
    const config = yaml('ops/prometheus/prometheus.yml') as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; port: number }[] }[];
    };
    const targets = config.scrape_configs.flatMap((job) => [
      ...(job.static_configs ?? []).flatMap((c) => c.targets),
      ...(job.dns_sd_configs ?? []).flatMap((c) => c.names.map((name) => `${name}:${c.port}`)),
    ]);
    assert.deepEqual(targets.sort(), [`api:${defaults.http.port}`, 'temporal:8000', `worker:${defaults.metrics.worker.port}`, `worker:${defaults.metrics.temporalSdkPort}`].sort());
    assert.match(read('docker-compose.yml'), /PROMETHEUS_ENDPOINT: 0\.0\.0\.0:8000/);
    assert.deepEqual(config.rule_files, ['/etc/prometheus/alerts.yml']);
  });

  it('alerts when the p99 start lateness of scheduled runs stays above a threshold, on documented metrics only', function () {
    if (!yamlReadable) this.skip();
    const alerts = yaml('ops/prometheus/alerts.yml') as { groups: { rules: { alert: string; expr: string; for: string }[] }[] };
    const rules = alerts.groups.flatMap((group) => group.rules);
    const late = rules.find((rule) => rule.alert === 'SharingRunsStartLate');
    assert.ok(late, 'the lateness alert');
    assert.match(late.expr, /^histogram_quantile\(0\.99, .*sharing_run_start_lateness_seconds_bucket\{trigger="scheduled"\}.*\) > \d+$/);
    assert.deepEqual(undocumented(rules.flatMap((rule) => metricsIn(rule.expr))), []);
  });
});
