// The timeline of the open trace: one row per segment and subsegment as a call tree, each with a
// bar on the trace's time axis; a row shows its document's details.
import { append, byId, clear, el } from './dom.js';
import { renderDetails } from './details.js';
import { formatMs, statusOf } from './format.js';
import { state } from './state.js';

function byStartTime(a, b) {
  return (Number(a.start_time) || 0) - (Number(b.start_time) || 0);
}

/**
 * One row per segment and subsegment, depth-first. A segment whose parent_id names a subsegment of
 * this trace (a downstream service) goes under that subsegment, so the rows read as a call tree.
 */
export function timelineRows(trace) {
  const segments = (trace.segments || []).slice().sort(byStartTime);
  const ids = new Set();
  const collect = (doc) => {
    if (!doc || typeof doc !== 'object') return;
    ids.add(doc.id);
    for (const child of doc.subsegments || []) collect(child);
  };
  segments.forEach(collect);
  const childSegments = new Map();
  const topLevel = [];
  for (const segment of segments) {
    if (segment.parent_id && ids.has(segment.parent_id) && segment.parent_id !== segment.id) {
      if (!childSegments.has(segment.parent_id)) childSegments.set(segment.parent_id, []);
      childSegments.get(segment.parent_id).push(segment);
    } else {
      topLevel.push(segment);
    }
  }
  const rows = [];
  const seen = new Set();
  const visit = (doc, depth, isSegment) => {
    if (!doc || typeof doc !== 'object' || seen.has(doc)) return;
    seen.add(doc);
    rows.push({ doc, depth, isSegment });
    const children = (doc.subsegments || []).map((child) => ({ doc: child, isSegment: false }));
    for (const segment of childSegments.get(doc.id) || []) children.push({ doc: segment, isSegment: true });
    children.sort((a, b) => byStartTime(a.doc, b.doc));
    for (const child of children) visit(child.doc, depth + 1, child.isSegment);
  };
  for (const segment of topLevel) visit(segment, 0, true);
  // A segment in a parent cycle would never be reached from the top level: show it anyway.
  for (const segment of segments) if (!seen.has(segment)) visit(segment, 0, true);
  return rows;
}

function kindOf(doc, isSegment) {
  if (isSegment) return doc.origin || 'segment';
  if (doc.namespace === 'aws') return (doc.aws && doc.aws.operation ? doc.aws.operation + ' · ' : '') + 'aws';
  if (doc.namespace === 'remote') return 'remote';
  return '';
}

export function renderTimeline() {
  const trace = state.trace;
  const box = byId('timeline');
  const previousScroll = box.scrollTop;
  clear(box);
  const rows = timelineRows(trace);
  let start = Infinity;
  let end = -Infinity;
  for (const { doc } of rows) {
    const s = Number(doc.start_time);
    const e = Number(doc.end_time);
    if (isFinite(s)) {
      start = Math.min(start, s);
      end = Math.max(end, s);
    }
    if (isFinite(e)) end = Math.max(end, e);
  }
  if (!isFinite(start)) start = end = 0;
  const total = Math.max(end - start, 1e-6);

  const axis = el('div', { className: 'tl-row tl-axis' }, [el('div', { className: 'tl-name' }, 'Name')]);
  const ticks = el('div', { className: 'tl-track' });
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    append(
      ticks,
      el('span', { className: 'tl-tick', style: { left: fraction * 100 + '%' } }, formatMs(fraction * total)),
    );
  }
  append(axis, ticks);
  append(box, axis);

  let selectedRow;
  for (const { doc, depth, isSegment } of rows) {
    const s = isFinite(Number(doc.start_time)) ? Number(doc.start_time) : start;
    const inProgress = doc.in_progress === true || !isFinite(Number(doc.end_time));
    const e = inProgress ? end : Number(doc.end_time);
    const left = ((s - start) / total) * 100;
    const width = Math.max(((e - s) / total) * 100, 0);
    const status = inProgress ? 'in-progress' : statusOf(doc);
    const duration = inProgress ? 'in progress' : formatMs(e - s);
    const code = doc.http && doc.http.response && doc.http.response.status;
    const name = String(doc.name === undefined ? '(unnamed)' : doc.name);
    const kind = kindOf(doc, isSegment);

    const row = el(
      'div',
      {
        className: 'tl-row ' + (isSegment ? 'segment' : 'subsegment') + ' ' + status,
        tabIndex: 0,
        title: name + ' — ' + duration,
        dataset: { docId: String(doc.id), depth: String(depth), status },
      },
      [
        el('div', { className: 'tl-name', style: { paddingLeft: 6 + depth * 14 + 'px' } }, [
          el('span', { className: 'label' }, name),
          code !== undefined ? el('span', { className: 'kind' }, String(code)) : null,
          kind ? el('span', { className: 'kind' }, kind) : null,
        ]),
        el('div', { className: 'tl-track' }, [
          el('div', { className: 'tl-bar ' + status, style: { left: left + '%', width: width + '%' } }),
          el('span', { className: 'tl-duration', style: { left: left + width + '%' } }, duration),
        ]),
      ],
    );
    const select = () => selectDoc(doc, row);
    row.addEventListener('click', select);
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') select();
    });
    if (state.selectedDocId !== undefined && doc.id === state.selectedDocId) selectedRow = { doc, row };
    box.appendChild(row);
  }
  box.hidden = false;
  box.scrollTop = previousScroll;
  byId('trace-hint').hidden = true;
  if (selectedRow) {
    selectDoc(selectedRow.doc, selectedRow.row);
  } else {
    state.selectedDocId = undefined;
    const details = byId('details');
    clear(details);
    append(details, el('p', { className: 'empty' }, 'Click a row to see its details.'));
    details.hidden = false;
  }
}

function selectDoc(doc, row) {
  state.selectedDocId = doc.id;
  for (const other of byId('timeline').querySelectorAll('.tl-row.selected'))
    other.classList.remove('selected');
  row.classList.add('selected');
  renderDetails(doc);
}
