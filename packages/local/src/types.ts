/**
 * Shapes shared by the parts of xray-local: receivers (udp, otlp, sampling), validation, the trace
 * store and its queries, the JSON API and the web viewer. Each part owns its own file; this file is
 * the contract between them.
 */

/** A segment or independent subsegment document as received (parsed JSON, validated). */
export type SegmentDocument = Record<string, unknown>;

/** Where a document came from. */
export type DocumentSource = 'udp' | 'otlp-udp' | 'otlp-http-protobuf' | 'otlp-http-json' | 'load';

/** A document X-Ray would not accept, kept so a user sees why a segment does not show up. */
export interface Rejection {
  /** Short machine-readable reason, e.g. `invalid-json`, `schema`, `too-large`, `invalid-trace-id`. */
  reason: string;
  /** One human sentence: what is wrong and where (e.g. the schema path). */
  detail: string;
  source: DocumentSource;
  /** Epoch ms. */
  receivedAt: number;
  /** The first 2 KiB of what was received, as text. */
  sample: string;
}

/** Counters served by `GET /api/stats`. */
export interface Stats {
  /** Every datagram / OTLP span / document received. */
  received: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Traces evicted by `--max-traces`. */
  evicted: number;
  traces: number;
  documents: number;
  /** Per source. */
  receivedBySource: Record<string, number>;
  startedAt: number;
}

/** One row of the trace list (`GET /api/traces`). */
export interface TraceSummary {
  id: string;
  /** Earliest start_time of its documents (epoch seconds). */
  startTime: number;
  /** Latest end_time minus earliest start_time (seconds). */
  duration: number;
  /** The root segment's end_time - start_time (X-Ray's `responsetime`). */
  responseTime: number | undefined;
  /** The root segment's name, or the first segment's. */
  name: string;
  http?: { method?: string; url?: string; status?: number };
  fault: boolean;
  error: boolean;
  throttle: boolean;
  /** Number of segment + subsegment documents. */
  documents: number;
  services: string[];
  annotations: Record<string, string | number | boolean>;
}

/** A whole trace (`GET /api/traces/:id`): the documents with subsegments attached to parents. */
export interface Trace {
  id: string;
  summary: TraceSummary;
  /** Segments (top-level documents) with their subsegments nested under `subsegments`. */
  segments: SegmentDocument[];
  /** The raw documents as received, in arrival order. */
  documents: SegmentDocument[];
}

/** Service map (`GET /api/service-map`), as X-Ray computes it. */
export interface ServiceMapNode {
  /** Stable id: `name|type`. */
  id: string;
  name: string;
  /** The segment `origin` (e.g. `AWS::ECS::Container`), `remote`, or an AWS service type `AWS::DynamoDB`; `client` for the entry. */
  type: string;
  /** Whether it sends segments (a service) or is inferred from subsegments (remote / AWS). */
  inferred: boolean;
  stats: EdgeStats;
}

export interface EdgeStats {
  requests: number;
  /** Average response time, seconds. */
  averageLatency: number;
  errorRate: number;
  faultRate: number;
  throttleRate: number;
}

export interface ServiceMapEdge {
  source: string;
  target: string;
  stats: EdgeStats;
}

export interface ServiceMap {
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
}

/** What the JSON API reads; the server wires it to the store and its receivers. */
export interface ApiSources {
  listTraces(filter: string | undefined, limit: number): TraceSummary[];
  getTrace(id: string): Trace | undefined;
  serviceMap(): ServiceMap;
  stats(): Stats;
  rejected(limit: number): Rejection[];
}

/** A request handler that answers and returns true, or returns false to let the next one try. */
export type RequestHandler = (
  request: import('node:http').IncomingMessage,
  response: import('node:http').ServerResponse,
) => boolean;
