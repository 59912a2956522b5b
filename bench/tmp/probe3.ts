import { startFerretDb } from '/work/main/scripts/stack/services';
import { freePort } from '/work/main/scripts/stack/process';
import { createMongo, createStores, ensureIndexes } from '/work/main/src/store';
(async () => {
  const port = await freePort();
  const svc = await startFerretDb({ dataDir: '/tmp/probe-data', log: 'file', reuse: false, port });
  const a = createMongo({ uri: `mongodb://127.0.0.1:${port}`, dbName: 'y', maxPoolSize: 5 });
  const b = createMongo({ uri: `mongodb://127.0.0.1:${port}`, dbName: 'y', maxPoolSize: 5 });
  const r = await Promise.allSettled([ensureIndexes(createStores(a.db)), ensureIndexes(createStores(b.db))]);
  console.log(r.map((x) => x.status === 'rejected' ? (x.reason as Error).message : 'ok'));
  await a.client.close(); await b.client.close(); await svc.stop();
})();
