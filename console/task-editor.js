import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { Checkbox, ErrorSummary, FieldErrorsUnder, fieldId, SelectField, TextArea, TextField } from './components.js';
import { WEEKDAYS } from './schedule.js';
import { createRequest, newTaskForm, newTemplateForm, patchOperations, scheduleRequest, taskFormOf } from './task-form.js';
import { dstEffect, formatIn, viewerZone } from './time.js';

const TASK_TYPES = ['chart-sharing', 'chart-monitoring', 'sheet-sharing', 'template-sharing'].map((t) => [t, t]);
const TEMPLATE_TYPES = [['chart', 'Chart'], ['sheet', 'Sheet'], ['multi-sheet', 'Multi-sheet'], ['story', 'Story'], ['excel', 'Excel'], ['file', 'File']];
const FORMATS = [['pdf', 'PDF'], ['image', 'PNG image'], ['pptx', 'PowerPoint (pptx)'], ['xlsx', 'Excel (xlsx)'], ['', 'Default for the type']];
const STAMPS = [['', 'None'], ['yyyy-MM-dd', 'yyyy-MM-dd'], ['yyyy-MM-dd_HH-mm', 'yyyy-MM-dd_HH-mm'], ['yyyyMMdd', 'yyyyMMdd'], ['yyyyMMdd_HH-mm', 'yyyyMMdd_HH-mm']];
const CHART_KINDS = [['bar', 'Bar'], ['line', 'Line'], ['pie', 'Pie'], ['table', 'Table']];
const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** The errors of a template that no input of its own shows (the template, or a whole data object). */
const ownErrors = (errors, path) =>
  Object.fromEntries(Object.entries(errors).filter(([field]) => [path, `${path}.chartData`, `${path}.sheetData`, `${path}.storyData`, `${path}.chartData.objectDef`].includes(field)));

function TemplateFields({ template, index, update, remove, errors, canRemove }) {
  const path = `templates[${index}]`;
  const set = (key) => (value) => update({ ...template, [key]: value });
  const setIn = (group, key) => (value) => update({ ...template, [group]: { ...template[group], [key]: value } });
  const c = template.chart;
  return html`
    <fieldset class="template">
      <legend>Template ${index + 1}</legend>
      <div class="row">
        <${SelectField} label="Type" path=${`${path}.type`} value=${template.type} onChange=${set('type')} options=${TEMPLATE_TYPES} errors=${errors} />
        <${SelectField} label="Format" path=${`${path}.subType`} value=${template.subType} onChange=${set('subType')} options=${FORMATS} errors=${errors} />
        <${TextField} label="File name" path=${`${path}.fileName`} value=${template.fileName} onInput=${set('fileName')} errors=${errors} />
        <${TextField} label="File alias" hint="in the file's URL" path=${`${path}.fileAlias`} value=${template.fileAlias} onInput=${set('fileAlias')} errors=${errors} />
        <${SelectField} label="Time stamp in the name" path=${`${path}.fileTimeStamp`} value=${template.fileTimeStamp} onChange=${set('fileTimeStamp')} options=${STAMPS} errors=${errors} />
      </div>
      ${template.type === 'chart'
        ? html`
            <div class="row">
              <${TextField} label="App id" path=${`${path}.chartData.appId`} value=${c.appId} onInput=${setIn('chart', 'appId')} errors=${errors} />
              <${TextField} label="Sheet id" path=${`${path}.chartData.sheetId`} value=${c.sheetId} onInput=${setIn('chart', 'sheetId')} errors=${errors} />
              <${TextField} label="Object id" path=${`${path}.chartData.objectId`} value=${c.objectId} onInput=${setIn('chart', 'objectId')} errors=${errors} />
              <${TextField} label="Width (px)" type="number" path=${`${path}.chartData.widthPx`} value=${c.widthPx} onInput=${setIn('chart', 'widthPx')} errors=${errors} />
              <${TextField} label="Height (px)" type="number" path=${`${path}.chartData.heightPx`} value=${c.heightPx} onInput=${setIn('chart', 'heightPx')} errors=${errors} />
              <${TextField} label="Language" path=${`${path}.chartData.language`} value=${c.language} onInput=${setIn('chart', 'language')} errors=${errors} />
            </div>
            <details open>
              <summary>Inline data (drawn by the built-in renderer)</summary>
              <div class="row">
                <${TextField} label="Chart title" path=${`${path}.chartData.objectDef.title`} value=${c.title} onInput=${setIn('chart', 'title')} errors=${errors} />
                <${SelectField} label="Chart kind" path=${`${path}.chartData.objectDef.chartKind`} value=${c.chartKind} onChange=${setIn('chart', 'chartKind')} options=${CHART_KINDS} errors=${errors} />
                <${TextField} label="Columns" hint="comma-separated; the first labels" path=${`${path}.chartData.objectDef.columns`} value=${c.columns} onInput=${setIn('chart', 'columns')} errors=${errors} />
              </div>
              <${TextArea} label="Rows" hint="one row a line, values comma-separated" path=${`${path}.chartData.objectDef.rows`} rows="4" value=${c.rows} onInput=${setIn('chart', 'rows')} errors=${errors} />
            </details>
          `
        : null}
      ${template.type === 'sheet'
        ? html`<div class="row">
            <${TextField} label="App id" path=${`${path}.sheetData.appId`} value=${template.sheet.appId} onInput=${setIn('sheet', 'appId')} errors=${errors} />
            <${TextField} label="Sheet id" path=${`${path}.sheetData.sheetId`} value=${template.sheet.sheetId} onInput=${setIn('sheet', 'sheetId')} errors=${errors} />
            <${TextField} label="Sheet name" path=${`${path}.sheetData.sheetName`} value=${template.sheet.sheetName} onInput=${setIn('sheet', 'sheetName')} errors=${errors} />
          </div>`
        : null}
      ${template.type === 'story'
        ? html`<div class="row">
            <${TextField} label="App id" path=${`${path}.storyData.appId`} value=${template.story.appId} onInput=${setIn('story', 'appId')} errors=${errors} />
            <${TextField} label="Story id" path=${`${path}.storyData.storyId`} value=${template.story.storyId} onInput=${setIn('story', 'storyId')} errors=${errors} />
          </div>`
        : null}
      ${template.type === 'multi-sheet'
        ? html`<${TextArea} label="Sheets (JSON list of sheetData)" path=${`${path}.multiSheetData`} rows="4" value=${template.multiSheet} onInput=${set('multiSheet')} errors=${errors} spellcheck="false" />`
        : null}
      <${FieldErrorsUnder} errors=${ownErrors(errors, path)} path=${path} />
      ${canRemove ? html`<button type="button" class="secondary" onClick=${remove}>Remove template ${index + 1}</button>` : null}
    </fieldset>
  `;
}

