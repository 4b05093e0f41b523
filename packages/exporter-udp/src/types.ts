/**
 * The exporter's options and counters. The SDK `SpanExporter` shapes (`ExportResult`,
 * `SpanExporterLike`) are declared once, structurally, in @xray-otel/core and re-exported here.
 */
import type { SpanExporterLike as CoreSpanExporterLike, UdpExporterCounters } from '@xray-otel/core';
import type { ReadableSpanLike, TranslatorOptions } from '@xray-otel/translator';

export { ExportResultCode, type ExportResult } from '@xray-otel/core';

/** The SDK's `SpanExporter`, for the spans the translator reads. */
export type SpanExporterLike = CoreSpanExporterLike<ReadableSpanLike>;

/** Options of `AWSXRayUdpSpanExporter`: the translator's, plus where the daemon is. */
export interface AWSXRayUdpSpanExporterOptions extends TranslatorOptions {
  /**
   * `host:port` or `tcp:host:port udp:host:port` (see `parseDaemonAddress`). Default: the
   * `AWS_XRAY_DAEMON_ADDRESS` environment variable, else `127.0.0.1:2000`.
   */
  daemonAddress?: string;
  /**
   * Datagrams waiting for DNS or for the kernel at once; beyond that, documents are dropped and
   * counted (`datagramsDropped`) rather than queued without bound. Default 10,000.
   */
  maxPendingDatagrams?: number;
}

/**
 * What the exporter has done since it was created (a snapshot; README "Counters"): the fields every
 * exporter of this project has (`ExporterCounters`), the UDP client's, and the names this exporter
 * had before them.
 */
export interface AWSXRayUdpSpanExporterCounters extends UdpExporterCounters {
  /** Documents produced by the translator (one or two per translated span). */
  documents: number;
  /** Documents shrunk to fit the 64 kB limit (they are still sent). */
  documentsTruncated: number;
  /** Spans that could not be translated, by `TranslationError.reason` (also in `failures`). */
  translationErrors: Record<string, number>;
  /** Same as `failures.shutdown`: spans passed to `export()` after `shutdown()`. */
  spansDroppedAfterShutdown: number;
  /** Same as `datagramsSent`. */
  documentsSent: number;
  /** Same as `datagramsDropped`. */
  documentsDropped: number;
}
