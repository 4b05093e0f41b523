// The open trace: choosing one from the list, closing it, and following its documents as they
// arrive (the timeline is redrawn only when the trace changed).
import { getTrace } from './api.js';
import { byId } from './dom.js';
import { reportOffline } from './connection.js';
import { state } from './state.js';
import { renderTimeline } from './timeline.js';
import { renderTraceList } from './traces.js';

export function openTrace(id) {
  state.selectedTraceId = id;
  state.trace = undefined;
  state.traceKey = '';
  state.selectedDocId = undefined;
  for (const row of byId('trace-list').tBodies[0].rows) {
    row.classList.toggle('selected', row.dataset.traceId === id);
  }
  byId('trace-title').textContent = id;
  byId('trace-close').hidden = false;
  refreshTrace().catch(reportOffline);
}

export function closeTrace() {
  state.selectedTraceId = undefined;
  state.trace = undefined;
  state.traceKey = '';
  state.selectedDocId = undefined;
  byId('trace-title').textContent = '';
  byId('trace-close').hidden = true;
  byId('timeline').hidden = true;
  byId('details').hidden = true;
  byId('trace-hint').hidden = false;
  byId('trace-hint').textContent = 'Open a trace from the list to see its timeline.';
  renderTraceList();
}

export async function refreshTrace() {
  const id = state.selectedTraceId;
  if (id === undefined) return;
  const result = await getTrace(id);
  if (id !== state.selectedTraceId) return;
  if (!result.ok) {
    state.trace = undefined;
    state.traceKey = '';
    byId('timeline').hidden = true;
    byId('details').hidden = true;
    byId('trace-hint').hidden = false;
    byId('trace-hint').textContent =
      result.status === 404
        ? 'This trace is no longer in the store (evicted?).'
        : 'Could not load the trace.';
    return;
  }
  const key = JSON.stringify(result.body);
  if (key === state.traceKey) return; // unchanged: leave the timeline and the selected row alone
  state.traceKey = key;
  state.trace = result.body;
  renderTimeline();
}
