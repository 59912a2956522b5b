import { Client, Connection } from '@temporalio/client';
import { activeTracing } from '../telemetry/instrument';

/** A client whose connection is made on first use, so the API starts (and reports not ready) while Temporal is down. */
export function createTemporalClient(settings: { address: string; namespace: string }): Client {
  const connection = Connection.lazy({ address: settings.address, connectTimeout: '5s' });
  // With tracing on, workflow starts and signals carry the caller's trace context in their headers.
  return new Client({ connection, namespace: settings.namespace, interceptors: activeTracing()?.clientInterceptors });
}
