import { startFerretDb } from '/work/main/scripts/stack/services';
import { freePort } from '/work/main/scripts/stack/process';
import { createMongo, createStores, ensureIndexes } from '/work/main/src/store';
(async () => {
  const port = await freePort();
  const svc = await startFerretDb({ dataDir: '/tmp/probe-data', log: 'file', reuse: false, port });
  const { client, db } = createMongo({ uri: `mongodb://127.0.0.1:${port}`, dbName: 'x1', maxPoolSize: 5 });
  const stores = createStores(db);
  for (const [name, s] of Object.entries(stores)) {
    try { await (s as any).ensureIndexes?.(); console.log('ok', name); } catch (e) { console.log('FAIL', name, (e as Error).message); }
  }
  const m2 = createMongo({ uri: `mongodb://127.0.0.1:${port}`, dbName: 'x2', maxPoolSize: 5 });
  try { await ensureIndexes(createStores(m2.db)); console.log('ok parallel'); } catch (e) { console.log('FAIL parallel', (e as Error).message); }
  await client.close(); await m2.client.close(); await svc.stop();
})();
