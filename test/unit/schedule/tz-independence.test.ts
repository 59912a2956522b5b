import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { computeCases } from './fixtures/schedule-cases';

describe('schedule: results do not depend on the process TZ', function () {
  this.timeout(60_000);

  it('a child process with TZ=Asia/Kolkata computes what this one does', () => {
    const output = execFileSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures', 'schedule-cases.ts')], {
      cwd: path.join(__dirname, '..', '..', '..'),
      env: { ...process.env, TZ: 'Asia/Kolkata' },
      encoding: 'utf8',
    });
    const child = JSON.parse(output) as { offsetMinutes: number; results: unknown };
    assert.equal(child.offsetMinutes, -330, 'the child really runs in Asia/Kolkata');
    assert.deepEqual(child.results, JSON.parse(JSON.stringify(computeCases())));
  });
});
