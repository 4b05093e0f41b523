/**
 * What the exporters of this package have done since they were created. The shapes are snapshots:
 * reading `exporter.counters` copies them, so a caller can keep and compare them.
 */

/** `AWSXRayCollectorSpanExporter` (the upstream OTLP exporter, wrapped). */
export interface CollectorExporterCounters {
  /** Spans passed to `export()`. */
  spansReceived: number;
  /** Spans of `export()` calls the upstream exporter reported as SUCCESS. */
  spansExported: number;
  /** Spans of `export()` calls that failed (after the upstream exporter's own retries). */
  spansFailed: number;
  /** Failed `export()` calls by reason: `http-<status>`, `grpc-<code>`, a Node error code (`ECONNREFUSED`), `timeout`, `shutdown`, or the error's name. */
  exportFailures: Record<string, number>;
}

/** `AWSXRayOtlpUdpSpanExporter`. */
export interface OtlpUdpExporterCounters {
  /** Spans passed to `export()`, including those refused after shutdown. */
  spansReceived: number;
  /** Spans handed to the kernel inside a datagram whose send succeeded. */
  spansSent: number;
  /** Spans that could not be sent (send error, serialization failure, too big even when shrunk, after shutdown). */
  spansFailed: number;
  /** Spans that were too big for one datagram on their own and were shrunk (still sent). */
  spansShrunk: number;
  /** Datagrams handed to the kernel. */
  datagramsSent: number;
  /** Datagram bytes handed to the kernel, header and prefix included. */
  bytesSent: number;
  /** Failed sends by error code (`ECONNREFUSED`, `EMSGSIZE`, `ENOTFOUND`, ...), and `serialize` / `too-large` / `shutdown`. */
  sendErrors: Record<string, number>;
  /** Datagrams whose send callback has not fired yet. */
  pending: number;
}

/** Adds one to `counts[key]`. */
export function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}
