/* global document */
// The trace list and its filter box: X-Ray filter expressions go to the API as typed, a bad one is
// shown with a caret under the position the parser names, and a row opens its trace.
import { getTraces } from './api.js';
import { append, byId, clear, el } from './dom.js';
import { reportOffline } from './connection.js';
import { formatClock, formatMs, statusOf } from './format.js';
import { state } from './state.js';

const TRACE_LIMIT = 200;
/** After the last keystroke in the filter box, polling waits this long. */
const TYPING_PAUSE_MS = 3000;

const filterInput = byId('filter');
let onOpen = () => undefined;

/** Wires the filter box; `open(traceId)` is called when a row is chosen. */
export function initTraceList(open) {
  onOpen = open;
  byId('filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilter();
  });
  byId('filter-clear').addEventListener('click', () => {
    filterInput.value = '';
    applyFilter();
  });
  filterInput.addEventListener('input', () => {
    state.lastInputAt = Date.now();
  });
}

/** The X-Ray console's click on a service: the list shows the traces through it. */
export function filterByService(name) {
  filterInput.value = 'service("' + name + '")';
  applyFilter();
}

export function isTyping() {
  if (document.activeElement !== filterInput) return false;
  return Date.now() - state.lastInputAt < TYPING_PAUSE_MS || filterInput.value.trim() !== state.appliedFilter;
}

export function applyFilter() {
  state.appliedFilter = filterInput.value.trim();
  state.lastInputAt = 0;
  refreshTraces().catch(reportOffline);
}

export async function refreshTraces() {
  const filter = state.appliedFilter;
  const result = await getTraces(filter, TRACE_LIMIT);
  if (filter !== state.appliedFilter) return; // a newer filter was applied meanwhile
  if (!result.ok) {
    const body = result.body || {};
    renderFilterError(filter, body.error || 'HTTP ' + result.status, body.position);
    state.traces = [];
    renderTraceList();
    byId('trace-count').textContent = 'filter error';
    return;
  }
  renderFilterError(undefined);
  state.traces = (result.body && result.body.traces) || [];
  renderTraceList();
}

function renderFilterError(expression, message, position) {
  const box = byId('filter-error');
  clear(box);
  filterInput.classList.toggle('invalid', expression !== undefined);
  if (expression === undefined) {
    box.hidden = true;
    return;
  }
  const hasPosition = typeof position === 'number' && position >= 0;
  // Tabs would break the caret's column; show them as single spaces.
  const shown = expression.replace(/\t/g, ' ');
  const pre = el('pre', { className: 'expression' }, shown);
  if (hasPosition) {
    append(pre, [
      '\n',
      el('span', { className: 'caret' }, ' '.repeat(Math.min(position, shown.length)) + '^'),
    ]);
  }
  append(box, [
    pre,
    el(
      'div',
      { className: 'message' },
      // The parser's message usually says the position already.
      String(message) +
        (hasPosition && !/position/i.test(String(message)) ? ' (at position ' + position + ')' : ''),
    ),
  ]);
  box.hidden = false;
}

function traceStatusBadge(summary) {
  const status = statusOf(summary);
  const code = summary.http && summary.http.status;
  const text =
    code !== undefined
      ? String(code)
      : { ok: 'OK', error: 'Error', fault: 'Fault', throttle: 'Throttle' }[status];
  return el('span', { className: 'badge ' + status }, text);
}

export function renderTraceList() {
  const body = byId('trace-list').tBodies[0];
  clear(body);
  for (const summary of state.traces) {
    const http = summary.http || {};
    const name = http.method || http.url ? [http.method, http.url].filter(Boolean).join(' ') : summary.name;
    const row = el(
      'tr',
      {
        className: summary.id === state.selectedTraceId ? 'selected' : '',
        tabIndex: 0,
        dataset: { traceId: summary.id },
        title: summary.name,
      },
      [
        el('td', { className: 'time' }, formatClock(summary.startTime)),
        el('td', { className: 'name' }, [
          el('div', { className: 'label' }, name || summary.name),
          el('div', { className: 'id' }, summary.id),
        ]),
        el('td', null, traceStatusBadge(summary)),
        el('td', { className: 'num' }, formatMs(summary.responseTime)),
        el('td', { className: 'num' }, formatMs(summary.duration)),
        el('td', { className: 'services' }, (summary.services || []).join(', ')),
      ],
    );
    row.addEventListener('click', () => onOpen(summary.id));
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') onOpen(summary.id);
    });
    body.appendChild(row);
  }
  byId('trace-empty').hidden = state.traces.length > 0;
  byId('trace-count').textContent =
    state.traces.length +
    (state.traces.length === 1 ? ' trace' : ' traces') +
    (state.appliedFilter ? ' matching the filter' : '');
}
