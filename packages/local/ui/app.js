/* global window, document, cytoscape */
// xray-local viewer: plain browser JS, no build step. Polls the JSON API every 2 s and draws the
// service map (Cytoscape.js), the trace list with its filter box, the open trace's timeline with
// details, the rejected documents and the counters.
//
// Every piece of span-derived text reaches the page through textContent / createTextNode (or as a
// Cytoscape label, which is drawn on a canvas): never through innerHTML. The server's content
// security policy is the second line of defence.
(function () {
  'use strict';

  const POLL_MS = 2000;
  /** After the last keystroke in the filter box, polling waits this long. */
  const TYPING_PAUSE_MS = 3000;
  const TRACE_LIMIT = 200;
  const REJECTED_LIMIT = 50;

  const COLORS = {
    ok: '#2e8540',
    error: '#e88b00',
    fault: '#d13212',
    throttle: '#8c4fff',
    client: '#879596',
    inferred: '#5f6b7a',
    edge: '#9aa5b1',
  };

  const state = {
    appliedFilter: '',
    traces: [],
    selectedTraceId: undefined,
    trace: undefined,
    traceKey: '',
    selectedDocId: undefined,
    mapKey: '',
    mapStructureKey: '',
    lastInputAt: 0,
    online: true,
    refreshCount: 0,
    timer: undefined,
    inFlight: undefined,
  };

  const byId = (id) => document.getElementById(id);
  const filterInput = byId('filter');

  // ---------------------------------------------------------------------------------------------
  // DOM helpers: the only way this file creates content. Strings become text nodes.

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      if (props.className) node.className = props.className;
      if (props.title !== undefined) node.title = String(props.title);
      if (props.tabIndex !== undefined) node.tabIndex = props.tabIndex;
      if (props.style) for (const [key, value] of Object.entries(props.style)) node.style[key] = value;
      if (props.dataset) for (const [key, value] of Object.entries(props.dataset)) node.dataset[key] = value;
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === undefined || children === null) return;
    if (!Array.isArray(children)) children = [children];
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ---------------------------------------------------------------------------------------------
  // Formatting

  function formatMs(seconds) {
    if (typeof seconds !== 'number' || !isFinite(seconds)) return '–';
    const ms = seconds * 1000;
    if (ms < 10) return ms.toFixed(2) + ' ms';
    if (ms < 100) return ms.toFixed(1) + ' ms';
    return Math.round(ms).toLocaleString('en-US') + ' ms';
  }

  function formatClock(epochSeconds) {
    const date = new Date(epochSeconds * 1000);
    if (isNaN(date.getTime())) return '–';
    const pad = (n, width) => String(n).padStart(width || 2, '0');
    return (
      pad(date.getHours()) +
      ':' +
      pad(date.getMinutes()) +
      ':' +
      pad(date.getSeconds()) +
      '.' +
      pad(date.getMilliseconds(), 3)
    );
  }

  function formatIso(epochSeconds) {
    const date = new Date(epochSeconds * 1000);
    return isNaN(date.getTime()) ? String(epochSeconds) : date.toISOString();
  }

  function formatValue(value) {
    if (typeof value === 'string') return value;
    return JSON.stringify(value);
  }

  /** X-Ray's meaning of the flags, worst first: a fault (5xx) wins over a throttle (429) over an error (4xx). */
  function statusOf(flags) {
    if (!flags) return 'ok';
    if (flags.fault) return 'fault';
    if (flags.throttle) return 'throttle';
    if (flags.error) return 'error';
    return 'ok';
  }

  function statusOfRates(stats) {
    if (!stats || !stats.requests) return 'ok';
    return statusOf({
      fault: stats.faultRate > 0,
      throttle: stats.throttleRate > 0,
      error: stats.errorRate > 0,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // API

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

  // ---------------------------------------------------------------------------------------------
  // Stats

  function renderStats(stats) {
    const box = byId('stats');
    clear(box);
    const items = [
      ['received', stats.received],
      ['accepted', stats.accepted],
      ['rejected', stats.rejected, stats.rejected > 0],
      ['evicted', stats.evicted, stats.evicted > 0],
      ['traces', stats.traces],
      ['documents', stats.documents],
    ];
    for (const [name, value, warn] of items) {
      append(
        box,
        el('span', { className: 'stat' + (warn ? ' warn' : ''), dataset: { stat: name } }, [
          name + ' ',
          el('span', { className: 'stat-value' }, String(value === undefined ? '–' : value)),
        ]),
      );
    }
    const reasons = Object.entries(stats.rejectedByReason || {})
      .map(([reason, count]) => reason + ': ' + count)
      .join(' · ');
    byId('rejected-reasons').textContent = reasons;
  }

  // ---------------------------------------------------------------------------------------------
  // Service map

  let cy;

  const MAP_STYLE = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '180px',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 6,
        'font-size': 11,
        'font-family': 'system-ui, sans-serif',
        color: '#16191f',
        'text-background-color': '#fcfcfc',
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        width: 46,
        height: 46,
        'background-color': 'data(color)',
        'border-width': 3,
        'border-color': '#ffffff',
        shape: 'ellipse',
      },
    },
    {
      selector: 'node.inferred',
      style: {
        shape: 'round-rectangle',
        'background-opacity': 0.25,
        'border-width': 3,
        'border-style': 'dashed',
        'border-color': 'data(color)',
      },
    },
    {
      selector: 'node.client',
      style: { width: 32, height: 32, 'background-color': COLORS.client, 'border-color': '#ffffff' },
    },
    { selector: 'node:selected', style: { 'overlay-color': '#0073bb', 'overlay-opacity': 0.15 } },
    {
      selector: 'edge',
      style: {
        width: 2,
        'curve-style': 'bezier',
        'line-color': 'data(color)',
        'target-arrow-color': 'data(color)',
        'target-arrow-shape': 'triangle',
        label: 'data(label)',
        'font-size': 10,
        'font-family': 'system-ui, sans-serif',
        color: '#16191f',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
      },
    },
  ];

  function initMap() {
    if (typeof cytoscape !== 'function') {
      byId('map-empty').textContent = 'The graph library (/vendor/cytoscape.min.js) did not load.';
      return;
    }
    cy = cytoscape({
      container: byId('map'),
      elements: [],
      style: MAP_STYLE,
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
    });
    // Clicking a service filters the trace list to it, as the X-Ray console does.
    cy.on('tap', 'node', (event) => {
      const name = event.target.data('name');
      if (event.target.hasClass('client') || typeof name !== 'string' || /["\\]/.test(name)) return;
      filterInput.value = 'service("' + name + '")';
      applyFilter();
    });
    byId('map-fit').addEventListener('click', fitMap);
  }

  function mapElements(map) {
    const elements = [];
    const nodeIds = new Set();
    for (const node of map.nodes || []) {
      nodeIds.add(node.id);
      const isClient = node.type === 'client';
      const status = statusOfRates(node.stats);
      const label = isClient ? 'Client' : node.name + '\n' + node.type;
      elements.push({
        group: 'nodes',
        data: {
          id: node.id,
          name: node.name,
          type: node.type,
          label,
          status,
          inferred: Boolean(node.inferred),
          requests: node.stats ? node.stats.requests : 0,
          color: isClient ? COLORS.client : COLORS[status],
        },
        classes: [isClient ? 'client' : node.inferred ? 'inferred' : 'service', status].join(' '),
      });
    }
    for (const edge of map.edges || []) {
      if (!nodeIds.has(edge.source) || !nodeIds.has(edge.target)) continue;
      const stats = edge.stats || {};
      const status = statusOfRates(stats);
      elements.push({
        group: 'edges',
        data: {
          id: edge.source + ' -> ' + edge.target,
          source: edge.source,
          target: edge.target,
          label: (stats.requests || 0) + ' req · ' + formatMs(stats.averageLatency) + ' avg',
          requests: stats.requests || 0,
          averageLatency: stats.averageLatency,
          status,
          color: status === 'ok' ? COLORS.edge : COLORS[status],
        },
        classes: status,
      });
    }
    return elements;
  }

  /**
   * Left to right, like the X-Ray console: a column per call depth (the client first), nodes of a
   * column stacked and centred. Depth is the longest path from a root, so callees sit right of callers.
   */
  function layeredPositions(elements) {
    const nodes = elements.filter((element) => element.group === 'nodes').map((element) => element.data.id);
    const edges = elements.filter((element) => element.group === 'edges').map((element) => element.data);
    const depth = new Map(nodes.map((id) => [id, 0]));
    // Longest-path layering, bounded so a cycle cannot loop forever.
    for (let round = 0; round < nodes.length; round++) {
      let changed = false;
      for (const edge of edges) {
        if (edge.source === edge.target) continue;
        const next = depth.get(edge.source) + 1;
        if (next > depth.get(edge.target) && next < nodes.length) {
          depth.set(edge.target, next);
          changed = true;
        }
      }
      if (!changed) break;
    }
    const columns = new Map();
    for (const id of nodes) {
      const column = depth.get(id);
      if (!columns.has(column)) columns.set(column, []);
      columns.get(column).push(id);
    }
    const positions = new Map();
    for (const [column, ids] of columns) {
      ids.sort();
      ids.forEach((id, index) => {
        positions.set(id, { x: column * 240, y: (index - (ids.length - 1) / 2) * 110 });
      });
    }
    return positions;
  }

  function renderMap(map) {
    const key = JSON.stringify(map);
    if (key === state.mapKey) return;
    state.mapKey = key;
    const elements = mapElements(map);
    byId('map-empty').hidden = elements.length > 0;
    if (!cy) return;
    const structureKey = elements
      .map((element) => element.data.id)
      .sort()
      .join('\n');
    if (structureKey === state.mapStructureKey) {
      // Same graph: update labels and colours in place, so nothing moves under the user.
      cy.batch(() => {
        for (const element of elements) {
          const existing = cy.getElementById(element.data.id);
          existing.data(element.data);
          existing.classes(element.classes);
        }
      });
      return;
    }
    state.mapStructureKey = structureKey;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    const positions = layeredPositions(elements);
    cy.layout({ name: 'preset', positions: (node) => positions.get(node.id()), animate: false }).run();
    fitMap();
  }

  /** Fit the graph, but never zoom a small graph in beyond 1.2x. */
  function fitMap() {
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.2) {
      cy.zoom(1.2);
      cy.center();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Trace list and filter

  function isTyping() {
    if (document.activeElement !== filterInput) return false;
    return (
      Date.now() - state.lastInputAt < TYPING_PAUSE_MS || filterInput.value.trim() !== state.appliedFilter
    );
  }

  function applyFilter() {
    state.appliedFilter = filterInput.value.trim();
    state.lastInputAt = 0;
    refreshTraces().catch(reportOffline);
  }

  async function refreshTraces() {
    const filter = state.appliedFilter;
    const query = new URLSearchParams({ limit: String(TRACE_LIMIT) });
    if (filter) query.set('filter', filter);
    const result = await getJson('/api/traces?' + query.toString());
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

  function renderTraceList() {
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
      row.addEventListener('click', () => openTrace(summary.id));
      row.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') openTrace(summary.id);
      });
      body.appendChild(row);
    }
    byId('trace-empty').hidden = state.traces.length > 0;
    byId('trace-count').textContent =
      state.traces.length +
      (state.traces.length === 1 ? ' trace' : ' traces') +
      (state.appliedFilter ? ' matching the filter' : '');
  }

  // ---------------------------------------------------------------------------------------------
  // Trace timeline and details

  function openTrace(id) {
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

  function closeTrace() {
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

  async function refreshTrace() {
    const id = state.selectedTraceId;
    if (id === undefined) return;
    const result = await getJson('/api/traces/' + encodeURIComponent(id));
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

  function byStartTime(a, b) {
    return (Number(a.start_time) || 0) - (Number(b.start_time) || 0);
  }

  /**
   * One row per segment and subsegment, depth-first. A segment whose parent_id names a subsegment of
   * this trace (a downstream service) goes under that subsegment, so the rows read as a call tree.
   */
  function timelineRows(trace) {
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
    if (doc.namespace === 'aws')
      return (doc.aws && doc.aws.operation ? doc.aws.operation + ' · ' : '') + 'aws';
    if (doc.namespace === 'remote') return 'remote';
    return '';
  }

  function renderTimeline() {
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
        el(
          'span',
          { className: 'tl-tick', style: { left: fraction * 100 + '%' } },
          formatMs(fraction * total),
        ),
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
            (exception.type || 'Exception') +
              (exception.message !== undefined ? ': ' + exception.message : ''),
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

  function renderDetails(doc) {
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
      append(
        box,
        el('div', { className: 'block', dataset: { block: field } }, section(title, render(value))),
      );
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

  // ---------------------------------------------------------------------------------------------
  // Rejected documents

  function renderRejected(rejected) {
    const body = byId('rejected-list').tBodies[0];
    clear(body);
    for (const rejection of rejected) {
      const sample = String(rejection.sample || '');
      append(
        body,
        el('tr', { dataset: { reason: String(rejection.reason) } }, [
          el('td', { className: 'time' }, formatClock(rejection.receivedAt / 1000)),
          el('td', null, String(rejection.source)),
          el('td', { className: 'reason' }, String(rejection.reason)),
          el('td', { className: 'detail' }, String(rejection.detail)),
          el(
            'td',
            { className: 'sample' },
            el('details', null, [
              el('summary', null, sample.slice(0, 80) || '(empty)'),
              el('pre', null, sample),
            ]),
          ),
        ]),
      );
    }
    byId('rejected-empty').hidden = rejected.length > 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Polling

  function setConnection(kind, text) {
    const box = byId('connection');
    box.className = 'connection ' + kind;
    box.textContent = text;
  }

  function reportOffline(error) {
    state.online = false;
    setConnection('offline', 'offline: ' + (error && error.message ? error.message : 'API unreachable'));
  }

  async function refreshAll() {
    const [stats, map, rejected] = await Promise.all([
      getJson('/api/stats'),
      getJson('/api/service-map'),
      getJson('/api/rejected?limit=' + REJECTED_LIMIT),
      refreshTraces(),
      refreshTrace(),
    ]);
    if (stats.ok && stats.body) renderStats(stats.body);
    if (map.ok && map.body) renderMap(map.body);
    if (rejected.ok && rejected.body) renderRejected(rejected.body.rejected || []);
    state.online = true;
    state.refreshCount++;
    setConnection('live', 'live · updated ' + formatClock(Date.now() / 1000).slice(0, 8));
  }

  /** One refresh at a time; returns the one under way if there is one. */
  function refresh() {
    if (!state.inFlight) {
      state.inFlight = refreshAll()
        .catch(reportOffline)
        .finally(() => {
          state.inFlight = undefined;
        });
    }
    return state.inFlight;
  }

  function schedule() {
    state.timer = window.setTimeout(async () => {
      if (isTyping()) {
        setConnection('paused', 'paused while you type');
      } else {
        await refresh();
      }
      schedule();
    }, POLL_MS);
  }

  // ---------------------------------------------------------------------------------------------
  // Start

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
  byId('trace-close').addEventListener('click', closeTrace);

  initMap();
  // For tests and for poking around in the devtools console.
  window.__xrayLocal = {
    get cy() {
      return cy;
    },
    state,
    refresh,
    timelineRows,
  };
  refresh().then(schedule);
})();
