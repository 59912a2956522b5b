import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ferretDbBackend, freePort, startFerretDb, type MongoService } from '../../scripts/stack/services';
import { newExecution } from '../../src/sharing-tasks/execution-record';
import { createMongo, createStores, ensureIndexes } from '../../src/store';
import { testConfig } from '../support/env';

/**
 * The suite's stack runs FerretDB on PostgreSQL; FERRETDB_BACKEND=sqlite must still give a working
 * store with the same exactly-once claim (an insert on a unique key).
 */
describe('FerretDB backends of the local stack', function () {
  this.timeout(90_000);

  it('names FERRETDB_BACKEND and the allowed values when it is wrong, and defaults to PostgreSQL', () => {
    assert.throws(() => ferretDbBackend('mysql'), /FERRETDB_BACKEND must be postgresql or sqlite, not "mysql"/);
    assert.equal(ferretDbBackend(undefined), 'postgresql');
  });

  it('runs the store on the SQLite backend, one winner per concurrent claim', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sharing-tasks-sqlite-'));
    let ferretDb: MongoService | undefined;
    let close: (() => Promise<void>) | undefined;
    try {
      ferretDb = await startFerretDb({ dataDir, log: 'file', reuse: false, port: await freePort(), backend: 'sqlite' });
      assert.equal(ferretDb.postgresClusterDir, undefined);
      const mongo = createMongo({ ...testConfig().mongo, uri: ferretDb.uri });
      close = () => mongo.client.close();
      const stores = createStores(mongo.db);
      await ensureIndexes(stores);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, claimant) =>
          stores.executions.claim(
            newExecution({ id: 'task-1-occurrence', sharingTaskId: 'task-1', tenant: 't', status: 'initialized', trigger: 'scheduled', eventTime: `claimant-${claimant}`, startTime: new Date().toISOString() }),
          ),
        ),
      );
      assert.equal(claims.filter((claim) => claim.claimed).length, 1);
      assert.equal((await stores.executions.getById('task-1-occurrence'))?.sharingTaskId, 'task-1');
    } finally {
      await close?.();
      await ferretDb?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL, finds FerretDB pushes down (`_jsonb->key @> value`) use an index, by _id and by indexed fields', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sharing-tasks-gin-'));
    let ferretDb: MongoService | undefined;
    let close: (() => Promise<void>) | undefined;
    try {
      ferretDb = await startFerretDb({ dataDir, log: 'file', reuse: false, port: await freePort(), backend: 'postgresql' });
      const query = ferretDb.postgresQuery!;
      const mongo = createMongo({ ...testConfig().mongo, uri: ferretDb.uri, dbName: 'gin' });
      close = () => mongo.client.close();
      const stores = createStores(mongo.db);
      await ensureIndexes(stores);
      const startTime = new Date().toISOString();
      for (let index = 0; index < 300; index++) {
        await stores.executions.claim(newExecution({ id: `run-${index}`, sharingTaskId: `task-${index % 30}`, tenant: 't', status: 'in-progress', trigger: 'scheduled', eventTime: startTime, startTime }));
      }
      await query('ANALYZE');
      assert.equal((await stores.executions.getById('run-42'))?.sharingTaskId, 'task-12');

      const [table] = await query("SELECT tablename FROM pg_tables WHERE schemaname = 'gin' AND tablename LIKE 'executions\\_%'");
      const plan = async (where: string) => (await query(`EXPLAIN SELECT _jsonb FROM "gin"."${table}" WHERE ${where}`)).join('\n');
      assert.match(await plan(`_jsonb->'_id' @> '"run-42"'`), /Index Scan on \S+_gin/);
      assert.match(await plan(`_jsonb->'tenant' @> '"t"' AND _jsonb->'sharingTaskId' @> '"task-12"'`), /Index Scan on \S+_gin/);
      // Every btree index FerretDB made over the documents has its GIN twin.
      const indexes = await query("SELECT indexname FROM pg_indexes WHERE schemaname = 'gin' AND indexdef LIKE '%USING btree%_jsonb%'");
      const twins = new Set(await query("SELECT indexname FROM pg_indexes WHERE schemaname = 'gin' AND indexdef LIKE '%USING gin%'"));
      assert.ok(indexes.length >= 3, `FerretDB made ${indexes.length} btree indexes`);
      assert.deepEqual(indexes.filter((name) => !twins.has(`${name.slice(0, 59)}_gin`)), []);
    } finally {
      await close?.();
      await ferretDb?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
