/**
 * One side of bench/api-load.ts in its own process, so the load generator never shares its event
 * loop: `service` (the real API, src/api/main.ts's composition root), `bare` or `bare-workflow`
 * (bare-api.ts). Configured by the src/config environment; prints `LISTENING <url>` when ready.
 */
import { loadConfig } from '../../src/config';
import { createMongo } from '../../src/store';
import { createTemporalClient } from '../../src/temporal/connection';
import { TaskWorkflows } from '../../src/temporal/task-workflows';
import { startBenchApi } from './api';
import { startBareApi } from './bare-api';

export const SIDES = ['service', 'bare', 'bare-workflow'] as const;
export type Side = (typeof SIDES)[number];

async function start(side: Side): Promise<{ url: string; close(): Promise<void> }> {
  if (side === 'service') {
    const bench = await startBenchApi(process.env as Record<string, string>);
    return { url: bench.api.url, close: bench.close };
  }
  const config = loadConfig(process.env);
  const mongo = createMongo(config.mongo);
  const temporal = side === 'bare-workflow' ? createTemporalClient(config.temporal) : undefined;
  const workflows = temporal && new TaskWorkflows(temporal, config.temporal.taskQueue, config.staging);
  const { server, url } = await startBareApi({ db: mongo.db, jwtSecret: config.auth.jwtSecret, workflows, host: config.http.host });
  return {
    url,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await temporal?.connection.close();
      await mongo.client.close();
    },
  };
}

if (require.main === module) {
  const side = process.argv[2] as Side;
  if (!SIDES.includes(side)) throw new Error(`side must be one of ${SIDES.join(', ')}, not ${side}`);
  start(side).then(
    (running) => {
      process.stdout.write(`LISTENING ${running.url}\n`);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void running.close().then(() => process.exit(0)));
    },
    (error: Error) => {
      console.error(`${side} failed to start: ${error.stack}`);
      process.exit(1);
    },
  );
}
