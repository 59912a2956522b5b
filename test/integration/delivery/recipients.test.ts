import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBouncingSmtp, type TestSmtp } from '../../support/bouncing-smtp';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, TestService } from '../../support/service';

interface RecipientResult {
  recipient: string;
  channel: string;
  status: string;
  error?: { code: string };
}

/** Recipients by user and group id, resolved through the tenant's directory; what cannot be reached is reported. */
describe('recipients from the directory', function () {
  this.timeout(90_000);
  const tenant = 'tenant-directory';
  let smtp: TestSmtp;
  let service: TestService;
  let token: string;

  before(async () => {
    smtp = await startBouncingSmtp(() => false);
    service = await TestService.start({ SMTP_PORT: String(smtp.port) });
    token = service.token({ tenant, userId: 'owner' });
  });
  after(async () => {
    await service?.stop();
    await smtp?.stop();
  });

  const importDirectory = (directory: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'directory-')), 'directory.json');
    writeFileSync(file, JSON.stringify(directory));
    return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import-directory.ts', '--tenant', tenant, '--file', file], {
      encoding: 'utf8',
      env: { ...process.env, MONGODB_URI: service.config.mongo.uri, MONGODB_DB: service.config.mongo.dbName },
    });
  };

  const runOnce = async (taskId: string, after?: string) => {
    await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: taskId });
    return eventually(async () => {
      const latest = await service.request(token, 'GET', `/api/v1/sharing-tasks/${taskId}/executions/latest`);
      return latest.status === 200 && latest.body.endTime && latest.body.id !== after ? latest.body : undefined;
    }, 30_000, 'the run to end');
  };

  it('refuses a directory file that breaks its schema, naming the entry', () => {
    const result = importDirectory({ users: [{ id: 'x', email: 'not-an-address' }] });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /users\.0\.email/);
  });

  it('mails users recorded from their tokens and imported group members once each, and reports the rest', async () => {
    // bob is known because he called the API with a token that names his e-mail
    const bob = service.token({ tenant, userId: 'bob', userName: 'Bob', email: 'bob-dir@example.com' });
    assert.equal((await service.request(bob, 'GET', '/api/v1/sharing-tasks')).status, 200);
    const imported = importDirectory({
      users: [
        { id: 'carol', name: 'Carol', email: 'carol-dir@example.com' },
        { id: 'dave', email: 'dave-dir@example.com', enabled: false },
        { id: 'erin', name: 'Erin without mail' },
      ],
      groups: [{ id: 'team', name: 'Team', members: ['carol', 'bob', 'erin', 'frank'] }],
    });
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /imported 3 users and 1 groups/);

    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
      recipients: { emailAddresses: ['ext-dir@example.com'], userIds: ['bob', 'dave', 'ghost'], groupIds: ['team', 'nogroup'] },
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const run = await runOnce(created.body.id);

    assert.equal(run.status, 'successful');
    assert.deepEqual([...smtp.accepted].sort(), ['bob-dir@example.com', 'carol-dir@example.com', 'ext-dir@example.com']);
    assert.equal(run.totalCount, 3);
    assert.equal(run.successCount, 3);
    const skipped = (run.recipients as RecipientResult[])
      .filter((result) => result.status === 'skipped')
      .map((result) => `${result.recipient}:${result.error?.code}`)
      .sort();
    assert.deepEqual(skipped, [
      'dave:RECIPIENT_DISABLED',
      'erin:USER_WITHOUT_EMAIL',
      'frank:USER_NOT_FOUND',
      'ghost:USER_NOT_FOUND',
      'nogroup:GROUP_NOT_FOUND',
    ]);
    assert.ok(run.errors.some((error: { code: string; recipient?: string }) => error.code === 'GROUP_NOT_FOUND' && error.recipient === 'nogroup'));
  });

  it('sends to no more than the tenant\'s maxRecipients, reporting who was left out', async () => {
    const created = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest({
      recipients: { emailAddresses: ['one-max@example.com', 'two-max@example.com', 'three-max@example.com'] },
      scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] },
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const admin = service.token({ tenant, userId: 'admin', roles: ['TenantAdmin'] });
    const lowered = await service.request(admin, 'PUT', '/api/v1/sharing-tasks/settings', { 'enable-sharing': true, maxRecipients: 2 });
    assert.equal(lowered.status, 204, JSON.stringify(lowered.body));

    const run = await runOnce(created.body.id);
    assert.equal(run.successCount, 2);
    const left = (run.recipients as RecipientResult[]).filter((result) => result.status === 'skipped');
    assert.deepEqual(left.map((result) => [result.recipient, result.error?.code]), [['three-max@example.com', 'MAX_RECIPIENTS_EXCEEDED']]);
    assert.ok(!smtp.accepted.includes('three-max@example.com'));
  });
});
