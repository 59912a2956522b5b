import { startFerretDb } from '/work/main/scripts/stack/services';
import { freePort } from '/work/main/scripts/stack/process';
import { MongoClient } from '/work/main/node_modules/mongodb';
(async () => {
  const port = await freePort();
  const svc = await startFerretDb({ dataDir: '/tmp/probe-data', log: 'file', reuse: false, port });
  const client = new MongoClient(`mongodb://127.0.0.1:${port}`);
  const db = client.db('probe');
  const tries: [string, () => Promise<unknown>][] = [
    ['compound 3', () => db.collection('a').createIndexes([{ key: { tenant: 1, dateCreated: -1, _id: 1 } }])],
    ['compound 2', () => db.collection('b').createIndexes([{ key: { tenant: 1, owner: 1 } }])],
    ['dotted', () => db.collection('c').createIndexes([{ key: { tenant: 1, 'templates.templateId': 1 } }])],
    ['many', () => db.collection('d').createIndexes([{ key: { x: 1 } }, { key: { y: 1 } }])],
    ['gridfs', () => db.collection('reportFiles.files').createIndex({ 'metadata.executionId': 1 })],
  ];
  for (const [name, run] of tries) {
    try { await run(); console.log('ok', name); } catch (e) { console.log('FAIL', name, (e as Error).message); }
  }
  await client.close(); await svc.stop();
})();
