import assert from 'node:assert/strict';
import { reportFileName } from '../../../src/render/file-name';

describe('report file names', () => {
  const at = new Date('2026-03-29T00:30:00Z'); // 01:30 in Paris (CET) — the day summer time starts

  it('stamp the time in the task zone with the template pattern', () => {
    assert.equal(reportFileName({ baseName: 'sales', fileTimeStamp: 'yyyy-MM-dd_HH-mm', timezone: 'Europe/Paris', at, extension: 'pdf' }), 'sales_2026-03-29_01-30.pdf');
    assert.equal(reportFileName({ baseName: 'sales', fileTimeStamp: 'yyyyMMdd', timezone: 'America/New_York', at, extension: 'pdf' }), 'sales_20260328.pdf');
  });

  it('leave the name plain without a pattern and strip characters file systems refuse', () => {
    assert.equal(reportFileName({ baseName: 'Q1: a/b', timezone: 'UTC', at, extension: 'xlsx' }), 'Q1_ a_b.xlsx');
    assert.equal(reportFileName({ baseName: '  ', timezone: 'UTC', at, extension: 'png' }), 'report.png');
  });
});
