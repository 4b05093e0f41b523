// The normalised view of a trace that test/real-apps compares between the classic SDK and ours:
// the trace's documents in a fixed order (a tree walk: a service's segment under the caller's
// subsegment, children by start time), keeping only the documents X-Ray's console shows as
// something (segments, remote and AWS calls, SQL, anything with a cause), each reduced to the
// fields the comparison is about, flattened to `field -> value`. Ports are replaced by what listens
// there (`{downstream}`, `{moto}`, `{shop}`, ...), and stack frames are `file:line label` with the
// file's base name, so runs compare whatever ports and checkouts they had.
import * as path from 'node:path';
import type { ServiceMap, Trace } from '../../packages/local/src/types';

type Primitive = string | number | boolean;
export type Document = Record<string, unknown>;

/** One document, flattened: `name`, `http.request.url`, `aws.operation`, `cause.frames`, ... */
export interface NormalDocument {
  /** Coarse role used to pair documents across SDKs: `segment`, `subsegment/remote`, `subsegment/aws:PutItem`, ... */
  role: string;
  fields: Record<string, Primitive>;
}

const AWS_FIELDS = ['operation', 'table_name', 'queue_url', 'region'];
const HTTP_FIELDS = [
  'request.method',
  'request.url',
  'request.user_agent',
  'request.client_ip',
  'request.x_forwarded_for',
  'request.traced',
  'response.status',
  'response.content_length',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, dotted: string): unknown {
  let cursor = value;
  for (const key of dotted.split('.')) cursor = isObject(cursor) ? cursor[key] : undefined;
  return cursor;
}

/** Replaces every `127.0.0.1:<port>` of a known service with `{name}`. */
export function normaliseHosts(text: string, aliases: Map<string, string>): string {
  return text.replace(/(?:127\.0\.0\.1|localhost):(\d+)/g, (hostPort: string) => {
    const alias = aliases.get(hostPort.replace('localhost', '127.0.0.1'));
    return alias ? `{${alias}}` : '127.0.0.1:{port}';
  });
}

function exceptionsOf(document: Document): Document[] {
  const cause = document.cause;
  if (!isObject(cause) || !Array.isArray(cause.exceptions)) return [];
  return cause.exceptions.filter(isObject);
}

/** `shop-express.cjs:57 anonymous` for each frame of the first exception. */
function frames(exception: Document): string {
  const stack = Array.isArray(exception.stack) ? exception.stack.filter(isObject) : [];
  return stack
    .map(
      (frame) =>
        `${path.basename(String(frame.path ?? ''))}:${String(frame.line ?? '')} ${String(frame.label ?? '')}`,
    )
    .join(' | ');
}

function isSegment(document: Document, topLevel: boolean): boolean {
  return topLevel && document.type !== 'subsegment';
}

/** Whether the console shows the document as more than a timing bar: what the comparison keeps. */
function isSignificant(document: Document, topLevel: boolean): boolean {
  if (isSegment(document, topLevel)) return true;
  if (document.namespace === 'remote' || document.namespace === 'aws') return true;
  if (isObject(document.sql)) return true;
  return exceptionsOf(document).length > 0;
}

function role(document: Document, topLevel: boolean): string {
  if (isSegment(document, topLevel)) return 'segment';
  if (isObject(document.sql)) return 'subsegment/sql';
  const operation = at(document, 'aws.operation');
  if (document.namespace === 'aws' || operation !== undefined)
    return `subsegment/aws:${String(operation ?? '?')}`;
  if (document.namespace === 'remote') return 'subsegment/remote';
  return 'subsegment/local';
}

export function normaliseDocument(
  document: Document,
  topLevel: boolean,
  aliases: Map<string, string>,
): NormalDocument {
  const fields: Record<string, Primitive> = {};
  const put = (key: string, value: unknown) => {
    if (value === undefined || value === null || isObject(value) || Array.isArray(value)) return;
    fields[key] = typeof value === 'string' ? normaliseHosts(value, aliases) : (value as Primitive);
  };
  put('name', document.name);
  put('namespace', document.namespace);
  put('origin', document.origin);
  for (const key of HTTP_FIELDS) put(`http.${key}`, at(document.http, key));
  for (const key of AWS_FIELDS) put(`aws.${key}`, at(document.aws, key));
  if (isObject(document.sql))
    for (const [key, value] of Object.entries(document.sql)) put(`sql.${key}`, value);
  const exceptions = exceptionsOf(document);
  if (exceptions.length > 0) {
    put('cause.type', exceptions[0].type);
    put('cause.message', exceptions[0].message);
    put('cause.frames', frames(exceptions[0]));
  }
  // X-Ray reads a missing flag as false; the classic SDK leaves them out, OpenTelemetry writes them.
  for (const flag of ['fault', 'error', 'throttle']) fields[flag] = document[flag] === true;
  return { role: role(document, topLevel), fields };
}

/**
 * The significant documents of `traces` (one scenario may span several traces: the worker's calls
 * with OpenTelemetry), in tree order. Embedded subsegments and documents sent on their own are
 * treated alike (xray-local nests the latter under their parents).
 */
export function normaliseTraces(traces: Trace[], aliases: Map<string, string>): NormalDocument[] {
  const out: NormalDocument[] = [];
  for (const trace of traces) {
    const segments = trace.segments as Document[];
    const byId = new Map<string, Document>();
    const walkIds = (document: Document) => {
      byId.set(String(document.id), document);
      for (const child of (document.subsegments as Document[] | undefined) ?? []) walkIds(child);
    };
    segments.forEach(walkIds);
    // A segment whose parent is a subsegment of this trace (the caller's call) goes below it.
    const below = new Map<string, Document[]>();
    const roots: Document[] = [];
    for (const segment of segments) {
      const parentId = segment.parent_id === undefined ? undefined : String(segment.parent_id);
      if (parentId !== undefined && byId.has(parentId)) {
        below.set(parentId, [...(below.get(parentId) ?? []), segment]);
      } else {
        roots.push(segment);
      }
    }
    const topLevel = new Set(segments);
    // Start time, then name: siblings that start in the same millisecond (Express layers) keep one order.
    const byStart = (a: Document, b: Document) =>
      Number(a.start_time) - Number(b.start_time) || String(a.name).localeCompare(String(b.name));
    const walk = (document: Document) => {
      const top = topLevel.has(document);
      if (isSignificant(document, top)) out.push(normaliseDocument(document, top, aliases));
      const children = [
        ...((document.subsegments as Document[] | undefined) ?? []),
        ...(below.get(String(document.id)) ?? []),
      ].sort(byStart);
      children.forEach(walk);
    };
    roots.sort(byStart).forEach(walk);
  }
  return out;
}

/** The service map as `name (type)` nodes and `name -> name` edges, sorted. */
export function normaliseMap(
  map: ServiceMap,
  aliases: Map<string, string>,
): { nodes: string[]; edges: string[] } {
  const label = (id: string) => {
    const node = map.nodes.find((n) => n.id === id);
    return node ? `${normaliseHosts(node.name, aliases)} (${node.type})` : id;
  };
  return {
    nodes: map.nodes.map((n) => label(n.id)).sort(),
    edges: map.edges.map((e) => `${label(e.source)} -> ${label(e.target)}`).sort(),
  };
}
