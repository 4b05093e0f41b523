/**
 * The counters of this package's exporters. Every exporter of the project reports the same
 * `ExporterCounters` fields (@xray-otel/core); each adds what only it knows. `exporter.counters` is a
 * snapshot: reading it copies, so a caller can keep and compare them.
 */
import { increment, type ExporterCounters } from '@xray-otel/core';

/** `AWSXRayCollectorSpanExporter` (the upstream OTLP exporter, wrapped). */
export interface CollectorExporterCounters extends ExporterCounters {
  /** Failed `export()` calls (not spans) by reason: `http-<status>`, `grpc-<code>`, a Node error code, `timeout`, `shutdown`, or the error's name. */
  exportFailures: Record<string, number>;
}

/** `AWSXRayOtlpSpanExporter` (SigV4 to the X-Ray OTLP endpoint). */
export interface AWSXRayOtlpSpanExporterCounters extends ExporterCounters {
  /** HTTP requests made, retries included. */
  requests: number;
  /** Requests repeated after 429, 502, 503, 504 or a network error. */
  retries: number;
  /** Exports that could not be signed (no credentials, a provider error). */
  signingFailures: number;
  /** Requests that got no HTTP answer. */
  networkErrors: number;
  /** HTTP answers by status code. */
  httpStatus: Record<number, number>;
}

export { increment };

/**
 * The shared counting of an exporter that wraps a delegate: spans in, spans out by outcome, and the
 * exports in flight. `start` when `export()` is called, `settle` once when its result arrives.
 */
export class ExportTally {
  private readonly count = { spansReceived: 0, spansExported: 0, spansFailed: 0 };
  private readonly failures: Record<string, number> = {};
  private inFlight = 0;

  /** An `export()` of `spans` spans starts. */
  start(spans: number): void {
    this.count.spansReceived += spans;
    this.inFlight++;
  }

  /** The `export()` started with `spans` spans settled: `reason` undefined for SUCCESS. */
  settle(spans: number, reason: string | undefined): void {
    this.inFlight--;
    if (reason === undefined) this.count.spansExported += spans;
    else {
      this.count.spansFailed += spans;
      increment(this.failures, reason, spans);
    }
  }

  /** A snapshot in the shared shape. */
  snapshot(): ExporterCounters {
    return { ...this.count, failures: { ...this.failures }, spansTruncated: 0, pending: this.inFlight };
  }
}
