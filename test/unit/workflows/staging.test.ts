import assert from 'node:assert/strict';
import { sizingLeadMs, stagingLeadMs, stagingWindowMs } from '../../../workflows/definitions';
import type { StagingPolicy } from '../../../src/contract/task-workflow';

const policy: StagingPolicy = { minLeadMs: 15_000, windowMs: 60_000, ratePerSecond: 10, maxWindowMs: 600_000 };
const DAY = 86_400_000;

describe('staging window sized by the runs due together', () => {
  it('is the policy window for few runs, grows at the policy rate, and stops at the largest window', () => {
    assert.equal(stagingWindowMs(policy, 0), 60_000);
    assert.equal(stagingWindowMs(policy, 500), 60_000, '500 runs at 10/s fit the 60 s window');
    assert.equal(stagingWindowMs(policy, 2_000), 200_000, '2,000 runs at 10/s need 200 s');
    assert.equal(stagingWindowMs(policy, 100_000), 600_000);
    assert.equal(stagingWindowMs({ minLeadMs: 0, windowMs: 60_000 }, 2_000), 60_000, 'no rate: a fixed window');
  });

  it('spreads 2,000 daily runs over the sized window, about evenly', () => {
    const leads = Array.from({ length: 2_000 }, (_, i) => stagingLeadMs(policy, `task-${i}`, '2026-12-03T08:00:00.000Z', DAY, 2_000));
    assert.ok(leads.every((lead) => lead >= 15_000 && lead < 215_000), 'within lead + window');
    const perTwentySeconds = new Array(10).fill(0);
    for (const lead of leads) perTwentySeconds[Math.floor((lead - 15_000) / 20_000)]++;
    // 10/s → ~200 per 20 s slice; FNV over ids is not perfectly even, but no slice is a herd.
    assert.ok(perTwentySeconds.every((n) => n > 120 && n < 280), JSON.stringify(perTwentySeconds));
  });

  it('counts before the earliest of them may stage, each task at its own point, unless the gap is too short', () => {
    const lead = sizingLeadMs(policy, 'task-1', '2026-12-03T08:00:00.000Z', DAY)!;
    assert.ok(lead >= 15_000 + 600_000 && lead < 15_000 + 600_000 + 300_000, String(lead));
    assert.notEqual(sizingLeadMs(policy, 'task-2', '2026-12-03T08:00:00.000Z', DAY), lead, 'another task counts at another time');
    assert.equal(sizingLeadMs(policy, 'task-1', '2026-12-03T08:00:00.000Z', 60_000), undefined, 'a minutely task does not count');
    assert.equal(sizingLeadMs({ minLeadMs: 15_000, windowMs: 60_000 }, 'task-1', '2026-12-03T08:00:00.000Z', DAY), undefined, 'no rate, no count');
  });
});
