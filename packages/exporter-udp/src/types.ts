/**
 * The SDK's `SpanExporter` contract, declared structurally so that this package has no runtime (or
 * type) dependency on an SDK line: the shapes are identical in OpenTelemetry JS 2.x
 * (`@opentelemetry/sdk-trace-base`, `@opentelemetry/core`) and 3.x (`@opentelemetry/sdk-trace`).
 */
import type { ReadableSpanLike, TranslatorOptions } from '@xray-otel/translator';

/** `@opentelemetry/core` `ExportResultCode`: SUCCESS = 0, FAILED = 1. */
export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;
export type ExportResultCode = (typeof ExportResultCode)[keyof typeof ExportResultCode];

/** `@opentelemetry/core` `ExportResult`. */
export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
}

/** The SDK's `SpanExporter`. */
export interface SpanExporterLike {
  export(spans: ReadableSpanLike[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** Options of `AWSXRayUdpSpanExporter`: the translator's, plus where the daemon is. */
export interface AWSXRayUdpSpanExporterOptions extends TranslatorOptions {
  /**
   * `host:port` or `tcp:host:port udp:host:port` (see `parseDaemonAddress`). Default: the
   * `AWS_XRAY_DAEMON_ADDRESS` environment variable, else `127.0.0.1:2000`.
   */
  daemonAddress?: string;
  /**
   * Datagrams waiting for DNS or for the kernel at once; beyond that, documents are dropped and
   * counted (`documentsDropped`) rather than queued without bound. Default 10,000.
   */
  maxPendingDatagrams?: number;
}

/** What the exporter has done since it was created (a snapshot; see the README). */
export interface AWSXRayUdpSpanExporterCounters {
  /** Spans passed to `export()`, including those refused after shutdown. */
  spansReceived: number;
  /** Spans passed to `export()` after `shutdown()` (not sent, callback FAILED). */
  spansDroppedAfterShutdown: number;
  /** Spans that could not be translated, by `TranslationError.reason`. */
  translationErrors: Record<string, number>;
  /** Documents produced by the translator (one or two per translated span). */
  documents: number;
  /** Documents shrunk to fit the 64 kB limit (they are still sent). */
  documentsTruncated: number;
  /** Documents handed to the kernel (the send callback reported no error). */
  documentsSent: number;
  /** Datagram bytes handed to the kernel, header lines included. */
  bytesSent: number;
  /** Documents not sent because `maxPendingDatagrams` datagrams were already pending. */
  documentsDropped: number;
  /** Documents whose send failed, by error code (`ECONNREFUSED`, `EMSGSIZE`, `ENOTFOUND`, ...). */
  sendErrors: Record<string, number>;
  /** Datagrams waiting for DNS or for their send callback right now. */
  pending: number;
}
