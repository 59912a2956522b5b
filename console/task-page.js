import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { ErrorSummary, Notice, StatusBadge } from './components.js';
import { formatDuration, formatIn, viewerZone } from './time.js';
import { inWords, TRIGGERS } from './words.js';

const REFRESH_MS = 2500;

function temporalLink(settings, task) {
  const workflowId = task.scheduleOptions?.chronosJobID ?? task.trigger?.chronosJobID ?? `sharing-task-${task.tenant}-${task.id}`;
  return `${settings.temporalUiUrl}/namespaces/${encodeURIComponent(settings.temporalNamespace ?? 'default')}/workflows/${encodeURIComponent(workflowId)}`;
}

function Run({ run, zone, api, taskId, onNotice }) {
  const download = (file) =>
    api
      .download(`/sharing-tasks/${encodeURIComponent(taskId)}/executions/${encodeURIComponent(run.id)}/files/${encodeURIComponent(file.fileAlias)}`, file.fileName ?? file.fileAlias)
      .then(
        () => onNotice({ kind: 'ok', text: `Downloaded ${file.fileName ?? file.fileAlias}.` }),
        (error) => onNotice({ kind: 'error', text: `Download failed: ${error.message}` }),
      );
  const late = run.startTime && run.eventTime ? (new Date(run.startTime) - new Date(run.eventTime)) / 1000 : 0;
  return html`
    <li class="run" data-status=${run.status} data-trigger=${run.trigger}>
      <div class="run-head">
        <strong>${TRIGGERS[run.trigger] ?? run.trigger}</strong>
        <${StatusBadge} status=${run.status} />
        ${run.missedOccurrences ? html`<span class="muted">stands for ${run.missedOccurrences} missed occurrences</span>` : null}
      </div>
      <dl class="run-times">
        <div><dt>Scheduled</dt><dd><time datetime=${run.eventTime}>${formatIn(run.eventTime, zone)}</time></dd></div>
        <div><dt>Started</dt><dd><time datetime=${run.startTime}>${formatIn(run.startTime, zone)}</time>${Math.abs(late) >= 1 ? html` <span class="muted">(${late > 0 ? '+' : ''}${late.toFixed(1)} s)</span>` : null}</dd></div>
        <div><dt>Duration</dt><dd>${run.endTime ? formatDuration(run.startTime, run.endTime) : 'running…'}</dd></div>
        <div><dt>E-mails</dt><dd>${run.successCount} of ${run.totalCount} delivered${run.failedCount ? `, ${run.failedCount} failed` : ''}</dd></div>
        ${run.totalUploadCount ? html`<div><dt>Uploads</dt><dd>${run.successUploadCount ?? 0} of ${run.totalUploadCount}</dd></div>` : null}
      </dl>
      ${run.recipients?.length
        ? html`<table class="recipients">
            <caption class="sr-only">Deliveries of this run</caption>
            <thead><tr><th scope="col">Recipient</th><th scope="col">Channel</th><th scope="col">Result</th></tr></thead>
            <tbody>${run.recipients.map(
              (r) => html`<tr><td data-label="Recipient">${r.recipient}</td><td data-label="Channel">${r.channel}</td><td data-label="Result"><${StatusBadge} status=${r.status} /> ${r.error ? inWords(r.error.code) : ''}</td></tr>`,
            )}</tbody>
          </table>`
        : null}
      ${run.errors?.length
        ? html`<ul class="run-errors">${run.errors.map((e) => html`<li><strong>${inWords(e.code)}</strong>${e.recipient ? ` — ${e.recipient}` : ''}: ${e.message}</li>`)}</ul>`
        : null}
      ${run.files?.length
        ? html`<ul class="files">${run.files.map(
            (file) => html`<li><button type="button" class="secondary" onClick=${() => download(file)}>Download ${file.fileName ?? file.fileAlias}</button> <span class="muted">${file.size ? `${Math.ceil(file.size / 1024)} KiB` : ''}</span></li>`,
          )}</ul>`
        : null}
    </li>
  `;
}

