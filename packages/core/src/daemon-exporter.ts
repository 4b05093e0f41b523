/**
 * The lifecycle both UDP exporters share: `export()` hands the spans to an encoder, which turns them
 * into datagrams; the datagrams go through one {@link UdpDaemonClient}; the result callback fires
 * once every datagram of the batch has settled. The encoders (segment documents, OTLP `T1S`/`T1U`)
 * hold the format rules; this class holds none.
 *
 * Result of `export()` (UDP has no acknowledgement, so "sent" means "taken by the kernel"):
 *  - SUCCESS when at least one datagram of the batch was sent, or when the batch produced no datagram
 *    (empty, or every span failed to encode: counted, and retrying could not help). A partial failure
 *    is SUCCESS: retrying the whole batch would duplicate what went out; the failures are counted and
 *    said through `diag`.
 *  - FAILED when the batch had datagrams and none could be sent (daemon unresolvable, every send
 *    failed, queue full), and for every `export()` after `shutdown()`.
 * Nothing is ever thrown to the caller, and the callback is called once, asynchronously.
 */
import { diag } from '@opentelemetry/api';
import { resolveDaemonAddress, formatEndpoint, type DaemonAddress } from './daemon-address';
import { UdpDaemonClient, type UdpDaemonClientCounters } from './daemon-client';
import {
  ExportResultCode,
  increment,
  type ExportResult,
  type ExporterCounters,
  type SpanExporterLike,
} from './exporter';
import { RateLimitedLog } from './rate-limited-log';

/** What an encoder reports for the spans of one `export()` call. */
export interface DatagramSink {
  /**
   * Sends the datagrams that carry `spans` spans: those spans count as exported when every one of
   * these datagrams is sent, as failed (with the first error code) otherwise.
   */
  send(datagrams: Buffer | readonly Buffer[], spans: number): void;
  /** `spans` spans that cannot be sent, with a stable reason code; `message` is said, rate-limited per reason. */
  fail(spans: number, reason: string, message: string): void;
  /** `spans` spans were shrunk to fit a size limit (they are still sent); `message` is said, rate-limited. */
  truncated(spans: number, message: string): void;
}

/** Turns spans into datagrams. May throw: the spans it had not reported are then failed as `encode-error`. */
export type DatagramEncoder<S> = (spans: readonly S[], sink: DatagramSink) => void;

export interface UdpDaemonSpanExporterOptions<S> {
  /**
   * `host:port` or `tcp:host:port udp:host:port`. Default: `AWS_XRAY_DAEMON_ADDRESS`, else
   * `127.0.0.1:2000`. A bad value makes the constructor throw a `DaemonAddressError`.
   */
  daemonAddress?: string;
  /** Datagrams waiting for the lookup or the kernel at once; beyond it they are dropped and counted. Default 10,000. */
  maxPendingDatagrams?: number;
  encoder: DatagramEncoder<S>;
  /** Put before every line said, e.g. `@xray-otel/exporter-udp: `. */
  logPrefix: string;
  /** What one datagram holds, for the lines said: `a segment document`. */
  datagramName: string;
}

/** The counters of a UDP exporter: the shared {@link ExporterCounters} and the client's. */
export interface UdpExporterCounters extends ExporterCounters {
  /** Datagrams taken by the kernel. */
  datagramsSent: number;
  /** Their bytes, header lines included. */
  bytesSent: number;
  /** Datagrams not sent because `maxPendingDatagrams` were already pending. */
  datagramsDropped: number;
  /** Datagrams that failed, by error code (`ECONNREFUSED`, `ENOTFOUND`, `EMSGSIZE`, `QUEUE_FULL`, ...). */
  sendErrors: Record<string, number>;
}

/** The datagrams of one `export()` call. */
class Batch {
  /** Units (span groups) whose datagrams have not all settled. */
  remaining = 0;
  datagrams = 0;
  datagramsSent = 0;
  /** Spans reported by the encoder so far (sent, failed, or waiting). */
  spansReported = 0;
  sealed = false;
  firstError: string | undefined;

  constructor(readonly resultCallback: (result: ExportResult) => void) {}
}

/** The datagrams that carry some spans: those spans are exported only if all of them are sent. */
interface Unit {
  batch: Batch;
  spans: number;
  remaining: number;
  error: string | undefined;
}

export class UdpDaemonSpanExporter<S> implements SpanExporterLike<S> {
  /** The parsed daemon address (the `tcp` part is the sampling proxy's). */
  readonly daemonAddress: DaemonAddress;
  /** The rate-limited log of this exporter, for its encoder's own lines too. */
  protected readonly log = new RateLimitedLog();
  private readonly client: UdpDaemonClient;
  private readonly encoder: DatagramEncoder<S>;
  private readonly logPrefix: string;
  private readonly datagramName: string;
  private readonly sink: DatagramSink;
  /** The batch the encoder is working on (set only during `encoder(...)`). */
  private current: Batch | undefined;
  private isShutdown = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly count = { spansReceived: 0, spansExported: 0, spansFailed: 0, spansTruncated: 0 };
  private readonly failures: Record<string, number> = {};

