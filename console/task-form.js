// A task as the editor's form holds it, and the create request / PATCH operations made of it.
import { recurrenceOf, scheduleFormOf } from './schedule.js';
import { localDateTime, viewerZone } from './time.js';

const lines = (text) =>
  text
    .split(/[\n,;]/)
    .map((entry) => entry.trim())
    .filter(Boolean);

const cell = (text) => (text !== '' && !Number.isNaN(Number(text)) ? Number(text) : text);

export function newTemplateForm(index = 0) {
  return {
    type: 'chart',
    subType: 'pdf',
    fileName: `report-${index + 1}`,
    fileAlias: '',
    fileTimeStamp: '',
    chart: { appId: 'app-1', sheetId: 'sheet-1', objectId: 'obj-1', widthPx: '800', heightPx: '600', language: 'en', title: 'Sales by region', chartKind: 'bar', columns: 'Region, Sales', rows: 'North, 120\nSouth, 80\nEast, 95' },
    sheet: { appId: 'app-1', sheetId: 'sheet-1', sheetName: '' },
    story: { appId: 'app-1', storyId: 'story-1' },
    multiSheet: '[{"appId": "app-1", "sheetId": "sheet-1", "sheetName": "Overview"}]',
  };
}

export function newTaskForm() {
  return {
    name: '',
    type: 'chart-sharing',
    description: '',
    message: '',
    templates: [newTemplateForm()],
    recipients: { emailAddresses: '', userIds: '', groupIds: '' },
    channels: { email: true, sharepoint: false },
    sharePointFolder: '',
    emailContent: { subject: '', body: '' },
    retention: { historySize: '', overrideInterval: '' },
    schedule: { ...scheduleFormOf([]), mode: 'daily', timezone: viewerZone(), startDateTime: '', endDateTime: '' },
    enabled: true,
    executeOnCreation: false,
  };
}

function templateRequest(form) {
  const template = {
    type: form.type,
    ...(form.subType ? { subType: form.subType } : {}),
    ...(form.fileName ? { fileName: form.fileName } : {}),
    ...(form.fileAlias ? { fileAlias: form.fileAlias } : {}),
    ...(form.fileTimeStamp ? { fileTimeStamp: form.fileTimeStamp } : {}),
  };
  if (form.type === 'chart') {
    const c = form.chart;
    const rows = c.rows
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => line.split(',').map((value) => cell(value.trim())));
    template.chartData = {
      appId: c.appId,
      sheetId: c.sheetId,
      objectId: c.objectId,
      widthPx: Number(c.widthPx),
      heightPx: Number(c.heightPx),
      language: c.language,
      ...(c.title || rows.length
        ? { objectDef: { title: c.title, chartKind: c.chartKind, columns: c.columns.split(',').map((v) => v.trim()).filter(Boolean), rows } }
        : {}),
    };
  }
  if (form.type === 'sheet') template.sheetData = { appId: form.sheet.appId, sheetId: form.sheet.sheetId, ...(form.sheet.sheetName ? { sheetName: form.sheet.sheetName } : {}) };
  if (form.type === 'story') template.storyData = { appId: form.story.appId, storyId: form.story.storyId };
  if (form.type === 'multi-sheet') {
    try {
      template.multiSheetData = JSON.parse(form.multiSheet);
    } catch {
      template.multiSheetData = form.multiSheet; // the API names the field and says it is not a list
    }
  }
  return template;
}

/** The schedule part of a request; undefined for a task without a schedule. */
export function scheduleRequest(schedule) {
  if (schedule.mode === 'none') return undefined;
  return {
    timezone: schedule.timezone,
    recurrence: recurrenceOf(schedule),
    ...(schedule.startDateTime ? { startDateTime: localDateTime(schedule.startDateTime) } : {}),
    ...(schedule.endDateTime ? { endDateTime: localDateTime(schedule.endDateTime) } : {}),
  };
}