/** The next 10 occurrences from the API, in the task's zone, with the DST-affected ones marked. */
function Preview({ api, schedule }) {
  const [state, setState] = useState({ loading: true });
  const request = scheduleRequest(schedule);
  const key = JSON.stringify(request ?? null);
  useEffect(() => {
    if (!request) return setState({ none: true });
    let current = true;
    setState((previous) => ({ body: previous.body, loading: true }));
    const timer = setTimeout(() => {
      api.post('/sharing-tasks/actions/preview-schedule', { scheduleOptions: request, count: 10 }).then(
        (body) => current && setState({ body }),
        (error) => current && setState({ error }),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);

  if (state.none) return html`<p class="muted">No schedule: the task runs on demand (and at creation or on app reload when asked).</p>`;
  const zone = state.body?.timezone ?? schedule.timezone;
  const viewer = viewerZone();
  return html`
    <section class="preview" aria-labelledby="preview-title" aria-busy=${state.loading ? 'true' : 'false'}>
      <h3 id="preview-title">Next 10 occurrences <span class="muted">(${zone})</span></h3>
      ${state.error ? html`<p class="field-error" role="alert">The schedule is not valid: ${state.error.message}</p>` : null}
      ${state.body
        ? html`<ol class="occurrences" data-testid="preview">
            ${state.body.occurrences.map((at) => {
              const effect = dstEffect(at, zone);
              return html`<li class=${effect ? 'dst' : ''}>
                <time datetime=${at}>${formatIn(at, zone)}</time>
                ${viewer !== zone ? html` <span class="muted">· ${formatIn(at, viewer)} yours</span>` : null}
                ${effect?.kind === 'gap' ? html` <strong class="dst-note">DST: clocks skip ${effect.minutes} min, shifted by the gap</strong>` : null}
                ${effect?.kind === 'repeated' ? html` <strong class="dst-note">DST: hour repeats, first of the two</strong>` : null}
              </li>`;
            })}
          </ol>
          ${state.body.occurrences.length === 0 ? html`<p>No occurrence ahead.</p>` : null}`
        : null}
    </section>
  `;
}

function ScheduleFields({ api, schedule, update, errors }) {
  const set = (key) => (value) => update({ ...schedule, [key]: value });
  const toggleDay = (day) => (on) => set('days')(on ? [...schedule.days, day] : schedule.days.filter((d) => d !== day));
  const modes = [['none', 'No schedule'], ['daily', 'Daily'], ['weekly', 'Weekly'], ['monthly', 'Monthly'], ['custom', 'RRULE lines (expert)']];
  return html`
    <fieldset>
      <legend>Schedule</legend>
      <div class="modes" role="radiogroup" aria-label="Repeat">
        ${modes.map(([mode, text]) => html`<label class="radio"><input type="radio" name="schedule-mode" value=${mode} checked=${schedule.mode === mode} onChange=${() => set('mode')(mode)} /> ${text}</label>`)}
      </div>
      <div class="row">
        <div class="field">
          <label for=${fieldId('scheduleOptions.timezone')}>Time zone</label>
          <input id=${fieldId('scheduleOptions.timezone')} list="zones" value=${schedule.timezone} onInput=${(e) => set('timezone')(e.currentTarget.value)} aria-invalid=${errors['scheduleOptions.timezone'] ? 'true' : undefined} />
          <datalist id="zones">${ZONES.map((zone) => html`<option value=${zone} />`)}</datalist>
          <${FieldErrorsUnder} errors=${errors} path="scheduleOptions.timezone" />
        </div>
        ${['daily', 'weekly', 'monthly'].includes(schedule.mode)
          ? html`<${TextField} label="At (local time)" type="time" path="schedule.time" value=${schedule.time} onInput=${set('time')} errors=${errors} required />`
          : null}
        ${schedule.mode === 'monthly'
          ? html`<${TextField} label="On day of the month" type="number" min="1" max="31" path="schedule.monthDay" value=${schedule.monthDay} onInput=${set('monthDay')} errors=${errors} />`
          : null}
      </div>
      ${schedule.mode === 'weekly'
        ? html`<fieldset class="days"><legend>On</legend>
            ${WEEKDAYS.map(([day, name]) => html`<${Checkbox} id=${`day-${day}`} label=${name} checked=${schedule.days.includes(day)} onChange=${toggleDay(day)} />`)}
          </fieldset>`
        : null}
      ${schedule.mode === 'custom'
        ? html`<${TextArea} label="RRULE lines" hint="one rule a line (1 to 5), e.g. RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0" path="scheduleOptions.recurrence" rows="4" value=${schedule.rules} onInput=${set('rules')} errors=${errors} spellcheck="false" />`
        : html`<${FieldErrorsUnder} errors=${errors} path="scheduleOptions.recurrence" />`}
      ${schedule.mode !== 'none'
        ? html`<div class="row">
            <${TextField} label="Starts (local time, optional)" type="datetime-local" path="scheduleOptions.startDateTime" value=${schedule.startDateTime} onInput=${set('startDateTime')} errors=${errors} />
            <${TextField} label="Ends (local time, optional)" type="datetime-local" path="scheduleOptions.endDateTime" value=${schedule.endDateTime} onInput=${set('endDateTime')} errors=${errors} />
          </div>
          <p class="muted">Writes <code data-testid="rrule">${(scheduleRequest(schedule)?.recurrence ?? []).join(' ')}</code></p>`
        : null}
      <${Preview} api=${api} schedule=${schedule} />
    </fieldset>
  `;
}

export function TaskEditor({ api, session, id }) {
  const [form, setForm] = useState(id ? undefined : newTaskForm());
  const [task, setTask] = useState();
  const [error, setError] = useState();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!id) return;
    api.get(`/sharing-tasks/${encodeURIComponent(id)}`).then(
      (loaded) => {
        setTask(loaded);
        setForm(taskFormOf(loaded));
      },
      setError,
    );
  }, [id]);
  if (!form) return html`<h1 tabindex="-1">Edit task</h1>${error ? html`<${ErrorSummary} error=${error} />` : html`<p role="status">Loading…</p>`}`;

  const errors = error?.byField?.() ?? {};
  const set = (key) => (value) => setForm({ ...form, [key]: value });
  const setIn = (group, key) => (value) => setForm({ ...form, [group]: { ...form[group], [key]: value } });
  const editing = Boolean(id);
  const fixed = editing ? { disabled: true, hint: 'set at creation (PATCH does not change it)' } : {};

  const save = async (event) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      if (editing) {
        await api.patch(`/sharing-tasks/${encodeURIComponent(id)}`, patchOperations(form, task));
        location.hash = `#/tasks/${encodeURIComponent(id)}`;
      } else {
        const created = await api.post('/sharing-tasks', createRequest(form));
        location.hash = `#/tasks/${encodeURIComponent(created.id)}`;
      }
    } catch (failure) {
      setError(failure);
      setTimeout(() => document.querySelector('.error-summary')?.focus(), 0);
    } finally {
      setSaving(false);
    }
  };

  const updateTemplate = (index) => (template) => set('templates')(form.templates.map((t, i) => (i === index ? template : t)));
  return html`
    <h1 tabindex="-1">${editing ? `Edit ${task?.name ?? 'task'}` : 'New task'}</h1>
    <form class="editor" onSubmit=${save} noValidate>
      ${error ? html`<${ErrorSummary} error=${error} />` : null}
      <fieldset>
        <legend>Task</legend>
        <div class="row">
          <${TextField} label="Name" path="name" value=${form.name} onInput=${set('name')} errors=${errors} required />
          <${SelectField} label="Type" path="type" value=${form.type} onChange=${set('type')} options=${TASK_TYPES} errors=${errors} ...${editing ? { disabled: true } : {}} />
        </div>
        <${TextArea} label="Description" path="description" value=${form.description} onInput=${set('description')} errors=${errors} rows="2" />
        <div class="row">
          <${Checkbox} id="enabled" label="Enabled" checked=${form.enabled} onChange=${set('enabled')} />
          ${editing ? null : html`<${Checkbox} id="executeOnCreation" label="Run once when created" checked=${form.executeOnCreation} onChange=${set('executeOnCreation')} />`}
        </div>
      </fieldset>
      <fieldset>
        <legend>Report</legend>
        ${form.templates.map(
          (template, index) => html`<${TemplateFields} key=${index} template=${template} index=${index} update=${updateTemplate(index)}
            remove=${() => set('templates')(form.templates.filter((_, i) => i !== index))} errors=${errors} canRemove=${form.templates.length > 1} />`,
        )}
        <${FieldErrorsUnder} errors=${Object.fromEntries(Object.entries(errors).filter(([f]) => f === 'templates'))} path="templates" />
        <button type="button" class="secondary" onClick=${() => set('templates')([...form.templates, newTemplateForm(form.templates.length)])}>Add a template</button>
      </fieldset>
      <fieldset>
        <legend>Recipients and channels</legend>
        <div class="row">
          <${TextArea} label="E-mail addresses" hint="one a line" path="recipients.emailAddresses" value=${form.recipients.emailAddresses} onInput=${setIn('recipients', 'emailAddresses')} errors=${errors} />
          <${TextArea} label="User ids" hint="from the tenant's directory" path="recipients.userIds" value=${form.recipients.userIds} onInput=${setIn('recipients', 'userIds')} errors=${errors} />
          <${TextArea} label="Group ids" path="recipients.groupIds" value=${form.recipients.groupIds} onInput=${setIn('recipients', 'groupIds')} errors=${errors} />
        </div>
        <${FieldErrorsUnder} errors=${Object.fromEntries(Object.entries(errors).filter(([f]) => f === 'recipients'))} path="recipients" />
        <div class="row">
          <${Checkbox} id="channel-email" label="E-mail" checked=${form.channels.email} onChange=${(on) => set('channels')({ ...form.channels, email: on })} />
          <${Checkbox} id="channel-sharepoint" label="SharePoint" checked=${form.channels.sharepoint} onChange=${(on) => set('channels')({ ...form.channels, sharepoint: on })} />
        </div>
        <${FieldErrorsUnder} errors=${errors} path="transportChannels" />
        ${form.channels.sharepoint ? html`<${TextField} label="SharePoint folder" path="sharePointFolder" value=${form.sharePointFolder} onInput=${set('sharePointFolder')} errors=${errors} />` : null}
      </fieldset>
      <fieldset>
        <legend>E-mail content and retention</legend>
        <div class="row">
          <${TextField} label="Subject" path="emailContent.subject" value=${form.emailContent.subject} onInput=${setIn('emailContent', 'subject')} errors=${errors} ...${fixed} />
          <${TextField} label="Runs kept" type="number" min="1" max="1000" hint="default 10" path="retentionPolicy.historySize" value=${form.retention.historySize} onInput=${setIn('retention', 'historySize')} errors=${errors} ...${fixed} />
          <${TextField} label="Replace a run within" hint="an RRULE, e.g. FREQ=DAILY;INTERVAL=1" path="retentionPolicy.overrideInterval" value=${form.retention.overrideInterval} onInput=${setIn('retention', 'overrideInterval')} errors=${errors} ...${fixed} />
        </div>
        <${TextArea} label="Body" path="emailContent.body" value=${form.emailContent.body} onInput=${setIn('emailContent', 'body')} errors=${errors} rows="3" ...${fixed} />
      </fieldset>
      <${ScheduleFields} api=${api} schedule=${form.schedule} update=${set('schedule')} errors=${errors} />
      <div class="actions">
        <button type="submit" disabled=${saving}>${saving ? 'Saving…' : editing ? 'Save changes' : 'Create task'}</button>
        <a class="button secondary" href=${editing ? `#/tasks/${encodeURIComponent(id)}` : '#/tasks'}>Cancel</a>
      </div>
    </form>
  `;
}
