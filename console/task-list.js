import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { ErrorSummary, StatusBadge } from './components.js';
import { formatIn, viewerZone } from './time.js';
import { inWords } from './words.js';

const TYPES = ['chart-monitoring', 'chart-sharing', 'sheet-sharing', 'template-sharing'];
const SORT_KEYS = [
  ['datecreated', 'Created'],
  ['name', 'Name'],
  ['ownername', 'Owner'],
  ['enabled', 'Enabled'],
  ['status', 'Status'],
  ['type', 'Type'],
  ['sent', 'Last sent'],
  ['scheduled', 'Next run'],
  ['appname', 'App name'],
  ['appid', 'App id'],
];

const EMPTY_FILTERS = { role: '', type: '', appid: '', owner: '', ownername: '', excludeDeleting: true, sort: 'datecreated', direction: '-', limit: '20' };

function LastRun({ run }) {
  if (run === undefined) return html`<span class="muted">…</span>`;
  if (run === null) return html`<span class="muted">never run</span>`;
  const delivered = `${run.successCount}/${run.totalCount} e-mails`;
  return html`<${StatusBadge} status=${run.status} /> <span class="muted">${delivered}</span>${run.errors?.[0] ? html`<br /><small>${inWords(run.errors[0].code)}</small>` : null}`;
}

export function TaskList({ api }) {
  const [filters, setFilters] = useState(EMPTY_FILTERS);
  const [applied, setApplied] = useState({ filters: EMPTY_FILTERS, cursor: undefined });
  const [page, setPage] = useState();
  const [latest, setLatest] = useState({});
  const [error, setError] = useState();
  const zone = viewerZone();

  useEffect(() => {
    let current = true;
    const f = applied.filters;
    const query = {
      role: f.role || undefined,
      type: f.type || undefined,
      appid: f.appid.trim(),
      owner: f.owner.trim(),
      ownername: f.ownername.trim(),
      excludeDeleting: f.excludeDeleting ? 'true' : undefined,
      sort: `${f.direction}${f.sort}`,
      limit: f.limit,
      ...(applied.cursor ? { [applied.cursor.kind]: applied.cursor.token } : {}),
    };
    setError(undefined);
    api.get('/sharing-tasks', query).then(
      (body) => {
        if (!current) return;
        setPage(body);
        setLatest({});
        for (const task of body.sharingTasks) {
          api.get(`/sharing-tasks/${encodeURIComponent(task.id)}/executions/latest`).then(
            (run) => current && setLatest((all) => ({ ...all, [task.id]: run })),
            () => current && setLatest((all) => ({ ...all, [task.id]: null })),
          );
        }
      },
      (failure) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [applied]);

  const set = (key) => (e) => setFilters({ ...filters, [key]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const apply = (event) => {
    event.preventDefault();
    setApplied({ filters, cursor: undefined });
  };
  const go = (kind) => setApplied({ filters: applied.filters, cursor: { kind, token: page.links[kind].token } });
  const errorFields = error?.byField?.() ?? {};

  return html`
    <div class="page-head">
      <h1 tabindex="-1">Tasks</h1>
      <a class="button" href="#/tasks/new">New task</a>
    </div>
    <form class="filters card" onSubmit=${apply} aria-label="Filters and sort">
      <div class="field"><label for="filter-role">Role</label>
        <select id="filter-role" value=${filters.role} onChange=${set('role')}>
          <option value="">Any</option><option value="owner">I own</option><option value="recipient">I receive</option>
        </select></div>
      <div class="field"><label for="filter-type">Type</label>
        <select id="filter-type" value=${filters.type} onChange=${set('type')}>
          <option value="">Any</option>${TYPES.map((t) => html`<option value=${t}>${t}</option>`)}
        </select></div>
      <div class="field"><label for="filter-appid">App id</label><input id="filter-appid" value=${filters.appid} onInput=${set('appid')} /></div>
      <div class="field"><label for="filter-owner">Owner id</label><input id="filter-owner" value=${filters.owner} onInput=${set('owner')} /></div>
      <div class="field"><label for="filter-ownername">Owner name</label><input id="filter-ownername" value=${filters.ownername} onInput=${set('ownername')} /></div>
      <div class="field"><label for="filter-sort">Sort by</label>
        <select id="filter-sort" value=${filters.sort} onChange=${set('sort')}>${SORT_KEYS.map(([key, text]) => html`<option value=${key}>${text}</option>`)}</select></div>
      <div class="field"><label for="filter-direction">Order</label>
        <select id="filter-direction" value=${filters.direction} onChange=${set('direction')}><option value="-">Descending</option><option value="+">Ascending</option></select></div>
      <div class="field"><label for="filter-limit">Per page</label>
        <select id="filter-limit" value=${filters.limit} onChange=${set('limit')}>${['10', '20', '50', '100'].map((n) => html`<option value=${n}>${n}</option>`)}</select></div>
      <div class="check"><input type="checkbox" id="filter-deleting" checked=${filters.excludeDeleting} onChange=${set('excludeDeleting')} /><label for="filter-deleting">Hide tasks being deleted</label></div>
      <button type="submit">Apply</button>
    </form>
    ${Object.keys(errorFields).length || error ? html`<${ErrorSummary} error=${error} />` : null}
    ${!page && !error ? html`<p class="muted" role="status">Loading tasks…</p>` : null}
    ${page
      ? html`
          <p class="muted" role="status">${page.totalCount} task${page.totalCount === 1 ? '' : 's'}; showing ${page.currentPageCount}. Times in the task's zone and in yours (${zone}).</p>
          <table class="tasks">
            <caption class="sr-only">Sharing tasks</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Owner</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Enabled</th><th scope="col">Next run</th><th scope="col">Last run</th></tr></thead>
            <tbody>
              ${page.sharingTasks.map((task) => {
                const taskZone = task.scheduleOptions?.timezone ?? 'UTC';
                return html`
                  <tr>
                    <td data-label="Name"><a href=${`#/tasks/${encodeURIComponent(task.id)}`}>${task.name}</a></td>
                    <td data-label="Owner">${task.ownerName || task.owner}</td>
                    <td data-label="Type">${task.type}</td>
                    <td data-label="Status"><span title=${task.statusLabel ?? ''}>${inWords(task.statusCode)}</span></td>
                    <td data-label="Enabled">${task.enabled ? 'Yes' : html`<strong>No</strong>`}</td>
                    <td data-label="Next run">${task.nextScheduledRun
                      ? html`${formatIn(task.nextScheduledRun, taskZone)} <span class="muted">(${taskZone})</span><br /><small>${formatIn(task.nextScheduledRun, zone)} yours</small>`
                      : html`<span class="muted">none</span>`}</td>
                    <td data-label="Last run"><${LastRun} run=${latest[task.id]} /></td>
                  </tr>
                `;
              })}
            </tbody>
          </table>
          ${page.sharingTasks.length === 0 ? html`<p>No tasks match. <a href="#/tasks/new">Create one</a>.</p>` : null}
          <nav class="pager" aria-label="Pages">
            <button type="button" class="secondary" disabled=${!page.links.prev} onClick=${() => go('prev')}>Previous page</button>
            <button type="button" class="secondary" disabled=${!page.links.next} onClick=${() => go('next')}>Next page</button>
          </nav>
        `
      : null}
  `;
}
