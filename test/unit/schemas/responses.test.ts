import assert from 'node:assert/strict';
import { ValidationError } from '../../../src/errors';
import {
  ErrorResponseSchema,
  ExecutionHistoryIntervalSchema,
  ExecutionListResponseSchema,
  ExecutionSchema,
  ExecutionStatusSchema,
  ExecutionTriggerSchema,
  FeatureStatusSchema,
  FileTimeStampSchema,
  MultiInsightStatusSchema,
  ResizeTypeSchema,
  RoleSchema,
  SharingTaskListResponseSchema,
  SharingTaskResponseSchema,
  SharingTaskSortSchema,
  TASK_STATUS_CODES,
  TaskSubTypeSchema,
  TaskTypeSchema,
  TemplateSubTypeSchema,
  TemplateTypeSchema,
  TransportChannelSchema,
} from '../../../src/sharing-tasks/schemas';
import { assertRejected, parsed, referenceChartTemplate } from './fixtures';

const when = '2019-10-15T16:07:01.492Z';

/** The reference's GET task example (placeholders filled: the chart's language, which it requires but does not show). */
function referenceTaskExample(): Record<string, any> {
  const { chartData } = referenceChartTemplate();
  const sheet = { appId: 'bdf2efee', jsOpts: {}, sheetId: '39a671a', widthPx: 1584, heightPx: 587, isPrivate: false, sheetName: 'My new sheet', jsOptsById: {}, patchesById: {} };
  return {
    id: 'string', name: 'string', tags: ['string'], type: 'chart-monitoring', appId: 'string', owner: 'pXVNKqotgEMwbKwhz2agPE4yFelnPcWO',
    state: { fields: [{}], queryItems: [{}], selections: [{ name: 'string', values: ['string'], isNumeric: true, stateName: 'string', displayName: 'string', displayValues: ['string'] }] },
    tenant: '_mpoXaH22_vLR1pStfI7oUdGya1nKK24', appName: 'string', lastRun: when, message: 'Look at the presentation.', spaceId: 'string', subType: 'pdf',
    trigger: { recurrence: ['string'], chronosJobID: 'string', executeOnAppReload: true, executionHistoryInterval: 'minutely' },
    createdBy: 'string', insightID: 'string', ownerName: 'Harley Kiffe', startTime: when,
    templates: [
      {
        type: 'file', subType: 'image', fileName: 'string', chartData, fileAlias: 'string', sheetData: sheet,
        storyData: { appId: 'bdf2efee', storyId: '39a671a' }, templateId: 'da5825325dc9a0dd0260af9', fileTimeStamp: 'yyyy-MM-dd',
        multiSheetData: [{ ...sheet, resizeType: 'none' }],
      },
    ],
    thumbnail: 'string', updatedBy: 'string', expiration: when,
    recipients: {
      DLUsers: [],
      userIds: [{ value: '1b263bs8m0mm_s21s3f', groups: ['string'], subscribed: true, enabledByUser: true, enabledBySystem: true, taskRecipientErrors: [{}], alertingTaskRecipientErrors: [{}] }],
      DLGroups: [],
      groupIds: [{ value: 'group1', enabledByUser: true, enabledBySystem: true, taskGroupRecipientErrors: [{}], alertingTaskGroupRecipientErrors: [{}] }],
      emailAddresses: [{ value: '', enabled: true, taskRecipientErrors: [{}] }],
    },
    statusCode: 'CHART_NOT_FOUND', taskErrors: [{ value: 'OWNER_DISABLED', timestamp: when }], templateId: 'da5825325dc9a0dd0260af9',
    dateCreated: when, description: 'string', lastUpdated: when, statusLabel: 'string',
    emailContent: { body: 'report body string', subject: 'report subject' }, enabledByUser: true, encryptedState: { cipher: 'string' },
    byokMigrationId: 'string', enabledBySystem: true, retentionPolicy: { historySize: 10, overrideInterval: 'FREQ=DAILY;INTERVAL=1' },
    scheduleOptions: {
      timezone: 'Canada/Pacific', recurrence: ['string'], endDateTime: '', chronosJobID: 'string', startDateTime: '2006-01-02T16:04:05',
      lastExecutionTime: '2020-11-20T12:00:55.000Z', nextExecutionTime: '2020-11-20T12:00:55.000Z',
    },
    selectionErrors: {}, dataConnectionID: 'string', hasSectionAccess: true, insightDirectURL: 'string',
    multiInsightURLs: [{ status: 'successful', directURL: 'string', insightID: 'string', resourceID: 'string', templateID: 'string', fallbackURL: 'string' }],
    nextScheduledRun: when, reportProperties: {}, sharePointFolder: 'string', executeOnCreation: true, lastExecutionDate: '2019-10-15T16:09:01.492Z',
    transportChannels: ['email'], distributionListId: 'vXVNKqotgEMwbKwhz2agPE4yFelnPcWX', encryptedTemplates: { cipher: 'string' }, insightFallbackURL: 'string',
    encryptedEmailContent: { body: { cipher: 'string' }, subject: { cipher: 'string' } }, failedExecutionsCount: 42, failedVerificationsCount: 42,
    isCandidateForVerification: true, persistentBookmarkIncludeVariables: true,
    links: { self: { href: 'http://localhost:8787/v1/items/5da5825325dc9a0dd0260af9' } }, enabled: true, latestExecutionURL: 'string', latestExecutionFilesURL: [],
  };
}

