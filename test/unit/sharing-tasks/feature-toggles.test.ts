import assert from 'node:assert/strict';
import { featureOf, SUBSCRIPTION_FEATURES, typesGovernedBy } from '../../../src/sharing-tasks/feature-toggles';
import { TaskTypeSchema } from '../../../src/sharing-tasks/schemas';

describe('which subscription feature governs which tasks', () => {
  it('template-sharing tasks are reporting-template subscriptions; chart, sheet and monitoring tasks report subscriptions', () => {
    assert.deepEqual(typesGovernedBy('enable-reporting-template-subscription'), ['template-sharing']);
    assert.deepEqual(typesGovernedBy('enable-report-subscription').sort(), ['chart-monitoring', 'chart-sharing', 'sheet-sharing']);
  });

  it('every task type is governed by exactly one feature, the one featureOf names', () => {
    const governed = SUBSCRIPTION_FEATURES.flatMap((feature) => typesGovernedBy(feature).map((type) => [type, feature] as const));
    assert.deepEqual(governed.map(([type]) => type).sort(), [...TaskTypeSchema.options].sort());
    for (const [type, feature] of governed) assert.equal(featureOf(type), feature);
  });
});
