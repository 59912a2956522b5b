import { Client, Connection } from '@temporalio/client';

/** A client whose connection is made on first use, so the API starts (and reports not ready) while Temporal is down. */
export function createTemporalClient(settings: { address: string; namespace: string }): Client {
  const connection = Connection.lazy({ address: settings.address, connectTimeout: '5s' });
  return new Client({ connection, namespace: settings.namespace });
}