function execution(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'e1', sharingTaskId: 't1', tenant: 'tenant', status: 'successful', trigger: 'scheduled', eventTime: when, startTime: when, endTime: when,
    files: [{ type: 'pdf', fileID: 'f1', fileAlias: 'sales', templateId: 'tpl', fileName: 'sales.pdf', contentType: 'application/pdf', size: 1024 }],
    totalCount: 1, successCount: 1, failedCount: 0, cancelledCount: 0, errors: [],
    recipients: [{ recipient: 'alice@example.com', channel: 'email', status: 'delivered' }],
    workflowID: 'sharing-task-tenant-t1-run-x', links: { self: { href: 'http://x/executions/e1' } },
    ...changes,
  };
}

describe('response shapes', () => {
  it('SharingTaskResponse: every field of the reference task example, its persisted recipients and schedule', () => {
    const task = parsed(SharingTaskResponseSchema, referenceTaskExample());
    assert.equal(task.scheduleOptions?.chronosJobID, 'string');
    assert.equal(task.recipients.userIds[0]!.enabledBySystem, true);
    assert.equal(task.multiInsightURLs?.[0]?.status, 'successful');
  });

  it('SharingTaskResponse: statusCode takes codes added later, but the service fields are required', () => {
    parsed(SharingTaskResponseSchema, { ...referenceTaskExample(), statusCode: 'A_CODE_FROM_THE_FUTURE' });
    const { enabledBySystem: _, ...withoutFlag } = referenceTaskExample();
    assertRejected(SharingTaskResponseSchema, withoutFlag, 'enabledBySystem', 'required');
    assertRejected(SharingTaskResponseSchema, { ...referenceTaskExample(), links: {} }, 'links.self', 'required');
  });

  it('lists: the page shape of tasks and executions', () => {
    const links = { self: { href: 'http://x?limit=1' }, next: { href: 'http://x?page=abc', type: 'next', token: 'abc' } };
    parsed(SharingTaskListResponseSchema, { totalCount: 2, currentPageCount: 1, links, sharingTasks: [referenceTaskExample()] });
    parsed(ExecutionListResponseSchema, { totalCount: 1, currentPageCount: 1, links, executions: [execution()] });
    assertRejected(SharingTaskListResponseSchema, { totalCount: 2, currentPageCount: 1, links: { self: { href: 'x' }, prev: { href: 'y', type: 'back' } }, sharingTasks: [] }, 'links.prev.type', 'invalid_enum');
  });

  it('Execution: a run with its files, counts and delivery results', () => {
    parsed(ExecutionSchema, execution({ trigger: 'catch-up', missedOccurrences: 3, totalUploadCount: 1, successUploadCount: 0, failedUploadCount: 1 }));
    assertRejected(ExecutionSchema, execution({ status: 'done' }), 'status', 'invalid_enum');
    assertRejected(ExecutionSchema, execution({ trigger: 'manual' }), 'trigger', 'invalid_enum');
    assertRejected(ExecutionSchema, execution({ files: [{ type: 'pdf', fileAlias: 'a' }] }), 'files[0].fileID', 'required');
  });

  it('ErrorResponse: what the API\'s error mapper produces for a validation error', () => {
    const error = new ValidationError([{ field: 'templates[0].chartData.widthPx', rule: 'required', message: 'is required' }]);
    const body = parsed(ErrorResponseSchema, { errors: error.toItems(), traceId: 't' });
    assert.deepEqual(body.errors[0]!.meta, { httpCode: 400, field: 'templates[0].chartData.widthPx', rule: 'required' });
    assertRejected(ErrorResponseSchema, { errors: [{ code: 'HTTP-400' }] }, 'errors[0].title', 'required');
  });
});

