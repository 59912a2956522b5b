import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/** The service's own spans (render, send, upload); a no-op tracer unless tracing was started (src/telemetry/tracing.ts). */
const tracer = trace.getTracer('sharing-tasks');

/** Runs `work` in a span named `name`, a child of the current one; a failure is recorded on it and rethrown. */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
