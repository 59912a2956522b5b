import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { Checkbox, ErrorSummary, Notice, TextField } from './components.js';

const TOGGLES = [
  ['enable-sharing', 'Sharing enabled for the tenant'],
  ['enable-report-subscription', 'Report subscriptions'],
  ['enable-reporting-template-subscription', 'Reporting template subscriptions'],
];

export function Settings({ api, session }) {
  const [settings, setSettings] = useState();
  const [maxRecipients, setMaxRecipients] = useState('');
  const [error, setError] = useState();
  const [notice, setNotice] = useState();
  const admin = session.isTenantAdmin();
  const load = () =>
    api.get('/sharing-tasks/settings').then((loaded) => {
      setSettings(loaded);
      setMaxRecipients(String(loaded.maxRecipients));
    }, setError);
  useEffect(() => {
    void load();
  }, []);
  if (!settings) return html`<h1 tabindex="-1">Settings</h1>${error ? html`<${ErrorSummary} error=${error} />` : html`<p role="status">Loading…</p>`}`;

  const toggle = (key) => async (value) => {
    setError(undefined);
    try {
      await api.patch('/sharing-tasks/settings', [{ op: 'replace', path: `/${key}`, value }]);
      setNotice({ kind: 'ok', text: `Saved: ${key} is now ${value ? 'on' : 'off'}.` });
      await load();
    } catch (failure) {
      setError(failure);
    }
  };
  const saveMax = async (event) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.put('/sharing-tasks/settings', { maxRecipients: Number(maxRecipients) });
      setNotice({ kind: 'ok', text: `Saved: at most ${maxRecipients} recipients a task.` });
      await load();
    } catch (failure) {
      setError(failure);
    }
  };
  const errors = error?.byField?.() ?? {};
  return html`
    <h1 tabindex="-1">Settings of ${settings.tenantId}</h1>
    ${admin ? null : html`<p class="notice">Only a tenant admin (role TenantAdmin) changes these.</p>`}
    ${error ? html`<${ErrorSummary} error=${error} />` : null}
    <section class="card" aria-labelledby="toggles-title">
      <h2 id="toggles-title">Features</h2>
      ${TOGGLES.map(([key, label]) => html`<${Checkbox} id=${`setting-${key}`} label=${label} checked=${settings[key]} disabled=${!admin} onChange=${toggle(key)} />`)}
      <p class="muted">Turning a subscription kind off pauses its tasks until it is turned on again (template-sharing tasks: reporting template subscriptions; all others: report subscriptions). Under way: report subscriptions ${settings.reportSubscriptionStatus}, reporting template subscriptions ${settings.reportingTemplateSubscriptionStatus}; reporting service licence: ${settings['reporting-service-license-status']}.</p>
    </section>
    <form class="card" onSubmit=${saveMax} aria-labelledby="limits-title">
      <h2 id="limits-title">Limits</h2>
      <${TextField} label="Maximum recipients of a task" type="number" min="1" max="1000" path="maxRecipients" value=${maxRecipients} onInput=${setMaxRecipients} errors=${errors} disabled=${!admin} />
      <button type="submit" disabled=${!admin}>Save</button>
    </form>
    <${Notice} notice=${notice} />
  `;
}
