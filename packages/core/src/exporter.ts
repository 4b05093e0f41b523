/**
 * The SDK's `SpanExporter` contract and the counters every exporter of this project reports, declared
 * structurally so that no package depends on an SDK line: the shapes are identical in OpenTelemetry
 * JS 2.x (`@opentelemetry/sdk-trace-base`, `@opentelemetry/core`) and 3.x (`@opentelemetry/sdk-trace`).
 */

/** `@opentelemetry/core` `ExportResultCode`: SUCCESS = 0, FAILED = 1. */
export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;
export type ExportResultCode = (typeof ExportResultCode)[keyof typeof ExportResultCode];

/** `@opentelemetry/core` `ExportResult`. */
export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
}

/** The SDK's `SpanExporter`, for spans of type `S`. */
export interface SpanExporterLike<S = unknown> {
  export(spans: S[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * What every exporter of this project has done since it was created: the same fields, with the same
 * meaning, on the UDP, OTLP/UDP, collector and SigV4 exporters (`exporter.counters`, a snapshot).
 * Every span passed to `export()` ends up in exactly one of `spansExported` and `spansFailed`
 * once its export has settled; nothing is lost without being counted.
 */
export interface ExporterCounters {
  /** Spans passed to `export()`, including those refused after `shutdown()`. */
  spansReceived: number;
  /** Spans handed over: to the kernel (UDP: there is no acknowledgement) or accepted by the receiver (OTLP). */
  spansExported: number;
  /** Spans that were not handed over; `failures` says why. */
  spansFailed: number;
  /** Failed spans by stable reason code: an error code (`ECONNREFUSED`), `QUEUE_FULL`, `shutdown`, `too-large`, a translation reason, `http-503`, ... */
  failures: Record<string, number>;
  /** Spans (or their documents) shrunk to fit a size limit; they are still exported. */
  spansTruncated: number;
  /** Datagrams or export requests waiting for their outcome now. */
  pending: number;
}

/** Adds `by` to `counts[key]`. */
export function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** The `code` of a Node error (`ECONNREFUSED`, ...), or `UNKNOWN`. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.length > 0 ? code : 'UNKNOWN';
}
