/**
 * The OpenTelemetry SDK, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (src/telemetry/instrument.ts).
 * Spans go by OTLP/HTTP; W3C trace context links the HTTP request, the Temporal client call, the
 * workflows and their activities (Temporal headers), and the service's own spans (src/telemetry/spans.ts).
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';

export interface Tracing {
  /** For every Temporal client of the process: starts and signals carry the caller's trace context. */
  clientInterceptors: ClientInterceptors;
  /** For the worker: spans for workflows (exported through a sink) and activities. */
  worker: { interceptors: WorkerInterceptors; sinks: InjectedSinks<OpenTelemetrySinks> };
  /** Exports the spans still buffered. */
  shutdown(): Promise<void>;
}

/** Probes and scrapes are not worth a trace each. */
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

export function startTracing(otlpEndpoint: string, serviceName: string): Tracing {
  const resource = new Resource({ 'service.name': serviceName });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // W3C trace context (and baggage) is the SDK's default propagation.
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  // Instrumentations enable themselves when constructed; they patch http and mongodb as those load.
  new HttpInstrumentation({
    ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]!),
    requireParentforOutgoingSpans: true,
  });
  new MongoDBInstrumentation({ requireParentSpan: true });
  return {
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    worker: {
      interceptors: {
        workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
        activity: [
          (context) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(context),
            outbound: new OpenTelemetryActivityOutboundInterceptor(context),
          }),
        ],
      },
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    },
    shutdown: () => provider.shutdown(),
  };
}
