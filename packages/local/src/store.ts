/**
 * In-memory trace store: documents (segments and independent subsegments) arrive in any order and are
 * grouped by `trace_id`; a completed document replaces an in-progress one with the same id. Bounded:
 * at most `maxTraces` traces (oldest first-received evicted) and `maxDocumentsPerTrace` documents per
 * trace. `add` is O(1); listing and querying are O(traces).
 */
import * as fs from 'node:fs';
import { parseFilter, matchesFilter, type FilterExpression } from './filter';
import {
  buildServiceMap,
  children,
  isInProgress,
  isObject,
  isSubsegment,
  latencyOf,
  num,
  rootDocument,
  sortByStart,
  str,
} from './service-map';
import type { SegmentDocument, ServiceMap, Trace, TraceSummary } from './types';

export const DEFAULT_MAX_TRACES = 10_000;
export const DEFAULT_MAX_DOCUMENTS_PER_TRACE = 10_000;
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;
/** X-Ray indexes at most 50 annotations per trace. */
const MAX_ANNOTATIONS = 50;

export interface TraceStoreOptions {
  /** Default 10000. */
  maxTraces?: number;
  /** Default 10000; documents beyond are dropped (counted in `droppedDocuments`). */
  maxDocumentsPerTrace?: number;
}

interface Entry {
  id: string;
  seq: number;
  firstReceivedAt: number;
  lastReceivedAt: number;
  /** Latest version of each document by id, in arrival order of that version. */
  docs: Map<string, SegmentDocument>;
  summary?: TraceSummary;
  list?: SegmentDocument[];
}

export class TraceStore {
  private readonly traces = new Map<string, Entry>();
  private readonly maxTraces: number;
  private readonly maxDocumentsPerTrace: number;
  private seq = 0;
  private docs = 0;
  private evictedCount = 0;
  private dropped = 0;
  private mapCache?: ServiceMap;
  private saveStream?: fs.WriteStream;
  private saveError?: Error;

  /** Lines skipped by the last `loadFile` (not JSON, or not a document). */
  skippedLines = 0;

  constructor(options: TraceStoreOptions = {}) {
    this.maxTraces = Math.max(1, Math.floor(options.maxTraces ?? DEFAULT_MAX_TRACES));
    this.maxDocumentsPerTrace = Math.max(
      1,
      Math.floor(options.maxDocumentsPerTrace ?? DEFAULT_MAX_DOCUMENTS_PER_TRACE),
    );
  }

  /** Traces evicted to stay within `maxTraces`. */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Documents dropped: beyond the per-trace cap, or without a `trace_id`. */
  get droppedDocuments(): number {
    return this.dropped;
  }

  get traceCount(): number {
    return this.traces.size;
  }

  /** Stored documents (the latest version of each). */
  get documentCount(): number {
    return this.docs;
  }

  /** The error that stopped the save file, if any. */
  get saveFileError(): Error | undefined {
    return this.saveError;
  }

  add(doc: SegmentDocument, receivedAt: number = Date.now()): void {
    const traceId = isObject(doc) ? str(doc.trace_id) : undefined;
    if (traceId === undefined) {
      this.dropped++;
      return;
    }
    let entry = this.traces.get(traceId);
    if (entry === undefined) {
      entry = {
        id: traceId,
        seq: ++this.seq,
        firstReceivedAt: receivedAt,
        lastReceivedAt: receivedAt,
        docs: new Map(),
      };
      this.traces.set(traceId, entry);
      while (this.traces.size > this.maxTraces) {
        const oldest = this.traces.values().next().value as Entry;
        this.traces.delete(oldest.id);
        this.docs -= oldest.docs.size;
        this.evictedCount++;
      }
    }
    const key = str(doc.id) ?? `#${this.seq}:${entry.docs.size}`;
    const existing = entry.docs.get(key);
    if (existing !== undefined) {
      // A late in-progress snapshot never replaces the completed document.
      if (isInProgress(doc) && !isInProgress(existing)) return;
      entry.docs.delete(key);
      this.docs--;
    } else if (entry.docs.size >= this.maxDocumentsPerTrace) {
      this.dropped++;
      return;
    }
    entry.docs.set(key, doc);
    this.docs++;
    entry.lastReceivedAt = Math.max(entry.lastReceivedAt, receivedAt);
    entry.summary = undefined;
    entry.list = undefined;
    this.mapCache = undefined;
    if (this.saveStream !== undefined && this.saveError === undefined) {
      this.saveStream.write(JSON.stringify(doc) + '\n');
    }
  }