  constructor(options: UdpDaemonSpanExporterOptions<S>) {
    this.daemonAddress = resolveDaemonAddress(options.daemonAddress);
    this.encoder = options.encoder;
    this.logPrefix = options.logPrefix;
    this.datagramName = options.datagramName;
    this.client = new UdpDaemonClient({
      endpoint: this.daemonAddress.udp,
      maxPendingDatagrams: options.maxPendingDatagrams,
      log: this.log,
      logPrefix: options.logPrefix,
      datagramName: options.datagramName,
    });
    this.sink = {
      send: (datagrams, spans) => this.sendUnit(this.currentBatch(), datagrams, spans),
      fail: (spans, reason, message) => {
        const batch = this.currentBatch();
        batch.spansReported += spans;
        this.failSpans(spans, reason, message);
      },
      truncated: (spans, message) => {
        this.count.spansTruncated += spans;
        this.log.log('truncated', this.logPrefix + message);
      },
    };
  }

  /** A snapshot of what the exporter has done so far. */
  get counters(): UdpExporterCounters {
    const client: UdpDaemonClientCounters = this.client.counters;
    return {
      ...this.count,
      failures: { ...this.failures },
      pending: client.pending,
      datagramsSent: client.datagramsSent,
      bytesSent: client.bytesSent,
      datagramsDropped: client.datagramsDropped,
      sendErrors: client.sendErrors,
    };
  }

  export(spans: S[], resultCallback: (result: ExportResult) => void): void {
    const batch = new Batch(resultCallback);
    this.count.spansReceived += spans.length;
    if (this.isShutdown) {
      this.failSpans(spans.length, 'shutdown', 'export() after shutdown(): spans dropped');
      process.nextTick(() =>
        this.callBack(batch, { code: ExportResultCode.FAILED, error: new Error('exporter is shut down') }),
      );
      return;
    }
    this.current = batch;
    try {
      this.encoder(spans, this.sink);
    } catch (error) {
      // An encoder bug must not cost the app anything, nor leave spans uncounted.
      const unreported = spans.length - batch.spansReported;
      if (unreported > 0) {
        this.failSpans(
          unreported,
          'encode-error',
          `spans could not be encoded: ${(error as Error)?.message}`,
        );
      }
    } finally {
      this.current = undefined;
    }
    batch.sealed = true;
    // Always call back asynchronously, even when nothing was left to wait for.
    if (batch.remaining === 0) process.nextTick(() => this.finish(batch));
  }

  /** Resolves when every pending datagram has been taken by the kernel (or has failed). */
  forceFlush(): Promise<void> {
    return this.client.forceFlush();
  }

  /** Flushes, then closes the socket. Idempotent; `export()` afterwards fails. */
  shutdown(): Promise<void> {
    if (this.shutdownPromise === undefined) {
      this.isShutdown = true;
      this.shutdownPromise = this.client.close();
    }
    return this.shutdownPromise;
  }

  private currentBatch(): Batch {
    if (this.current === undefined) throw new Error('the DatagramSink is only valid during encode()');
    return this.current;
  }

  private sendUnit(batch: Batch, datagrams: Buffer | readonly Buffer[], spans: number): void {
    batch.spansReported += spans;
    const single = Buffer.isBuffer(datagrams);
    const length = single ? 1 : datagrams.length;
    if (length === 0) {
      this.count.spansExported += spans;
      return;
    }
    const unit: Unit = { batch, spans, remaining: length, error: undefined };
    const callback = (code: string | undefined): void => this.settle(unit, code);
    batch.remaining++;
    batch.datagrams += length;
    if (single) this.client.send(datagrams, callback);
    else for (let i = 0; i < length; i++) this.client.send(datagrams[i], callback);
  }

  private settle(unit: Unit, code: string | undefined): void {
    const batch = unit.batch;
    if (code === undefined) batch.datagramsSent++;
    else {
      unit.error ??= code;
      batch.firstError ??= code;
    }
    if (--unit.remaining > 0) return;
    if (unit.error === undefined) this.count.spansExported += unit.spans;
    else {
      // The client said why already (rate-limited); count the spans under the same code.
      this.count.spansFailed += unit.spans;
      increment(this.failures, unit.error, unit.spans);
    }
    batch.remaining--;
    if (batch.sealed && batch.remaining === 0) this.finish(batch);
  }

  private failSpans(spans: number, reason: string, message: string): void {
    if (spans <= 0) return;
    this.count.spansFailed += spans;
    increment(this.failures, reason, spans);
    this.log.log(reason, this.logPrefix + message);
  }

  private finish(batch: Batch): void {
    if (batch.datagramsSent > 0 || batch.datagrams === 0) {
      this.callBack(batch, { code: ExportResultCode.SUCCESS });
      return;
    }
    this.callBack(batch, {
      code: ExportResultCode.FAILED,
      error: new Error(
        `no ${this.datagramName.replace(/^an? /, '')} could be sent to the X-Ray daemon at ` +
          `${formatEndpoint(this.daemonAddress.udp)} (${batch.firstError})`,
      ),
    });
  }

  private callBack(batch: Batch, result: ExportResult): void {
    try {
      batch.resultCallback(result);
    } catch (error) {
      diag.error(this.logPrefix + 'export result callback threw', error);
    }
  }
}
