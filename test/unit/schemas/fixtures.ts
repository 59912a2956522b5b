import assert from 'node:assert/strict';
import type { z } from 'zod';
import { zodIssuesToProblems, type Problem } from '../../../src/sharing-tasks/validation';

/**
 * The create request of the reference's example (POST /v1/sharing-tasks), verbatim. Its
 * placeholders are not valid values: `templates: [{}]`, `userIds: [{}]`, `emailAddresses: [""]`.
 */
export function referenceCreateExample(): Record<string, any> {
  return {
    name: 'Example Sharing Task',
    tags: ['string'],
    type: 'chart-monitoring',
    state: { fields: [{}], queryItems: [{}], selections: [{}] },
    appName: 'string',
    enabled: true,
    message: 'Look at the presentation.',
    spaceId: 'string',
    subType: 'pdf',
    trigger: { recurrence: ['string'], chronosJobID: 'string', executeOnAppReload: true, executionHistoryInterval: 'minutely' },
    startTime: '2019-10-15T16:07:01.492Z',
    templates: [{}],
    expiration: '2019-10-15T16:07:01.492Z',
    recipients: { DLUsers: [], userIds: [{}], DLGroups: [], emailAddresses: [''] },
    description: 'string',
    emailContent: { body: 'report body string', subject: 'report subject' },
    retentionPolicy: { historySize: 10, overrideInterval: 'FREQ=DAILY;INTERVAL=1' },
    scheduleOptions: {
      timezone: 'Canada/Pacific',
      recurrence: ['RRULE:FREQ=HOURLY;INTERVAL=2'],
      endDateTime: '',
      chronosJobID: 'string',
      startDateTime: '2006-01-02T16:04:05',
      lastExecutionTime: '2020-11-20T12:00:55.000Z',
      nextExecutionTime: '2020-11-20T12:00:55.000Z',
    },
    dataConnectionID: 'string',
    sharePointFolder: 'string',
    executeOnCreation: true,
    transportChannels: ['email'],
    distributionListId: 'mpoXaH22_vLR1pStfI7oUdGya1nKK24',
  };
}

/** The reference's chart template (from its task example), with the language it requires but does not show. */
export function referenceChartTemplate(): Record<string, any> {
  return {
    type: 'chart',
    subType: 'image',
    fileName: 'string',
    fileAlias: 'string',
    fileTimeStamp: 'yyyy-MM-dd',
    chartData: {
      appId: 'bdf2efee-815e-4eb7-9e1e-c42d516baf29',
      jsOpts: { language: 'en' },
      outDpi: 96,
      outZoom: 1,
      patches: [],
      sheetId: 'bdf2efee-815e-4eb7-9e1e-asdfasdfasdf',
      widthPx: 1584,
      heightPx: 587,
      objectId: '167f3e67-ff3b-4ead-a09e-e8cc81d8ad78',
      objectDef: {},
    },
  };
}

/** The reference's example with its placeholders given real values (a chart template, one user, one address). */
export function referenceCreateRequest(): Record<string, any> {
  const request = referenceCreateExample();
  request.templates = [referenceChartTemplate()];
  request.recipients.userIds = [{ value: '1b263bs8m0mm_s21s3f' }];
  request.recipients.emailAddresses = ['alice@example.com'];
  return request;
}

export function problemsOf(schema: z.ZodType, input: unknown): Problem[] {
  const result = schema.safeParse(input);
  assert.equal(result.success, false, `expected ${JSON.stringify(input)?.slice(0, 200)} to be rejected`);
  return zodIssuesToProblems(result.error!);
}

/** Asserts the input is rejected with a problem naming `field` with `rule`. */
export function assertRejected(schema: z.ZodType, input: unknown, field: string, rule: string): Problem[] {
  const problems = problemsOf(schema, input);
  assert.ok(
    problems.some((problem) => problem.field === field && problem.rule === rule),
    `expected ${field} / ${rule}, got ${JSON.stringify(problems)}`,
  );
  return problems;
}

export function parsed<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  assert.ok(result.success, result.success ? '' : JSON.stringify(zodIssuesToProblems(result.error)));
  return result.data;
}
