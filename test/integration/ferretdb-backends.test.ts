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
});