  private documentsOf(entry: Entry): SegmentDocument[] {
    return (entry.list ??= [...entry.docs.values()]);
  }

  private summaryOf(entry: Entry): TraceSummary {
    return (entry.summary ??= summarize(entry.id, this.documentsOf(entry)));
  }

  /** Summaries, newest (latest start) first; throws FilterSyntaxError for a bad filter. */
  listTraces(filter?: string, limit: number = DEFAULT_LIST_LIMIT): TraceSummary[] {
    const expr: FilterExpression | undefined =
      filter === undefined || filter.trim() === '' ? undefined : parseFilter(filter);
    const max = Number.isFinite(limit)
      ? Math.min(MAX_LIST_LIMIT, Math.max(0, Math.floor(limit)))
      : DEFAULT_LIST_LIMIT;
    const rows = [...this.traces.values()].map((entry) => ({ entry, summary: this.summaryOf(entry) }));
    rows.sort((a, b) => b.summary.startTime - a.summary.startTime || b.entry.seq - a.entry.seq);
    const out: TraceSummary[] = [];
    for (const { entry, summary } of rows) {
      if (out.length >= max) break;
      if (expr === undefined || matchesFilter(expr, { summary, documents: this.documentsOf(entry) }))
        out.push(summary);
    }
    return out;
  }

  getTrace(id: string): Trace | undefined {
    const entry = this.traces.get(id);
    if (entry === undefined) return undefined;
    const documents = this.documentsOf(entry);
    return {
      id,
      summary: this.summaryOf(entry),
      segments: assembleSegments(documents),
      documents: [...documents],
    };
  }

  serviceMap(): ServiceMap {
    return (this.mapCache ??= buildServiceMap(
      [...this.traces.values()].map((e) => ({ documents: this.documentsOf(e) })),
    ));
  }

  /** From now on, append each added document to `path` as one NDJSON line. */
  attachSaveFile(path: string): void {
    if (this.saveStream !== undefined) this.saveStream.end();
    this.saveError = undefined;
    const stream = fs.createWriteStream(path, { flags: 'a' });
    stream.on('error', (error) => {
      this.saveError = error;
    });
    this.saveStream = stream;
  }

  /** Adds each document of an NDJSON file; bad lines are skipped (`skippedLines`). Returns docs loaded. */
  loadFile(path: string, accept: (doc: SegmentDocument) => boolean = () => true): number {
    const text = fs.readFileSync(path, 'utf8');
    let loaded = 0;
    this.skippedLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch {
        this.skippedLines++;
        continue;
      }
      if (!isObject(doc) || str(doc.trace_id) === undefined || str(doc.id) === undefined || !accept(doc)) {
        this.skippedLines++;
        continue;
      }
      this.add(doc);
      loaded++;
    }
    return loaded;
  }

  /** Flushes and closes the save file. */
  close(): Promise<void> {
    const stream = this.saveStream;
    this.saveStream = undefined;
    if (stream === undefined || stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      stream.once('error', () => resolve());
      stream.end(() => resolve());
    });
  }
}

