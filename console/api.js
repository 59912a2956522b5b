// The public REST API, as the console calls it: bearer token, JSON in and out, errors in the API's shape.

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, body) {
    const items = Array.isArray(body?.errors) ? body.errors : [];
    super(items.map((item) => item.detail || item.title).join('; ') || `the API answered ${status}`);
    this.status = status;
    this.items = items;
  }

  /** Problems that name a field: { 'templates[0].chartData.widthPx': ['must be …'] }. */
  byField() {
    const fields = {};
    for (const item of this.items) {
      const field = item.meta?.field;
      if (!field) continue;
      (fields[field] ??= []).push(item.detail || item.title);
    }
    return fields;
  }
}

export function createApi(session) {
  async function call(method, path, { query, body } = {}) {
    const url = new URL(`${API_BASE}${path}`, location.origin);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === '' || value === false) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${session.token()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.status === 401) session.expired(parsed?.errors?.[0]?.detail);
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed;
  }

  return {
    get: (path, query) => call('GET', path, { query }),
    post: (path, body) => call('POST', path, { body }),
    patch: (path, body) => call('PATCH', path, { body }),
    put: (path, body) => call('PUT', path, { body }),
    delete: (path) => call('DELETE', path),
    /** A file behind the token, saved by the browser under its name. */
    async download(path, fileName) {
      const response = await fetch(`${API_BASE}${path}`, { headers: { authorization: `Bearer ${session.token()}` } });
      if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => undefined));
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  };
}
