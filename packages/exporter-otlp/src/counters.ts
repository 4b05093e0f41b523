/**
 * The counters of this package's exporters. Every exporter of the project reports the same
 * `ExporterCounters` fields (@xray-otel/core); each adds what only it knows. `exporter.counters` is a
 * snapshot: reading it copies, so a caller can keep and compare them.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, increment, type ExportResult, type ExporterCounters } from '@xray-otel/core';

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
 * exports in flight. `run` does it all for one `export()`; `start` and `settle` are its two halves.
 */
export class ExportTally {
  /**
   * @param reasonOf the failure reason (a counter key) of a FAILED result's error.
   * @param logPrefix put before the line said when the caller's result callback throws.
   */
  constructor(
    private readonly reasonOf: (error: Error | undefined) => string,
    private readonly logPrefix: string,
  ) {}

  /**
   * One `export()` of `spans` spans through `exportCall` (the delegate's export): counts it, gives
   * `exportCall` a callback that settles exactly once (a failure is counted under `reasonOf` and
   * passed to `onFailure`), then calls `resultCallback`, whose throw goes to `diag`, never to the
   * delegate. A synchronous throw from `exportCall` becomes one FAILED result on the next tick.
   */
  run(
    spans: number,
    resultCallback: (result: ExportResult) => void,
    exportCall: (done: (result: ExportResult) => void) => void,
    onFailure?: (spans: number, reason: string, error: Error | undefined) => void,
  ): void {
    this.start(spans);
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      if (result.code === ExportResultCode.SUCCESS) this.settle(spans, undefined);
      else {
        const reason = this.reasonOf(result.error);
        this.settle(spans, reason);
        onFailure?.(spans, reason, result.error);
      }
      try {
        resultCallback(result);
      } catch (error) {
        diag.error(this.logPrefix + 'export result callback threw', error);
      }
    };
    try {
      exportCall(done);
    } catch (error) {
      // Delegates report through the callback; a throw (a bug, or a broken install) must still end
      // in exactly one FAILED callback, asynchronously like every other result.
      const failure = error instanceof Error ? error : new Error(String(error));
      process.nextTick(() => done({ code: ExportResultCode.FAILED, error: failure }));
    }
  }

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
