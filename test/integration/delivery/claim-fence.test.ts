import assert from 'node:assert/strict';
import { FileLinkSigner } from '../../../src/auth/file-link-signature';
import type { Clock } from '../../../src/clock';
import { EmailSender } from '../../../src/deliver/email';
import { RunMetrics } from '../../../src/metrics/run-metrics';
import { DeliveryService } from '../../../src/runs/delivery-service';
import { FileLinks } from '../../../src/runs/file-links';
import type { RunContext } from '../../../src/runs/run-performer';
import { newExecution } from '../../../src/sharing-tasks/execution-record';
import { createMongo, createStores, DeliveryLedger, ensureIndexes, type Stores } from '../../../src/store';
import { startBouncingSmtp, type TestSmtp, type TestSmtpOptions } from '../../support/bouncing-smtp';
import { testConfig } from '../../support/env';

const HEARTBEAT_TIMEOUT_MS = 10_000;

/** A clock that jumps `pauseMs` after its first reading (the claim's time): the process froze right after it claimed. */
function clockFrozenAfterClaim(pauseMs: number): Clock {
  let readings = 0;
  return { now: () => new Date(Date.now() + (readings++ > 0 ? pauseMs : 0)) };
}

function attemptContext(attempt: number, signal = new AbortController().signal): RunContext {
  return {
    heartbeat: () => undefined,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    signal,
    attempt,
    heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
  };
}

/** The real database and a real SMTP server, opened before the describe's tests and closed after. */
function deliveryFixture(smtpOptions: TestSmtpOptions = {}) {
  const fixture = {} as {
    stores: Stores;
    smtp: TestSmtp;
    email: EmailSender;
    close: () => Promise<void>;
    serviceFor: (executionId: string, clock?: Clock) => Promise<DeliveryService>;
  };
  before(async () => {
    const config = testConfig();
    const mongo = createMongo(config.mongo);
    fixture.stores = createStores(mongo.db);
    await ensureIndexes(fixture.stores);
    fixture.smtp = await startBouncingSmtp(() => false, smtpOptions);
    fixture.email = new EmailSender({ ...config.smtp, port: fixture.smtp.port, timeoutMs: 5_000 });
    fixture.close = () => mongo.client.close();
  });
  after(async () => {
    fixture.email?.close();
    await fixture.smtp?.stop();
    await fixture.close?.();
  });
  /** A delivery service over the fixture, with an execution `executionId` in progress to deliver. */
  fixture.serviceFor = async (executionId: string, clock: Clock = { now: () => new Date() }) => {
    await fixture.stores.executions.claim(
      newExecution(
        { id: executionId, sharingTaskId: 'task-1', tenant: 't', status: 'in-progress', trigger: 'execute-now', eventTime: executionId, startTime: new Date().toISOString() },
        { snapshot: { name: 'Report', timezone: 'UTC', templates: [], historySize: 10 } },
      ),
    );
    const links = new FileLinks('http://127.0.0.1', new FileLinkSigner({ secret: 'a-secret-of-sixteen-chars', ttlSeconds: 3600 }));
    return new DeliveryService(fixture.stores, { email: fixture.email }, links, clock, new RunMetrics(), 5_000);
  };
  return fixture;
}

/**
 * The holder's own fence, on the real database and a real SMTP server: a claim older than half the
 * heartbeat timeout when its send would begin is not sent under (the engine may have given the
 * attempt up, and the lease no longer covers a whole send), and it is released for the retry.
 */
describe('a delivery whose claim went stale before its send', function () {
  this.timeout(60_000);
  const fixture = deliveryFixture();

  async function deliver(clock: Clock, executionId: string) {
    const deliveries = await fixture.serviceFor(executionId, clock);
    return deliveries.deliverByEmail(executionId, 'stale@example.com', attemptContext(1));
  }

  it('sends at once under a fresh claim', async () => {
    const result = await deliver(clockFrozenAfterClaim(0), 'exec-fresh');
    assert.equal(result.status, 'delivered');
    assert.deepEqual(fixture.smtp.accepted, ['stale@example.com']);
  });

  it('does not send under a claim that aged past half the heartbeat timeout, and releases it', async () => {
    const before = fixture.smtp.connections.length;
    await assert.rejects(deliver(clockFrozenAfterClaim(HEARTBEAT_TIMEOUT_MS / 2 + 1_000), 'exec-stale'), /past half the heartbeat timeout/);
    assert.equal(fixture.smtp.connections.length, before, 'no SMTP connection was opened');
    const entry = await fixture.stores.deliveries.current(DeliveryLedger.key('exec-stale', 'stale@example.com', 'email'));
    assert.equal(entry?.state, 'released');
  });
});

/**
 * The window a retry opens on a send in flight, on the real database and a real SMTP server: the
 * engine gives an attempt up (a missed heartbeat, a cancel) while its message is on the wire, and
 * the retry is already waiting on the attempt's claim. The message has reached the server, which
 * may deliver it whatever happens to the connection now; so the send runs to the server's answer
 * and is recorded, and the retry finds it delivered instead of sending it again.
 */
describe('an attempt given up while its message waits for the server\'s answer', function () {
  this.timeout(60_000);
  const recipient = 'on-the-wire@example.com';
  const executionId = 'exec-on-the-wire';
  const givenUp = new AbortController();
  // The first message is answered 1.5 s after its data arrived, and the engine gives its attempt up meanwhile.
  const fixture = deliveryFixture({
    acceptDelayMs: (index) => (index === 0 ? 1_500 : 0),
    afterData: (index) => index === 0 && givenUp.abort(new Error('the engine gave this attempt up')),
  });

  it('finishes the send and records it, and the retry sends nothing', async () => {
    const deliveries = await fixture.serviceFor(executionId);
    const first = deliveries.deliverByEmail(executionId, recipient, attemptContext(1, givenUp.signal));
    first.catch(() => undefined); // given up, it may report so; what it sent is what counts
    await new Promise<void>((resolve) => givenUp.signal.addEventListener('abort', () => resolve()));
    const retry = await deliveries.deliverByEmail(executionId, recipient, attemptContext(2));
    await first.catch(() => undefined);

    assert.deepEqual(fixture.smtp.received, [recipient], 'the message reached the server once');
    assert.equal(fixture.smtp.abandoned.length, 0, 'the given-up attempt did not hang up on its message');
    assert.equal(retry.status, 'delivered');
    const entry = await fixture.stores.deliveries.current(DeliveryLedger.key(executionId, recipient, 'email'));
    assert.equal(entry?.state, 'delivered');
    assert.equal(entry?.attempt, 1, 'the delivery is the first attempt\'s');
  });
});
