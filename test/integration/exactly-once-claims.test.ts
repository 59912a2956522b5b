import assert from 'node:assert/strict';
import { newExecution, type ExecutionRecord } from '../../src/sharing-tasks/execution-record';
import { createMongo, createStores, ensureIndexes, type Stores } from '../../src/store';
import { testConfig } from '../support/env';

/**
 * FerretDB's conditional updates are not atomic, so every exactly-once decision is an insert on a
 * unique key. These race real concurrent claims against the real database.
 */
describe('exactly-once claims on the MongoDB-wire database', function () {
  this.timeout(60_000);
  let stores: Stores;
  let close: () => Promise<void>;

  before(async () => {
    const mongo = createMongo({ ...testConfig().mongo, maxPoolSize: 20 });
    stores = createStores(mongo.db);
    await ensureIndexes(stores);
    close = () => mongo.client.close();
  });
  after(async () => close?.());

  const execution = (id: string, claimant: number): ExecutionRecord =>
    newExecution({ id, sharingTaskId: 'task-1', tenant: 't', status: 'initialized', trigger: 'scheduled', eventTime: `claimant-${claimant}`, startTime: new Date().toISOString() });

  it('gives one run per (task, occurrence) to exactly one of many concurrent claimants', async () => {
    for (let round = 0; round < 20; round++) {
      const id = `task-1-occurrence-${round}`;
      const results = await Promise.all(Array.from({ length: 8 }, (_, claimant) => stores.executions.claim(execution(id, claimant))));
      const winners = results.filter((r) => r.claimed);
      assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
      const winner = winners[0]!.execution.eventTime;
      assert.ok(results.every((r) => r.execution.eventTime === winner), 'the losers see the winner\'s execution');
    }
  });

  it('gives one delivery per (execution, channel, recipient) to exactly one of many concurrent senders', async () => {
    for (let round = 0; round < 20; round++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => stores.deliveries.claim(`exec-${round}`, i % 2 ? 'Bob@Example.com' : 'bob@example.com', 'email', new Date())),
      );
      assert.equal(results.filter((r) => r.claimed).length, 1, `round ${round}`);
    }
  });
});
