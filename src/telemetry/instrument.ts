import { loadConfig } from '../config';
import type { Tracing } from './tracing';

let started: Tracing | undefined;

/**
 * Called by a process's entry point before it loads anything else: with OTEL_EXPORTER_OTLP_ENDPOINT
 * set, starts tracing while http and mongodb can still be instrumented; without it, loads nothing
 * (no SDK, no per-request cost). An invalid configuration is left for the entry point to report.
 */
export function traceProcess(serviceName: string): void {
  let endpoint: string | undefined;
  try {
    endpoint = loadConfig().tracing?.otlpEndpoint;
  } catch {
    return;
  }
  if (!endpoint || started) return;
  // Required here, not imported: the SDK is loaded only when tracing is on.
  const { startTracing } = require('./tracing') as typeof import('./tracing');
  started = startTracing(endpoint, serviceName);
}

/** The process's tracing, when traceProcess() started it. */
export function activeTracing(): Tracing | undefined {
  return started;
}