describe('enums: exactly the reference\'s values', () => {
  const cases: [string, readonly string[], string[]][] = [
    ['task type', TaskTypeSchema.options, ['chart-monitoring', 'chart-sharing', 'sheet-sharing', 'template-sharing']],
    ['task subType', TaskSubTypeSchema.options, ['pdf', 'pptx', 'xlsx']],
    ['template type', TemplateTypeSchema.options, ['file', 'chart', 'story', 'sheet', 'multi-sheet', 'excel']],
    ['template subType', TemplateSubTypeSchema.options, ['image', 'snapshot', 'pdf', 'pptx', 'xlsx']],
    ['fileTimeStamp', FileTimeStampSchema.options, ['yyyy-MM-dd', 'yyyy-MM-dd_HH-mm', 'yyyyMMdd', 'yyyyMMdd_HH-mm']],
    ['transportChannels', TransportChannelSchema.options, ['email', 'sharepoint']],
    ['executionHistoryInterval', ExecutionHistoryIntervalSchema.options, ['minutely', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly']],
    ['resizeType', ResizeTypeSchema.options, ['none', 'fit', 'autofit']],
    ['role', RoleSchema.options, ['owner', 'recipient']],
    ['execution status', ExecutionStatusSchema.options, ['initialized', 'in-progress', 'successful', 'failed', 'cancelling', 'cancelled', 'invalid']],
    ['execution trigger', ExecutionTriggerSchema.options, ['scheduled', 'execute-now', 'creation', 'app-reload', 'catch-up']],
    ['multiInsight status', MultiInsightStatusSchema.options, ['successful', 'failed']],
    ['settings status', FeatureStatusSchema.options, ['none', 'enabling', 'disabling']],
    [
      'list sort',
      SharingTaskSortSchema.options,
      ['-datecreated', 'datecreated', '+datecreated', '-name', 'name', '+name', '-ownername', 'ownername', '+ownername', '-enabled', 'enabled', '+enabled', '-status', 'status', '+status', '-type', 'type', '+type', '-sent', 'sent', '+sent', '-scheduled', 'scheduled', '+scheduled', '-appname', 'appname', '+appname', '-appid', 'appid', '+appid'],
    ],
  ];
  for (const [what, actual, reference] of cases) {
    it(what, () => assert.deepEqual([...actual].sort(), [...reference].sort()));
  }

  it('task status codes include the reference\'s and the product\'s', () => {
    for (const code of ['CHART_NOT_FOUND', 'OWNER_DISABLED', 'DELETING', 'OK', 'CANCELLED', 'COMPLETED', 'MAX_FAILURES_REACHED', 'EXECUTION_TIME_OUT']) {
      assert.ok((TASK_STATUS_CODES as readonly string[]).includes(code), code);
    }
  });
});
