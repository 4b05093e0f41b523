// The details of one document: its identity and times, then X-Ray's blocks (annotations, http,
// sql, aws, cause with exceptions and stack frames, metadata) and the raw JSON.
import { append, byId, clear, el } from './dom.js';
import { formatIso, formatMs, formatValue, statusOf } from './format.js';

function keyValueTable(entries) {
  return el(
    'table',
    { className: 'kv' },
    el(
      'tbody',
      null,
      entries.map(([key, value]) =>
        el('tr', null, [
          el('td', { className: 'key' }, key),
          el('td', { className: 'value' }, formatValue(value)),
        ]),
      ),
    ),
  );
}

/** `{ request: { method: 'GET' } }` → `[['request.method', 'GET']]`, arrays kept whole. */
function flatten(value, prefix, out) {
  out = out || [];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out.push([prefix, value]);
    for (const key of keys) flatten(value[key], prefix ? prefix + '.' + key : key, out);
  } else {
    out.push([prefix, value]);
  }
  return out;
}

function section(title, content) {
  return [el('h4', null, title), content];
}

function renderCause(cause) {
  if (typeof cause === 'string') {
    return el('p', null, 'Same exception as ' + cause + ' (recorded in another document).');
  }
  const parts = [];
  if (cause.working_directory)
    parts.push(el('div', { className: 'muted' }, 'Working directory: ' + cause.working_directory));
  if (Array.isArray(cause.paths) && cause.paths.length > 0) {
    parts.push(el('div', { className: 'muted' }, 'Paths: ' + cause.paths.join(', ')));
  }
  for (const exception of cause.exceptions || []) {
    const flags = ['remote', 'truncated', 'skipped']
      .filter((flag) => exception[flag] !== undefined && exception[flag] !== false)
      .map((flag) => (exception[flag] === true ? flag : flag + ' ' + exception[flag]));
    const frames = (exception.stack || []).map((frame) =>
      el(
        'li',
        null,
        (frame.label || '(anonymous)') +
          (frame.path ? ' — ' + frame.path + (frame.line !== undefined ? ':' + frame.line : '') : ''),
      ),
    );
    parts.push(
      el('div', { className: 'exception' }, [
        el(
          'div',
          { className: 'title' },
          (exception.type || 'Exception') + (exception.message !== undefined ? ': ' + exception.message : ''),
        ),
        el(
          'div',
          { className: 'muted' },
          ['id ' + (exception.id || '–')]
            .concat(flags)
            .concat(exception.cause ? ['caused by ' + exception.cause] : [])
            .join(' · '),
        ),
        frames.length > 0 ? el('ol', null, frames) : null,
      ]),
    );
  }
  if (parts.length === 0) parts.push(el('pre', null, JSON.stringify(cause, null, 2)));
  return el('div', { className: 'cause' }, parts);
}

export function renderDetails(doc) {
  const box = byId('details');
  clear(box);
  const start = Number(doc.start_time);
  const end = Number(doc.end_time);
  const summary = [
    ['id', doc.id],
    doc.parent_id !== undefined ? ['parent_id', doc.parent_id] : null,
    doc.trace_id !== undefined ? ['trace_id', doc.trace_id] : null,
    doc.origin !== undefined ? ['origin', doc.origin] : null,
    doc.namespace !== undefined ? ['namespace', doc.namespace] : null,
    ['start', formatIso(start)],
    isFinite(end) ? ['end', formatIso(end)] : ['end', 'in progress'],
    isFinite(end) ? ['duration', formatMs(end - start)] : null,
    ['status', statusOf(doc) + (doc.in_progress ? ' (in progress)' : '')],
    doc.user !== undefined ? ['user', doc.user] : null,
    doc.service !== undefined ? ['service', doc.service] : null,
  ].filter(Boolean);

  append(box, [el('h3', null, String(doc.name)), keyValueTable(summary)]);
  const blocks = [
    ['Annotations', 'annotations', (value) => keyValueTable(Object.entries(value))],
    ['HTTP', 'http', (value) => keyValueTable(flatten(value))],
    ['SQL', 'sql', (value) => keyValueTable(flatten(value))],
    ['AWS', 'aws', (value) => keyValueTable(flatten(value))],
    ['Cause', 'cause', renderCause],
    ['Metadata', 'metadata', (value) => el('pre', null, JSON.stringify(value, null, 2))],
  ];
  for (const [title, field, render] of blocks) {
    const value = doc[field];
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    append(box, el('div', { className: 'block', dataset: { block: field } }, section(title, render(value))));
  }
  const raw = Object.assign({}, doc);
  delete raw.subsegments;
  append(
    box,
    el('details', { className: 'raw' }, [
      el('summary', null, 'Raw document (without nested subsegments)'),
      el('pre', null, JSON.stringify(raw, null, 2)),
    ]),
  );
  box.hidden = false;
}
