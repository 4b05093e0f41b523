/**
 * Service graph, as X-Ray computes it: a node per service (segment name + origin), a `client` node in
 * front of entry segments, inferred nodes for downstream calls recorded only as subsegments with
 * `namespace` `remote` (type `remote`) or `aws` (type `AWS::<name>`), and edges caller -> callee with
 * request counts, average latency and error / fault / throttle rates.
 *
 * `analyzeTrace` (one trace) is shared with the filter engine (`service()` / `edge()`).
 */
import type { EdgeStats, SegmentDocument, ServiceMap, ServiceMapEdge, ServiceMapNode } from './types';
import { isObject } from '@xray-otel/core';

/** Type of a service whose segments carry no `origin`. */
export const DEFAULT_SERVICE_TYPE = 'service';
export const CLIENT_NODE: GraphNode = { name: 'client', type: 'client', inferred: true };

export interface GraphNode {
  name: string;
  type: string;
  inferred: boolean;
}

/** A node handling one request: a service's segment, or an inferred node's calling subsegment. */
export interface TraceVisit {
  node: GraphNode;
  doc: SegmentDocument;
  /** The segment is an entry point (no upstream in the trace). */
  root: boolean;
}

/** One request along an edge; `doc` is the callee side (its segment, or the calling subsegment). */
export interface TraceCall {
  source: GraphNode;
  target: GraphNode;
  doc: SegmentDocument;
}

export interface TraceGraph {
  visits: TraceVisit[];
  calls: TraceCall[];
}

// One home for the guard (@xray-otel/core); re-exported for the modules that take it from here.
export { isObject };

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function children(doc: SegmentDocument): SegmentDocument[] {
  const subs = doc.subsegments;
  return Array.isArray(subs) ? subs.filter(isObject) : [];
}

export function isSubsegment(doc: SegmentDocument): boolean {
  return doc.type === 'subsegment';
}

export function isInProgress(doc: SegmentDocument): boolean {
  return doc.in_progress === true || num(doc.end_time) === undefined;
}

/** end_time - start_time, or undefined while in progress. */
export function latencyOf(doc: SegmentDocument): number | undefined {
  const start = num(doc.start_time);
  const end = num(doc.end_time);
  return start === undefined || end === undefined ? undefined : end - start;
}

export function nodeId(node: GraphNode): string {
  return `${node.name}|${node.type}`;
}

export function serviceNode(segment: SegmentDocument): GraphNode {
  return {
    name: str(segment.name) ?? 'unknown',
    type: str(segment.origin) || DEFAULT_SERVICE_TYPE,
    inferred: false,
  };
}

function byStart(a: SegmentDocument, b: SegmentDocument): number {
  const d = (num(a.start_time) ?? 0) - (num(b.start_time) ?? 0);
  if (d !== 0) return d;
  const ia = str(a.id) ?? '';
  const ib = str(b.id) ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** Sorts documents by start_time then id (a copy). */
export function sortByStart(docs: SegmentDocument[]): SegmentDocument[] {
  return [...docs].sort(byStart);
}

/**
 * The trace's root: the earliest segment without `parent_id`, else the earliest segment, else the
 * earliest document.
 */
export function rootDocument(documents: SegmentDocument[]): SegmentDocument | undefined {
  const sorted = sortByStart(documents);
  const segments = sorted.filter((d) => !isSubsegment(d));
  return segments.find((d) => str(d.parent_id) === undefined) ?? segments[0] ?? sorted[0];
}

function inferredNode(sub: SegmentDocument): GraphNode | undefined {
  const name = str(sub.name) ?? 'unknown';
  if (sub.namespace === 'remote') return { name, type: 'remote', inferred: true };
  if (sub.namespace === 'aws') return { name, type: `AWS::${name}`, inferred: true };
  return undefined;
}

/** Nodes and calls of one trace (its documents: segments and independent subsegments). */
export function analyzeTrace(documents: SegmentDocument[]): TraceGraph {
  const segments = sortByStart(documents.filter((d) => !isSubsegment(d)));
  const owner = new Map<string, SegmentDocument>();
  const underCall = new Map<string, boolean>();
  const subs: Array<{ doc: SegmentDocument; owner: SegmentDocument; underCall: boolean }> = [];

  const walk = (doc: SegmentDocument, seg: SegmentDocument, inCall: boolean): void => {
    for (const child of children(doc)) {
      const id = str(child.id);
      if (id !== undefined && !owner.has(id)) {
        owner.set(id, seg);
        underCall.set(id, inCall || inferredNode(child) !== undefined);
      }
      subs.push({ doc: child, owner: seg, underCall: inCall });
      walk(child, seg, inCall || inferredNode(child) !== undefined);
    }
  };
  for (const seg of segments) {
    const id = str(seg.id);
    if (id !== undefined && !owner.has(id)) {
      owner.set(id, seg);
      underCall.set(id, false);
    }
    walk(seg, seg, false);
  }
  // Independent subsegments: resolve their segment through the parent chain, in any arrival order.
  let pending = sortByStart(documents.filter(isSubsegment));
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    const next: SegmentDocument[] = [];
    for (const sub of pending) {
      const parentId = str(sub.parent_id);
      const seg = parentId === undefined ? undefined : owner.get(parentId);
      const id = str(sub.id);
      if (seg === undefined || parentId === undefined || id === undefined || owner.has(id)) {
        if (seg === undefined) next.push(sub);
        continue;
      }
      const inCall = underCall.get(parentId) === true;
      owner.set(id, seg);
      underCall.set(id, inCall || inferredNode(sub) !== undefined);
      subs.push({ doc: sub, owner: seg, underCall: inCall });
      walk(sub, seg, inCall || inferredNode(sub) !== undefined);
      progress = true;
    }
    pending = next;
  }

  const visits: TraceVisit[] = [];
  const calls: TraceCall[] = [];
  const answered = new Set<string>();
  for (const seg of segments) {
    const parentId = str(seg.parent_id);
    if (parentId !== undefined) answered.add(parentId);
  }
  for (const seg of segments) {
    const node = serviceNode(seg);
    const parentId = str(seg.parent_id);
    const caller = parentId === undefined ? undefined : owner.get(parentId);
    const root = caller === undefined || caller === seg;
    visits.push({ node, doc: seg, root });
    calls.push({ source: root ? CLIENT_NODE : serviceNode(caller), target: node, doc: seg });
  }
  for (const { doc, owner: seg, underCall: inCall } of subs) {
    const node = inferredNode(doc);
    const id = str(doc.id);
    if (node === undefined || inCall || (id !== undefined && answered.has(id))) continue;
    visits.push({ node, doc, root: false });
    calls.push({ source: serviceNode(seg), target: node, doc });
  }
  return { visits, calls };
}

