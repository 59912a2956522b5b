import { html } from './html.js';

/** A form field's id from the API's field path: `templates[0].chartData.widthPx` → `f-templates-0-chartData-widthPx`. */
export const fieldId = (path) => `f-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;

/** The API's messages for one field, tied to its input by aria-describedby (`<id>-error`). */
export function FieldError({ errors, path }) {
  const messages = errors?.[path];
  if (!messages?.length) return null;
  return html`<p class="field-error" id=${`${fieldId(path)}-error`}>${messages.join('; ')}</p>`;
}

/** The API's messages for a field and everything under it (`recipients.emailAddresses[2]` under `recipients`). */
export function FieldErrorsUnder({ errors, path }) {
  const fields = Object.keys(errors ?? {}).filter((field) => field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`));
  if (!fields.length) return null;
  return html`<ul class="field-error" id=${`${fieldId(path)}-error`}>
    ${fields.map((field) => html`<li>${field === path ? '' : `${field.slice(path.length).replace(/^\./, '')}: `}${errors[field].join('; ')}</li>`)}
  </ul>`;
}

/** The attributes that tie an input to its field path and its error. */
export const fieldProps = (errors, path) => {
  const invalid = Object.keys(errors ?? {}).some((field) => field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`));
  return { id: fieldId(path), 'aria-invalid': invalid ? 'true' : undefined, 'aria-describedby': invalid ? `${fieldId(path)}-error` : undefined };
};

export function TextField({ label, path, value, onInput, errors, type = 'text', hint, ...rest }) {
  return html`
    <div class="field">
      <label for=${fieldId(path)}>${label}</label>
      ${hint ? html`<span class="hint">${hint}</span>` : null}
      <input type=${type} ...${fieldProps(errors, path)} value=${value ?? ''} onInput=${(e) => onInput(e.currentTarget.value)} ...${rest} />
      <${FieldErrorsUnder} errors=${errors} path=${path} />
    </div>
  `;
}

export function TextArea({ label, path, value, onInput, errors, hint, rows = 3, ...rest }) {
  return html`
    <div class="field">
      <label for=${fieldId(path)}>${label}</label>
      ${hint ? html`<span class="hint">${hint}</span>` : null}
      <textarea ...${fieldProps(errors, path)} rows=${rows} value=${value ?? ''} onInput=${(e) => onInput(e.currentTarget.value)} ...${rest}></textarea>
      <${FieldErrorsUnder} errors=${errors} path=${path} />
    </div>
  `;
}

export function SelectField({ label, path, value, onChange, options, errors, ...rest }) {
  return html`
    <div class="field">
      <label for=${fieldId(path)}>${label}</label>
      <select ...${fieldProps(errors, path)} value=${value} onChange=${(e) => onChange(e.currentTarget.value)} ...${rest}>
        ${options.map(([optionValue, text]) => html`<option value=${optionValue} selected=${optionValue === value}>${text}</option>`)}
      </select>
      <${FieldErrorsUnder} errors=${errors} path=${path} />
    </div>
  `;
}

export function Checkbox({ label, checked, onChange, id, ...rest }) {
  return html`
    <div class="check">
      <input type="checkbox" id=${id} checked=${checked} onChange=${(e) => onChange(e.currentTarget.checked)} ...${rest} />
      <label for=${id}>${label}</label>
    </div>
  `;
}

/** A status line read out by screen readers when it changes. */
export function Notice({ notice }) {
  return html`<div class=${`notice ${notice?.kind ?? ''}`} role="status" aria-live="polite">${notice?.text ?? ''}</div>`;
}

/** Errors of the API that name no field on the page (or every error, as a summary linking to the fields). */
export function ErrorSummary({ error }) {
  if (!error) return null;
  const items = error.items?.length ? error.items : [{ detail: error.message }];
  return html`
    <div class="error-summary" role="alert" tabindex="-1">
      <h2>The API refused this (${error.status ?? 'error'})</h2>
      <ul>
        ${items.map((item) => {
          const field = item.meta?.field;
          const text = `${field ? `${field}: ` : ''}${item.detail || item.title}`;
          return html`<li>${field ? html`<a href=${`#${fieldId(field)}`} onClick=${(e) => { e.preventDefault(); document.getElementById(fieldId(field))?.focus(); }}>${text}</a>` : text}</li>`;
        })}
      </ul>
    </div>
  `;
}

export const StatusBadge = ({ status }) => html`<span class=${`badge badge-${String(status).toLowerCase()}`}>${status}</span>`;
