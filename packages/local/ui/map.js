/* global window */
// The service map: X-Ray's nodes (services, inferred remote / AWS nodes, the client) and edges with
// their figures, drawn with Cytoscape.js (labels are drawn on a canvas, never parsed as HTML) and laid
// out left to right like the X-Ray console.
import { byId } from './dom.js';
import { formatMs, statusOfRates } from './format.js';
import { state } from './state.js';

const COLORS = {
  ok: '#2e8540',
  error: '#e88b00',
  fault: '#d13212',
  throttle: '#8c4fff',
  client: '#879596',
  inferred: '#5f6b7a',
  edge: '#9aa5b1',
};

let cy;

/** The Cytoscape instance, once initMap has run (undefined when the library did not load). */
export const getCy = () => cy;

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

/**
 * Draws into #map with Cytoscape.js (loaded before the modules by a classic script). `onService(name)`
 * is called when a service node is clicked.
 */
export function initMap(onService) {
  const cytoscape = window.cytoscape;
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
    onService(name);
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

export function renderMap(map) {
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