/** The summary of a trace from its documents. */
export function summarize(id: string, documents: SegmentDocument[]): TraceSummary {
  let start = Infinity;
  let end = -Infinity;
  let fault = false;
  let error = false;
  let throttle = false;
  const annotations: Record<string, string | number | boolean> = {};
  let annotationCount = 0;
  const services: string[] = [];
  const sorted = sortByStart(documents);
  const root = rootDocument(documents);
  const ordered = root === undefined ? sorted : [root, ...sorted.filter((d) => d !== root)];
  const stack = [...ordered].reverse();
  while (stack.length > 0) {
    const doc = stack.pop() as SegmentDocument;
    const s = num(doc.start_time);
    const e = num(doc.end_time);
    if (s !== undefined) start = Math.min(start, s);
    if (e !== undefined) end = Math.max(end, e);
    fault ||= doc.fault === true;
    error ||= doc.error === true;
    throttle ||= doc.throttle === true;
    if (isObject(doc.annotations)) {
      for (const [key, value] of Object.entries(doc.annotations)) {
        if (annotationCount >= MAX_ANNOTATIONS || key in annotations) continue;
        if (typeof value === 'string' || typeof value === 'boolean' || num(value) !== undefined) {
          annotations[key] = value as string | number | boolean;
          annotationCount++;
        }
      }
    }
    stack.push(...children(doc).reverse());
  }
  for (const doc of ordered) {
    const name = str(doc.name);
    if (!isSubsegment(doc) && name !== undefined && !services.includes(name)) services.push(name);
  }
  if (start === Infinity) start = 0;
  const http = root !== undefined && isObject(root.http) ? root.http : undefined;
  const summary: TraceSummary = {
    id,
    startTime: start,
    duration: end === -Infinity ? 0 : Math.max(0, Math.round((end - start) * 1e6) / 1e6),
    responseTime: undefined,
    name: root === undefined ? '' : (str(root.name) ?? ''),
    fault,
    error,
    throttle,
    documents: documents.length,
    services,
    annotations,
  };
  const latency = root === undefined ? undefined : latencyOf(root);
  summary.responseTime = latency === undefined ? undefined : Math.round(latency * 1e6) / 1e6;
  if (http !== undefined) {
    const request = isObject(http.request) ? http.request : {};
    const response = isObject(http.response) ? http.response : {};
    const out: NonNullable<TraceSummary['http']> = {};
    if (str(request.method) !== undefined) out.method = request.method as string;
    if (str(request.url) !== undefined) out.url = request.url as string;
    if (num(response.status) !== undefined) out.status = response.status as number;
    summary.http = out;
  }
  return summary;
}

/**
 * Segments with their subsegments nested: every segment is top-level (a SERVER segment whose parent is
 * a subsegment of another service stays a segment); an independent subsegment goes under the document
 * (segment or subsegment) whose id is its parent_id, or stays top-level while that has not arrived.
 * Works on copies; the order is by start_time (then id), whatever the arrival order.
 */
export function assembleSegments(documents: SegmentDocument[]): SegmentDocument[] {
  const clones = documents.map((d) => JSON.parse(JSON.stringify(d)) as SegmentDocument);
  const index = new Map<string, SegmentDocument>();
  const parentOf = new Map<SegmentDocument, SegmentDocument>();
  for (const doc of clones) {
    const id = str(doc.id);
    if (id !== undefined && !index.has(id)) index.set(id, doc);
  }
  const indexChildren = (doc: SegmentDocument): void => {
    for (const child of children(doc)) {
      const id = str(child.id);
      if (id !== undefined && !index.has(id)) index.set(id, child);
      parentOf.set(child, doc);
      indexChildren(child);
    }
  };
  clones.forEach(indexChildren);

  const top: SegmentDocument[] = [];
  const pending: SegmentDocument[] = [];
  for (const doc of clones) (isSubsegment(doc) && str(doc.parent_id) !== undefined ? pending : top).push(doc);
  const isAncestorOrSelf = (candidate: SegmentDocument, node: SegmentDocument | undefined): boolean => {
    for (
      let n = node, hops = 0;
      n !== undefined && hops <= clones.length + index.size;
      n = parentOf.get(n), hops++
    ) {
      if (n === candidate) return true;
    }
    return false;
  };
  const touched = new Set<SegmentDocument>();
  for (const doc of sortByStart(pending)) {
    const parent = index.get(doc.parent_id as string);
    if (parent === undefined || isAncestorOrSelf(doc, parent)) {
      top.push(doc);
      continue;
    }
    const subs: unknown[] = Array.isArray(parent.subsegments)
      ? parent.subsegments
      : (parent.subsegments = []);
    const at = subs.findIndex((s) => isObject(s) && s.id !== undefined && s.id === doc.id);
    if (at >= 0) {
      if (isInProgress(doc) && !isInProgress(subs[at] as SegmentDocument)) continue;
      subs[at] = doc;
    } else {
      subs.push(doc);
    }
    parentOf.set(doc, parent);
    touched.add(parent);
  }
  for (const parent of touched) {
    // By start, then end (an early-finished sibling first); ties keep the embedded order.
    const time = (v: unknown, key: string): number =>
      isObject(v) ? (num(v[key]) ?? Number.MAX_VALUE) : Number.MAX_VALUE;
    parent.subsegments = [...(parent.subsegments as unknown[])].sort(
      (a, b) => time(a, 'start_time') - time(b, 'start_time') || time(a, 'end_time') - time(b, 'end_time'),
    );
  }
  return sortByStart(top);
}
