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

  const claimant = (attempt: number, leaseMs = 60_000) => ({ attempt, now: new Date(), leaseMs });

  it('gives one delivery per (execution, channel, recipient) to exactly one of many concurrent senders', async () => {
    for (let round = 0; round < 20; round++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => stores.deliveries.claim(`exec-${round}`, i % 2 ? 'Bob@Example.com' : 'bob@example.com', 'email', claimant(i + 1))),
      );
      assert.equal(results.filter((r) => r.claimed).length, 1, `round ${round}`);
    }
  });

  it('gives an expired claim to exactly one of many concurrent takers; the others see the winner\'s claim', async () => {
    for (let round = 0; round < 20; round++) {
      const executionId = `exec-takeover-${round}`;
      const first = await stores.deliveries.claim(executionId, 'carol@example.com', 'email', claimant(1, -1));
      assert.ok(first.claimed);
      // Takers 2..9 all read the expired generation 0 and take over at once; some rounds twice over.
      let current = first.entry;
      for (const generation of round % 2 ? [1, 2] : [1]) {
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stores.deliveries.takeOver(current, claimant(i + 2, -1))));
        const winners = results.flatMap((r) => (r.claimed ? [r.entry] : []));
        assert.equal(winners.length, 1, `round ${round}, generation ${generation}: ${winners.length} takers won`);
        const winner = winners[0]!;
        assert.equal(winner.generation, generation);
        assert.ok(results.every((r) => r.claimed || (r.current._id === winner._id && r.current.attempt === winner.attempt)), 'the losers see the winner\'s claim');
        current = winner;
      }
      const [state] = await stores.deliveries.forExecution(executionId);
      assert.equal(state!._id, current._id, 'the ledger reads the newest generation as the delivery\'s state');
    }
  });

  it('reads a delivery as its newest generation, and retention removes every generation', async () => {
    const executionId = 'exec-generations';
    const first = await stores.deliveries.claim(executionId, 'dave@example.com', 'email', claimant(1));
    assert.ok(first.claimed);
    await stores.deliveries.release(first.entry._id);
    const released = await stores.deliveries.current(first.entry.key!);
    assert.equal(released!.state, 'released');
    const second = await stores.deliveries.takeOver(released!, claimant(2));
    assert.ok(second.claimed);
    await stores.deliveries.markDelivered(second.entry._id, new Date());
    const again = await stores.deliveries.claim(executionId, 'DAVE@example.com', 'email', claimant(3));
    assert.ok(!again.claimed && again.current.state === 'delivered' && again.current.generation === 1, JSON.stringify(again));
    assert.deepEqual((await stores.deliveries.forExecution(executionId)).map((entry) => [entry.generation, entry.state]), [[1, 'delivered']]);
    await stores.deliveries.deleteForExecutions([executionId]);
    assert.equal(await stores.deliveries.current(first.entry.key!), undefined);
  });
});
