import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { TestService } from '../../support/service';

/** The README's block of the reference's requests, exactly as a user pastes it. */
function referenceExamples(): string {
  const readme = readFileSync('README.md', 'utf8');
  const block = /<!-- reference-examples[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has the reference-examples block');
  return block[1]!;
}

describe('the README\'s curl examples of the reference\'s requests', function () {
  this.timeout(60_000);
  let service: TestService;
  before(async () => {
    service = await TestService.start();
  });
  after(() => service?.stop());

  it('all succeed against a running service, creating and finally deleting one task', async () => {
    const script = referenceExamples();
    // Asynchronously: the API answering the script runs in this very process.
    const result = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      encoding: 'utf8',
      env: { ...process.env, BASE: `${service.api.url}/api/v1`, JWT_SECRET: service.config.auth.jwtSecret },
    });
    const id = /^created (\S+)$/m.exec(result.stdout)?.[1];
    assert.ok(id && id !== 'null', result.stdout);
    assert.match(result.stdout, new RegExp(`^deleted ${id}$`, 'm'));
    assert.match(result.stdout, /"name": "new name"|"statusCode"/);
    const settings = await service.stores.settings.find('acme');
    assert.equal(settings?.maxRecipients, 200, 'the PUT reached the tenant\'s settings');
    const task = await service.stores.tasks.get('acme', id);
    assert.ok(task === undefined || task.statusCode === 'DELETING', 'the task is gone or going');
  });
});
