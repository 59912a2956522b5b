import assert from 'node:assert/strict';
import { SettingsPatchSchema, SettingsPutSchema, SettingsSchema } from '../../../src/sharing-tasks/schemas';
import { assertRejected, parsed } from './fixtures';

describe('settings schemas', () => {
  it('Settings: the reference GET example', () => {
    const example = {
      tenantId: 'cgdsAumGmQ6l0Bi7CUKt9V8P_Y9GL0sC',
      maxRecipients: 200,
      'enable-sharing': true,
      reportSubscriptionStatus: 'disabling',
      maxSubscriptionRecipients: 42,
      'enable-report-subscription': true,
      'reporting-service-license-status': 'enabled',
      reportSubscriptionStatusChangeTime: '2020-09-02T13:44:33Z',
      reportingTemplateSubscriptionStatus: 'disabling',
      'enable-reporting-template-subscription': true,
      reportingTemplateSubscriptionStatusChangeTime: '2020-09-02T13:44:33Z',
    };
    assert.deepEqual(parsed(SettingsSchema, example), example);
    assertRejected(SettingsSchema, { ...example, reportSubscriptionStatus: 'paused' }, 'reportSubscriptionStatus', 'invalid_enum');
  });

  it('PATCH: the reference example, replace only, on the three toggles, with booleans', () => {
    const example = ['/enable-sharing', '/enable-report-subscription', '/enable-reporting-template-subscription'].flatMap((path) => [
      { op: 'replace', path, value: true },
      { op: 'replace', path, value: false },
    ]);
    assert.equal(parsed(SettingsPatchSchema, example).length, 6);
    assertRejected(SettingsPatchSchema, [{ op: 'remove', path: '/enable-sharing' }], '[0].op', 'invalid_enum');
    assertRejected(SettingsPatchSchema, [{ op: 'replace', path: '/maxRecipients', value: 5 }], '[0].path', 'invalid_enum');
    assertRejected(SettingsPatchSchema, [{ op: 'replace', path: '/enable-sharing', value: 'true' }], '[0].value', 'invalid_type');
    assertRejected(SettingsPatchSchema, [{ path: '/enable-sharing', value: true }], '[0].op', 'required');
  });

  it('PUT: the reference example; maxRecipients 1..1000', () => {
    assert.deepEqual(parsed(SettingsPutSchema, { maxRecipients: 200, 'enable-sharing': true }), { maxRecipients: 200, 'enable-sharing': true });
    assertRejected(SettingsPutSchema, { maxRecipients: 0 }, 'maxRecipients', 'too_small');
    assertRejected(SettingsPutSchema, { maxRecipients: 1001 }, 'maxRecipients', 'too_big');
    assertRejected(SettingsPutSchema, { maxRecipients: 10.5 }, 'maxRecipients', 'invalid_type');
  });

  it('PUT: rejects unknown keys, one problem per key (not silently dropped)', () => {
    const problems = assertRejected(SettingsPutSchema, { 'enable-sharing': true, 'enable-report-subscription': false, maxRecipient: 5 }, 'maxRecipient', 'unrecognized');
    assert.deepEqual(problems.map((p) => p.field).sort(), ['enable-report-subscription', 'maxRecipient']);
  });
});
