import assert from 'node:assert/strict';
import { parsePrometheusText, samplesOf } from '../../support/prometheus-text';

const histogram = (buckets: [string, number][], count: number) =>
  [
    '# HELP run_seconds Time.',
    '# TYPE run_seconds histogram',
    ...buckets.map(([le, value]) => `run_seconds_bucket{le="${le}",trigger="scheduled"} ${value}`),
    `run_seconds_sum{trigger="scheduled"} 1.5`,
    `run_seconds_count{trigger="scheduled"} ${count}`,
  ].join('\n');

describe('the strict Prometheus text reader the metrics tests use', () => {
  it('reads families, types, labels (escapes too) and values', () => {
    const families = parsePrometheusText(
      ['# HELP a_total Things.', '# TYPE a_total counter', 'a_total{channel="email",note="say \\"hi\\"\\n"} 3', 'a_total{channel="sharepoint"} 1e3', ''].join('\n'),
    );
    assert.equal(families.get('a_total')?.type, 'counter');
    assert.deepEqual(samplesOf(families, 'a_total', { channel: 'email' }).map((s) => [s.labels.note, s.value]), [['say "hi"\n', 3]]);
    assert.equal(samplesOf(families, 'a_total', { channel: 'sharepoint' })[0]!.value, 1000);
    assert.equal(samplesOf(parsePrometheusText(histogram([['0.5', 1], ['+Inf', 2]], 2)), 'run_seconds_count')[0]!.value, 2);
  });

  for (const [what, text] of [
    ['a sample of no declared family', 'b 1'],
    ['a bad value', '# TYPE b gauge\nb one'],
    ['a bad label', '# TYPE b gauge\nb{x=1} 1'],
    ['a series twice', '# TYPE b gauge\nb{x="1"} 1\nb{x="1"} 2'],
    ['buckets that go down', histogram([['0.5', 3], ['+Inf', 2]], 2)],
    ['no +Inf bucket', histogram([['0.5', 1]], 1)],
    ['a _count that is not the +Inf bucket', histogram([['0.5', 1], ['+Inf', 2]], 3)],
  ] as const) {
    it(`refuses ${what}`, () => assert.throws(() => parsePrometheusText(text)));
  }
});
