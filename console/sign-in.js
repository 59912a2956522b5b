import { useState } from 'preact/hooks';
import { html } from './html.js';

function DevSignIn({ session }) {
  const [form, setForm] = useState({ tenant: 'acme', user: 'alice', email: 'alice@example.com', admin: false });
  const [problem, setProblem] = useState();
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const submit = async (event) => {
    event.preventDefault();
    const response = await fetch('/console/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...form, email: form.email || undefined }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) return setProblem(body.errors?.map((e) => `${e.meta?.field ?? ''} ${e.detail ?? e.title}`).join('; ') ?? `answered ${response.status}`);
    setProblem(session.signIn(body.token));
  };
  return html`
    <form class="card" onSubmit=${submit} aria-labelledby="dev-title">
      <h2 id="dev-title">Development sign-in</h2>
      <p class="hint">Only on the local stack (<code>npm start</code>): mints a token for anyone you type.</p>
      <div class="row">
        <div class="field"><label for="dev-tenant">Tenant</label><input id="dev-tenant" required value=${form.tenant} onInput=${set('tenant')} /></div>
        <div class="field"><label for="dev-user">User id</label><input id="dev-user" required value=${form.user} onInput=${set('user')} /></div>
        <div class="field"><label for="dev-email">E-mail</label><input id="dev-email" type="email" value=${form.email} onInput=${set('email')} /></div>
      </div>
      <div class="check"><input type="checkbox" id="dev-admin" checked=${form.admin} onChange=${set('admin')} /><label for="dev-admin">Tenant admin</label></div>
      ${problem ? html`<p class="field-error" role="alert">${problem}</p>` : null}
      <button type="submit">Sign in as this user</button>
    </form>
  `;
}

export function SignIn({ session, settings }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState();
  const submit = (event) => {
    event.preventDefault();
    setProblem(session.signIn(token.trim()));
  };
  return html`
    <main id="content" class="sign-in" tabindex="-1">
      <h1 tabindex="-1">Sharing tasks console</h1>
      ${session.notice() ? html`<p class="notice" role="status">${session.notice()}</p>` : null}
      <form class="card" onSubmit=${submit} aria-labelledby="token-title">
        <h2 id="token-title">Sign in with a token</h2>
        <div class="field">
          <label for="token">Bearer token (JWT)</label>
          <span class="hint">The token your identity provider issued, or <code>npm run --silent token -- --tenant acme --user alice</code>. It stays in this browser tab only.</span>
          <textarea id="token" rows="4" required spellcheck="false" aria-invalid=${problem ? 'true' : undefined} aria-describedby=${problem ? 'token-error' : undefined} value=${token} onInput=${(e) => setToken(e.currentTarget.value)}></textarea>
          ${problem ? html`<p class="field-error" id="token-error">${problem}</p>` : null}
        </div>
        <button type="submit">Sign in</button>
      </form>
      ${settings.devSignIn ? html`<${DevSignIn} session=${session} />` : null}
    </main>
  `;
}
