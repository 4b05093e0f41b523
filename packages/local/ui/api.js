/* global window */
// The JSON API of xray-local (src/api.ts), as the viewer calls it. Each call answers
// `{ status, ok, body }`; a network failure rejects (the poller reports the viewer offline).

async function getJson(url) {
  const response = await window.fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return { status: response.status, ok: response.ok, body };
}

export const getStats = () => getJson('/api/stats');

export const getServiceMap = () => getJson('/api/service-map');

export const getRejected = (limit) => getJson('/api/rejected?limit=' + limit);

/** Trace summaries, newest first; a bad filter answers 400 `{ error, position }`. */
export function getTraces(filter, limit) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (filter) query.set('filter', filter);
  return getJson('/api/traces?' + query.toString());
}

/** One trace's documents (`{ segments }`); 404 once it left the store. */
export const getTrace = (id) => getJson('/api/traces/' + encodeURIComponent(id));
