import assert from 'node:assert/strict';
import { SharingTaskCreateRequestSchema } from '../../../src/sharing-tasks/schemas';
import { assertRejected, parsed, problemsOf, referenceChartTemplate, referenceCreateExample, referenceCreateRequest } from './fixtures';

const schema = SharingTaskCreateRequestSchema;

/** The reference request with some fields replaced (undefined removes one). */
function requestWith(overrides: Record<string, unknown>): Record<string, unknown> {
  const request = { ...referenceCreateRequest(), ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete request[key];
  return request;
}

const chartData = () => referenceChartTemplate().chartData;
const sheets = (count: number) => Array.from({ length: count }, (_, i) => ({ appId: 'app', sheetId: `sheet-${i}` }));

describe('SharingTaskCreateRequestSchema', () => {
  it('accepts the reference example once its placeholders hold real values', () => {
    const task = parsed(schema, referenceCreateRequest());
    assert.equal(task.name, 'Example Sharing Task');
    assert.equal(task.templates[0]!.chartData!.widthPx, 1584);
    assert.deepEqual(task.recipients.userIds, ['1b263bs8m0mm_s21s3f']);
    assert.deepEqual(task.scheduleOptions?.recurrence, ['RRULE:FREQ=HOURLY;INTERVAL=2']);
  });

  it('rejects the verbatim reference example exactly on its placeholders', () => {
    const problems = problemsOf(schema, referenceCreateExample());
    assert.deepEqual(
      problems.map((p) => `${p.field} ${p.rule}`).sort(),
      ['recipients.emailAddresses[0] invalid_format', 'recipients.userIds[0] invalid_type', 'templates[0].type required'],
    );
  });

  it('strips read-only and unknown fields, also nested ones, instead of storing them', () => {
    const task = parsed(
      schema,
      requestWith({ id: 'forged', tenant: 't', owner: 'mallory', statusCode: 'OK', failedExecutionsCount: 3, lastRun: '2020-01-01T00:00:00Z', links: {}, whatever: 1 }),
    ) as Record<string, any>;
    for (const key of ['id', 'tenant', 'owner', 'statusCode', 'failedExecutionsCount', 'lastRun', 'links', 'whatever']) assert.equal(key in task, false, key);
    assert.deepEqual(Object.keys(task.scheduleOptions).sort(), ['endDateTime', 'recurrence', 'startDateTime', 'timezone']);
    assert.equal('chronosJobID' in task.trigger, false);
  });

  it('normalises recipients given as GET returns them ({value, ...}) to ids and addresses', () => {
    const task = parsed(
      schema,
      requestWith({
        recipients: {
          userIds: ['u1', { value: 'u2', groups: ['addedIndividually'], enabledByUser: true }],
          groupIds: [{ value: 'g1', enabledBySystem: true }],
          emailAddresses: [{ value: 'bob@example.com', enabled: true }],
        },
      }),
    );
    assert.deepEqual(task.recipients, { userIds: ['u1', 'u2'], groupIds: ['g1'], emailAddresses: ['bob@example.com'] });
  });

  it('reads a chart language from chartData.language or chartData.jsOpts.language, and requires one', () => {
    const withLanguage = { ...chartData(), jsOpts: {}, language: 'fr' };
    parsed(schema, requestWith({ templates: [{ type: 'chart', chartData: withLanguage }] }));
    parsed(schema, requestWith({ templates: [{ type: 'chart', chartData: { ...chartData(), jsOpts: { language: 'de' } } }] }));
    assertRejected(schema, requestWith({ templates: [{ type: 'chart', chartData: { ...chartData(), jsOpts: {} } }] }), 'templates[0].chartData.language', 'required');
  });

  it('requires the data object of each template type, and takes null for the unused ones', () => {
    for (const [type, field] of [['chart', 'chartData'], ['sheet', 'sheetData'], ['story', 'storyData'], ['multi-sheet', 'multiSheetData']]) {
      assertRejected(schema, requestWith({ templates: [{ type }] }), `templates[0].${field}`, 'required');
    }
    const template = parsed(schema, requestWith({ templates: [{ type: 'sheet', sheetData: { appId: 'a', sheetId: 's' }, chartData: null, storyData: null }] })).templates[0]!;
    assert.equal(template.chartData, undefined);
    assert.equal(template.sheetData?.sheetId, 's');
  });

  it('accepts a multi-sheet template of 1 to 10 sheets', () => {
    parsed(schema, requestWith({ templates: [{ type: 'multi-sheet', subType: 'pdf', multiSheetData: sheets(10) }] }));
    assertRejected(schema, requestWith({ templates: [{ type: 'multi-sheet', multiSheetData: [] }] }), 'templates[0].multiSheetData', 'too_small');
  });

  it('checks the inline data of objectDef when present and lets other objectDef keys through', () => {
    const objectDef = { qInfo: { qType: 'barchart' }, title: 'Sales', chartKind: 'bar', columns: ['Region', 'Sales'], rows: [['North', 1], ['South', null]] };
    const task = parsed(schema, requestWith({ templates: [{ type: 'chart', chartData: { ...chartData(), objectDef } }] }));
    assert.deepEqual(task.templates[0]!.chartData!.objectDef, objectDef);
    const ragged = { columns: ['Region', 'Sales'], rows: [['North', 1], ['South']] };
    assertRejected(schema, requestWith({ templates: [{ type: 'chart', chartData: { ...chartData(), objectDef: ragged } }] }), 'templates[0].chartData.objectDef.rows[1]', 'ROW_LENGTH_MISMATCH');
    assertRejected(schema, requestWith({ templates: [{ type: 'chart', chartData: { ...chartData(), objectDef: { rows: [[1]] } } }] }), 'templates[0].chartData.objectDef.columns', 'required');
    assertRejected(schema, requestWith({ templates: [{ type: 'chart', chartData: { ...chartData(), objectDef: { chartKind: 'radar' } } }] }), 'templates[0].chartData.objectDef.chartKind', 'invalid_enum');
  });

  it('keeps "" start and end date-times (unset, for the schedule module) and takes e-mail as the default channel', () => {
    const task = parsed(schema, requestWith({ transportChannels: undefined, scheduleOptions: { recurrence: ['FREQ=DAILY'], startDateTime: '', endDateTime: '' } }));
    assert.deepEqual(task.transportChannels, ['email']);
    assert.equal(task.scheduleOptions?.startDateTime, '');
  });

  it('reports every problem of a request at once', () => {
    const problems = problemsOf(schema, requestWith({ name: undefined, type: 'nope', recipients: {}, transportChannels: ['sharepoint'], sharePointFolder: undefined }));
    assert.deepEqual(problems.map((p) => p.field).sort(), ['name', 'recipients', 'sharePointFolder', 'type']);
  });

  const rejections: [string, Record<string, unknown>, string, string][] = [
    ['a chart template without widthPx', { templates: [{ type: 'chart', chartData: { ...chartData(), widthPx: undefined } }] }, 'templates[0].chartData.widthPx', 'required'],
    ['a chart template with a text widthPx', { templates: [{ type: 'chart', chartData: { ...chartData(), widthPx: '800' } }] }, 'templates[0].chartData.widthPx', 'invalid_type'],
    ['a multi-sheet template with 11 sheets', { templates: [{ type: 'multi-sheet', multiSheetData: sheets(11) }] }, 'templates[0].multiSheetData', 'too_big'],
    ['no template', { templates: [] }, 'templates', 'too_small'],
    ['an unknown task type', { type: 'chart-spying' }, 'type', 'invalid_enum'],
    ['an unknown template type', { templates: [{ ...referenceChartTemplate(), type: 'video' }] }, 'templates[0].type', 'invalid_enum'],
    ['an unknown template subType (png is "image")', { templates: [{ ...referenceChartTemplate(), subType: 'png' }] }, 'templates[0].subType', 'invalid_enum'],
    ['an unknown fileTimeStamp', { templates: [{ ...referenceChartTemplate(), fileTimeStamp: 'dd-MM-yyyy' }] }, 'templates[0].fileTimeStamp', 'invalid_enum'],
    ['a fileAlias unfit for a URL', { templates: [{ ...referenceChartTemplate(), fileAlias: '../x' }] }, 'templates[0].fileAlias', 'invalid_format'],
    ['an unknown channel', { transportChannels: ['fax'] }, 'transportChannels[0]', 'invalid_enum'],
    ['no channel', { transportChannels: [] }, 'transportChannels', 'too_small'],
    ['a bad e-mail address', { recipients: { emailAddresses: ['not-an-address'] } }, 'recipients.emailAddresses[0]', 'invalid_format'],
    ['a bad e-mail address in a recipient object', { recipients: { emailAddresses: [{ value: 'nope' }] } }, 'recipients.emailAddresses[0]', 'invalid_format'],
    ['no recipient', { recipients: { emailAddresses: [], userIds: [], groupIds: [] } }, 'recipients', 'NO_RECIPIENTS'],
    ['no recipients object', { recipients: undefined }, 'recipients', 'required'],
    ['the sharepoint channel without a folder', { transportChannels: ['email', 'sharepoint'], sharePointFolder: undefined }, 'sharePointFolder', 'required'],
    ['the sharepoint channel with an empty folder', { transportChannels: ['sharepoint'], sharePointFolder: '' }, 'sharePointFolder', 'required'],
    ['a start with a Z offset', { scheduleOptions: { recurrence: ['FREQ=DAILY'], startDateTime: '2030-01-02T16:04:05Z' } }, 'scheduleOptions.startDateTime', 'invalid_format'],
    ['an end with a numeric offset', { scheduleOptions: { recurrence: ['FREQ=DAILY'], endDateTime: '2030-01-02T16:04:05+01:00' } }, 'scheduleOptions.endDateTime', 'invalid_format'],
    ['a schedule without rules', { scheduleOptions: { recurrence: [] } }, 'scheduleOptions.recurrence', 'too_small'],
    ['six rules', { scheduleOptions: { recurrence: Array.from({ length: 6 }, (_, i) => `FREQ=DAILY;BYHOUR=${i}`) } }, 'scheduleOptions.recurrence', 'too_big'],
    ['an unknown timezone', { scheduleOptions: { timezone: 'Mars/Olympus', recurrence: ['FREQ=DAILY'] } }, 'scheduleOptions.timezone', 'TIMEZONE_INVALID'],
    ['an offset as timezone', { scheduleOptions: { timezone: '+01:00', recurrence: ['FREQ=DAILY'] } }, 'scheduleOptions.timezone', 'TIMEZONE_INVALID'],
    ['an expiration without offset', { expiration: '2030-01-01T00:00:00' }, 'expiration', 'invalid_format'],
    ['a historySize of 0', { retentionPolicy: { historySize: 0 } }, 'retentionPolicy.historySize', 'too_small'],
    ['an overrideInterval that is no RRULE', { retentionPolicy: { overrideInterval: 'every day' } }, 'retentionPolicy.overrideInterval', 'invalid_format'],
    ['an unknown executionHistoryInterval', { trigger: { executionHistoryInterval: 'hourlyish' } }, 'trigger.executionHistoryInterval', 'invalid_enum'],
    ['an empty name', { name: '   ' }, 'name', 'too_small'],
    ['a boolean as enabled given as text', { enabled: 'yes' }, 'enabled', 'invalid_type'],
  ];
  for (const [what, overrides, field, rule] of rejections) {
    it(`rejects ${what}: ${field} / ${rule}`, () => {
      assertRejected(schema, requestWith(overrides), field, rule);
    });
  }
});
