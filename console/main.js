import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { createApi } from './api.js';
import { createSession } from './session.js';
import { SignIn } from './sign-in.js';
import { TaskList } from './task-list.js';
import { TaskEditor } from './task-editor.js';
import { TaskPage } from './task-page.js';
import { Settings } from './settings.js';

const settings = JSON.parse(document.body.dataset.settings || '{}');

/** `#/tasks/abc/edit` → { view: 'edit', id: 'abc' }. */
function routeOf(hash) {
  const path = hash.replace(/^#\/?/, '').split('?')[0];
  const [section, id, action] = path.split('/').map(decodeURIComponent);
  if (section === 'settings') return { view: 'settings' };
  if (section === 'tasks' && id === 'new') return { view: 'edit' };
  if (section === 'tasks' && id && action === 'edit') return { view: 'edit', id };
  if (section === 'tasks' && id) return { view: 'task', id };
  return { view: 'list' };
}

function App({ session, api }) {
  const [, setVersion] = useState(0);
  const [route, setRoute] = useState(routeOf(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', onHash);
    // The address may have changed between the first render and this effect (a link followed while the page loaded).
    onHash();
    session.subscribe(() => setVersion((v) => v + 1));
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.querySelector('main h1')?.focus({ preventScroll: true });
  }, [route.view, route.id]);

  const claims = session.claims();
  if (!claims) return html`<${SignIn} session=${session} settings=${settings} />`;
  const page = {
    list: () => html`<${TaskList} api=${api} session=${session} />`,
    edit: () => html`<${TaskEditor} api=${api} session=${session} id=${route.id} key=${route.id ?? 'new'} />`,
    task: () => html`<${TaskPage} api=${api} session=${session} settings=${settings} id=${route.id} key=${route.id} />`,
    settings: () => html`<${Settings} api=${api} session=${session} />`,
  }[route.view]();
  return html`
    <a class="skip" href="#content" onClick=${(e) => { e.preventDefault(); document.getElementById('content')?.focus(); }}>Skip to content</a>
    <header class="top">
      <a class="brand" href="#/tasks">Sharing tasks</a>
      <nav aria-label="Main">
        <a href="#/tasks" aria-current=${route.view === 'list' ? 'page' : undefined}>Tasks</a>
        <a href="#/tasks/new" aria-current=${route.view === 'edit' && !route.id ? 'page' : undefined}>New task</a>
        <a href="#/settings" aria-current=${route.view === 'settings' ? 'page' : undefined}>Settings</a>
      </nav>
      <div class="who">
        <span><span class="sr-only">Signed in as </span>${claims.name || claims.sub} · ${claims.tenantId}${session.isAdmin() ? ' · admin' : ''}</span>
        <button type="button" class="secondary" onClick=${() => session.signOut('Signed out.')}>Sign out</button>
      </div>
    </header>
    <main id="content" tabindex="-1">${page}</main>
  `;
}

function start() {
  const listeners = new Set();
  const session = createSession(() => listeners.forEach((listener) => listener()));
  session.subscribe = (listener) => listeners.add(listener);
  // /console#token=<JWT>: the token is in the fragment, which browsers never send to the server.
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (fragment.get('token')) {
    const problem = session.signIn(fragment.get('token'));
    history.replaceState(null, '', `${location.pathname}#/tasks`);
    if (problem) session.signOut(`The token in the link was not accepted: ${problem}.`);
  }
  const api = createApi(session);
  const container = document.getElementById('app');
  container.textContent = ''; // the "Loading" line: Preact renders next to what is there, not over it
  render(html`<${App} session=${session} api=${api} />`, container);
}

start();