interface Accumulator {
  requests: number;
  latencySum: number;
  latencyCount: number;
  errors: number;
  faults: number;
  throttles: number;
}

function newAccumulator(): Accumulator {
  return { requests: 0, latencySum: 0, latencyCount: 0, errors: 0, faults: 0, throttles: 0 };
}

function accumulate(acc: Accumulator, doc: SegmentDocument): void {
  acc.requests++;
  const latency = latencyOf(doc);
  if (latency !== undefined) {
    acc.latencySum += latency;
    acc.latencyCount++;
  }
  if (doc.error === true) acc.errors++;
  if (doc.fault === true) acc.faults++;
  if (doc.throttle === true) acc.throttles++;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function toStats(acc: Accumulator): EdgeStats {
  const rate = (n: number): number => (acc.requests === 0 ? 0 : n / acc.requests);
  return {
    requests: acc.requests,
    averageLatency: acc.latencyCount === 0 ? 0 : round(acc.latencySum / acc.latencyCount),
    errorRate: rate(acc.errors),
    faultRate: rate(acc.faults),
    throttleRate: rate(acc.throttles),
  };
}

/** The service map over traces: nodes sorted by id, edges by source then target. */
export function buildServiceMap(traces: Iterable<{ documents: SegmentDocument[] }>): ServiceMap {
  const nodes = new Map<string, { node: GraphNode; acc: Accumulator }>();
  const edges = new Map<string, { source: string; target: string; acc: Accumulator }>();
  const nodeEntry = (node: GraphNode) => {
    const id = nodeId(node);
    let entry = nodes.get(id);
    if (entry === undefined) {
      entry = { node, acc: newAccumulator() };
      nodes.set(id, entry);
    }
    return entry;
  };
  for (const trace of traces) {
    const graph = analyzeTrace(trace.documents);
    for (const visit of graph.visits) accumulate(nodeEntry(visit.node).acc, visit.doc);
    for (const call of graph.calls) {
      const source = nodeId(call.source);
      const target = nodeId(call.target);
      const client = nodeEntry(call.source);
      nodeEntry(call.target);
      if (call.source === CLIENT_NODE) accumulate(client.acc, call.doc);
      const key = `${source}\n${target}`;
      let edge = edges.get(key);
      if (edge === undefined) {
        edge = { source, target, acc: newAccumulator() };
        edges.set(key, edge);
      }
      accumulate(edge.acc, call.doc);
    }
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const outNodes: ServiceMapNode[] = [...nodes.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([id, { node, acc }]) => ({
      id,
      name: node.name,
      type: node.type,
      inferred: node.inferred,
      stats: toStats(acc),
    }));
  const outEdges: ServiceMapEdge[] = [...edges.values()]
    .sort((a, b) => cmp(a.source, b.source) || cmp(a.target, b.target))
    .map(({ source, target, acc }) => ({ source, target, stats: toStats(acc) }));
  return { nodes: outNodes, edges: outEdges };
}