export function createRequest(form) {
  const channels = Object.entries(form.channels).filter(([, on]) => on).map(([name]) => name);
  const historySize = form.retention.historySize === '' ? undefined : Number(form.retention.historySize);
  const schedule = scheduleRequest(form.schedule);
  return {
    name: form.name,
    type: form.type,
    ...(form.description ? { description: form.description } : {}),
    ...(form.message ? { message: form.message } : {}),
    templates: form.templates.map(templateRequest),
    recipients: {
      emailAddresses: lines(form.recipients.emailAddresses),
      userIds: lines(form.recipients.userIds),
      groupIds: lines(form.recipients.groupIds),
    },
    transportChannels: channels,
    ...(form.sharePointFolder ? { sharePointFolder: form.sharePointFolder } : {}),
    ...(form.emailContent.subject || form.emailContent.body ? { emailContent: { ...form.emailContent } } : {}),
    ...(historySize !== undefined || form.retention.overrideInterval
      ? { retentionPolicy: { ...(historySize !== undefined ? { historySize } : {}), ...(form.retention.overrideInterval ? { overrideInterval: form.retention.overrideInterval } : {}) } }
      : {}),
    ...(schedule ? { scheduleOptions: schedule } : {}),
    enabled: form.enabled,
    executeOnCreation: form.executeOnCreation,
  };
}

/** The PATCH of an edited task: replace each patchable field (the API checks each like on create). */
export function patchOperations(form, task) {
  const request = createRequest(form);
  const operations = [
    { op: 'replace', path: '/name', value: request.name },
    { op: 'replace', path: '/templates', value: request.templates },
    { op: 'replace', path: '/recipients', value: request.recipients },
    { op: 'replace', path: '/transportChannels', value: request.transportChannels },
    { op: 'replace', path: '/enabled', value: request.enabled },
  ];
  if (request.description) operations.push({ op: 'replace', path: '/description', value: request.description });
  else if (task.description) operations.push({ op: 'remove', path: '/description' });
  if (request.sharePointFolder) operations.push({ op: 'replace', path: '/sharePointFolder', value: request.sharePointFolder });
  else if (task.sharePointFolder) operations.push({ op: 'remove', path: '/sharePointFolder' });
  if (request.scheduleOptions) operations.push({ op: 'replace', path: '/scheduleOptions', value: request.scheduleOptions });
  return operations;
}

const text = (list) => (list ?? []).map((entry) => (typeof entry === 'object' ? entry.value : entry)).join('\n');

function templateFormOf(template, index) {
  const form = { ...newTemplateForm(index), type: template.type, subType: template.subType ?? '', fileName: template.fileName ?? '', fileAlias: template.fileAlias ?? '', fileTimeStamp: template.fileTimeStamp ?? '' };
  const c = template.chartData;
  if (c) {
    const def = c.objectDef ?? {};
    form.chart = {
      appId: c.appId,
      sheetId: c.sheetId,
      objectId: c.objectId,
      widthPx: String(c.widthPx),
      heightPx: String(c.heightPx),
      language: c.language ?? '',
      title: def.title ?? '',
      chartKind: def.chartKind ?? 'bar',
      columns: (def.columns ?? []).join(', '),
      rows: (def.rows ?? []).map((row) => row.join(', ')).join('\n'),
    };
  }
  if (template.sheetData) form.sheet = { appId: template.sheetData.appId, sheetId: template.sheetData.sheetId, sheetName: template.sheetData.sheetName ?? '' };
  if (template.storyData) form.story = { ...template.storyData };
  if (template.multiSheetData) form.multiSheet = JSON.stringify(template.multiSheetData, null, 2);
  return form;
}

/** A stored task (GET) as the form. */
export function taskFormOf(task) {
  const schedule = task.scheduleOptions;
  return {
    name: task.name,
    type: task.type,
    description: task.description ?? '',
    message: task.message ?? '',
    templates: task.templates.map(templateFormOf),
    recipients: { emailAddresses: text(task.recipients?.emailAddresses), userIds: text(task.recipients?.userIds), groupIds: text(task.recipients?.groupIds) },
    channels: { email: task.transportChannels.includes('email'), sharepoint: task.transportChannels.includes('sharepoint') },
    sharePointFolder: task.sharePointFolder ?? '',
    emailContent: { subject: task.emailContent?.subject ?? '', body: task.emailContent?.body ?? '' },
    retention: { historySize: task.retentionPolicy?.historySize ?? '', overrideInterval: task.retentionPolicy?.overrideInterval ?? '' },
    schedule: {
      ...scheduleFormOf(schedule?.recurrence ?? []),
      timezone: schedule?.timezone ?? viewerZone(),
      startDateTime: (schedule?.startDateTime ?? '').slice(0, 16),
      endDateTime: (schedule?.endDateTime ?? '').slice(0, 16),
    },
    enabled: task.enabledByUser,
    executeOnCreation: task.executeOnCreation,
  };
}