export function TaskPage({ api, settings, id }) {
  const [task, setTask] = useState();
  const [runs, setRuns] = useState();
  const [cursor, setCursor] = useState();
  const [occurrences, setOccurrences] = useState();
  const [error, setError] = useState();
  const [notice, setNotice] = useState();
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const path = `/sharing-tasks/${encodeURIComponent(id)}`;

  useEffect(() => {
    let current = true;
    Promise.all([api.get(path), api.get(`${path}/executions`, { limit: 10, sort: '-starttime', ...(cursor ? { [cursor.kind]: cursor.token } : {}) })]).then(
      ([loaded, page]) => {
        if (!current) return;
        setTask(loaded);
        setRuns(page);
        setError(undefined);
      },
      (failure) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [tick, cursor]);
  useEffect(() => {
    api.get(`${path}/occurrences`, { count: 5 }).then(setOccurrences, () => setOccurrences(undefined));
  }, [task?.lastUpdated, task?.enabled]);
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState === 'visible' && setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  if (!task) return html`<h1 tabindex="-1">Task</h1>${error ? html`<${ErrorSummary} error=${error} />` : html`<p role="status">Loading…</p>`}`;

  const act = async (what, call, done) => {
    setBusy(true);
    try {
      await call();
      setNotice({ kind: 'ok', text: done });
      setTick((t) => t + 1);
    } catch (failure) {
      setNotice({ kind: 'error', text: `${what} failed: ${failure.message}` });
    } finally {
      setBusy(false);
    }
  };
  const zone = task.scheduleOptions?.timezone ?? 'UTC';
  const viewer = viewerZone();
  const remove = async () => {
    if (!confirm(`Delete the task "${task.name}" with all its runs and files?`)) return;
    setBusy(true);
    try {
      await api.delete(path);
      location.hash = '#/tasks';
    } catch (failure) {
      setNotice({ kind: 'error', text: `Delete failed: ${failure.message}` });
      setBusy(false);
    }
  };

  return html`
    <div class="page-head">
      <h1 tabindex="-1">${task.name}</h1>
      <a class="button secondary" href=${`#/tasks/${encodeURIComponent(id)}/edit`}>Edit</a>
    </div>
    <section class="card summary" aria-label="Task summary">
      <dl>
        <div><dt>Status</dt><dd data-testid="task-status">${inWords(task.statusCode)}</dd></div>
        <div><dt>Enabled</dt><dd data-testid="task-enabled">${task.enabled ? 'Yes' : task.pausedByFeature ? 'No (paused while the tenant has this kind of subscription turned off)' : 'No (paused)'}</dd></div>
        <div><dt>Type</dt><dd>${task.type}</dd></div>
        <div><dt>Owner</dt><dd>${task.ownerName || task.owner}</dd></div>
        <div><dt>Schedule</dt><dd><code>${(task.scheduleOptions?.recurrence ?? []).join(' ') || 'none'}</code> <span class="muted">${zone}</span></dd></div>
        <div><dt>Next run</dt><dd>${task.nextScheduledRun ? html`${formatIn(task.nextScheduledRun, zone)}${viewer !== zone ? html`<br /><small>${formatIn(task.nextScheduledRun, viewer)} yours</small>` : null}` : 'none'}</dd></div>
      </dl>
      ${occurrences?.occurrences?.length > 1
        ? html`<details><summary>Next ${occurrences.occurrences.length} occurrences</summary><ol>${occurrences.occurrences.map((at) => html`<li><time datetime=${at}>${formatIn(at, zone)}</time></li>`)}</ol></details>`
        : null}
      <div class="actions" role="group" aria-label="Task actions">
        <button type="button" disabled=${busy} onClick=${() => act('Run now', () => api.post('/sharing-tasks/actions/execute', { sharingTaskID: task.id }), 'Run requested: it appears below when it begins.')}>Execute now</button>
        ${task.enabled
          ? html`<button type="button" class="secondary" disabled=${busy} onClick=${() => act('Pause', () => api.patch(path, [{ op: 'replace', path: '/enabled', value: false }]), 'Paused: no scheduled run until resumed.')}>Pause</button>`
          : html`<button type="button" class="secondary" disabled=${busy} onClick=${() => act('Resume', () => api.patch(path, [{ op: 'replace', path: '/enabled', value: true }]), 'Resumed: the schedule continues from now.')}>Resume</button>`}
        <button type="button" class="secondary" disabled=${busy || task.statusCode === 'CANCELLED'} onClick=${() => act('Cancel', () => api.post(`${path}/actions/cancel`), 'Cancelled: the schedule is stopped (Resume starts it again).')}>Cancel schedule</button>
        <button type="button" class="danger" disabled=${busy} onClick=${remove}>Delete</button>
        <a class="button secondary" href=${temporalLink(settings, task)} target="_blank" rel="noopener noreferrer">Workflow in the Temporal UI</a>
      </div>
      <${Notice} notice=${notice} />
    </section>
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Runs <span class="muted">(${runs?.totalCount ?? 0}; times in ${zone})</span></h2>
      ${error ? html`<${ErrorSummary} error=${error} />` : null}
      ${runs?.executions?.length
        ? html`<ol class="timeline" data-testid="runs">${runs.executions.map((run) => html`<${Run} key=${run.id} run=${run} zone=${zone} api=${api} taskId=${task.id} onNotice=${setNotice} />`)}</ol>`
        : html`<p class="muted">No run yet.</p>`}
      <nav class="pager" aria-label="Runs pages">
        <button type="button" class="secondary" disabled=${!runs?.links?.prev} onClick=${() => setCursor({ kind: 'prev', token: runs.links.prev.token })}>Newer runs</button>
        <button type="button" class="secondary" disabled=${!runs?.links?.next} onClick=${() => setCursor({ kind: 'next', token: runs.links.next.token })}>Older runs</button>
      </nav>
    </section>
  `;
}
