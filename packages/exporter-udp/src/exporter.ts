/**
 * `AWSXRayUdpSpanExporter`: each span → `spanToSegments` → one datagram per document to the X-Ray
 * daemon (xray-protocol.md §1). The rules live in `@xray-otel/translator` and `datagram.ts`; this
 * class does only I/O and lifecycle.
 *
 * Result of `export()` (UDP has no acknowledgement, so "sent" means "handed to the kernel"):
 *  - SUCCESS when at least one document of the batch was handed to the kernel, or when the batch
 *    produced no document at all (empty, or every span untranslatable: counted in
 *    `translationErrors`; retrying cannot help). A partial failure is SUCCESS: the failed
 *    documents are counted in `sendErrors` / `documentsDropped` and logged through `diag`;
 *  - FAILED when the batch had documents and none could be handed over (daemon host unresolvable,
 *    every send failed, send queue full), and for every `export()` after `shutdown()`.
 * Nothing is ever thrown to the caller and the callback is always called, once, asynchronously.
 */
import { lookup } from 'node:dns';
import { diag } from '@opentelemetry/api';
import {
  serializeSegmentWithInfo,
  spanToSegments,
  TranslationError,
  type ReadableSpanLike,
  type Segment,
  type TranslatorOptions,
} from '@xray-otel/translator';
import { resolveDaemonAddress, type DaemonAddress, type DaemonEndpoint } from './daemon-address';
import { DaemonSocket } from './daemon-socket';
import { toDatagram } from './datagram';
import { RateLimitedLog } from './rate-limited-log';
import {
  ExportResultCode,
  type AWSXRayUdpSpanExporterCounters,
  type AWSXRayUdpSpanExporterOptions,
  type ExportResult,
  type SpanExporterLike,
} from './types';

/** Default for `maxPendingDatagrams`. */
export const DEFAULT_MAX_PENDING_DATAGRAMS = 10_000;

/** After a failed resolve or connect, documents fail at once (no new lookup) for this long. */
const RETRY_DELAY_MS = 1_000;

const LOG_PREFIX = '@xray-otel/exporter-udp: ';

/** Errors after which a daemon given by host name is looked up again (it may have moved). */
const RERESOLVE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EINVAL']);

/** The documents of one `export()` call, settled one by one. */
class Batch {
  remaining = 0;
  documents = 0;
  sent = 0;
  sealed = false;
  firstError: string | undefined;

  constructor(readonly resultCallback: (result: ExportResult) => void) {}
}

interface WaitingDatagram {
  datagram: Buffer;
  batch: Batch;
}

type ConnectionState = 'idle' | 'connecting' | 'ready' | 'retry-later' | 'closed';

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length > 0 ? code : 'UNKNOWN';
}

export class AWSXRayUdpSpanExporter implements SpanExporterLike {
  /** The parsed daemon address (the `tcp` part is for the sampler). */
  readonly daemonAddress: DaemonAddress;

  private readonly translatorOptions: TranslatorOptions;
  private readonly maxPending: number;
  private readonly endpoint: DaemonEndpoint;
  private readonly log = new RateLimitedLog();

  private state: ConnectionState = 'idle';
  private socket: DaemonSocket | undefined;
  /** Datagrams waiting for the socket to be connected (DNS, bind). */
  private waiting: WaitingDatagram[] = [];
  /** `waiting.length` plus the sends in flight on every socket. */
  private pendingCount = 0;
  private retryAt = 0;
  private retryCode = 'UNKNOWN';
  private connectedAt = 0;
  /** A send failed in a way that suggests the daemon's host name now resolves elsewhere. */
  private stale = false;
  private isShutdown = false;
  private shutdownPromise: Promise<void> | undefined;
  private flushWaiters: (() => void)[] = [];

  private readonly count = {
    spansReceived: 0,
    spansDroppedAfterShutdown: 0,
    documents: 0,
    documentsTruncated: 0,
    documentsSent: 0,
    bytesSent: 0,
    documentsDropped: 0,
  };
  private readonly translationErrors: Record<string, number> = {};
  private readonly sendErrors: Record<string, number> = {};

  /** Throws `DaemonAddressError` for a bad `daemonAddress` option or `AWS_XRAY_DAEMON_ADDRESS`. */
  constructor(options: AWSXRayUdpSpanExporterOptions = {}) {
    const { daemonAddress, maxPendingDatagrams, ...translatorOptions } = options;
    this.daemonAddress = resolveDaemonAddress(daemonAddress);
    this.endpoint = this.daemonAddress.udp;
    this.translatorOptions = translatorOptions;
    this.maxPending =
      maxPendingDatagrams !== undefined && Number.isInteger(maxPendingDatagrams) && maxPendingDatagrams > 0
        ? maxPendingDatagrams
        : DEFAULT_MAX_PENDING_DATAGRAMS;
  }

  /** A snapshot of what the exporter has done so far. */
  get counters(): AWSXRayUdpSpanExporterCounters {
    return {
      ...this.count,
      translationErrors: { ...this.translationErrors },
      sendErrors: { ...this.sendErrors },
      pending: this.pendingCount,
    };
  }

  export(spans: ReadableSpanLike[], resultCallback: (result: ExportResult) => void): void {
    const batch = new Batch(resultCallback);
    if (this.isShutdown) {
      this.count.spansReceived += spans.length;
      this.count.spansDroppedAfterShutdown += spans.length;
      this.log.log('shutdown', LOG_PREFIX + 'export() after shutdown(): spans dropped');
      process.nextTick(() =>
        this.callBack(batch, { code: ExportResultCode.FAILED, error: new Error('exporter is shut down') }),
      );
      return;
    }
    for (let i = 0; i < spans.length; i++) this.exportSpan(spans[i], batch);
    batch.sealed = true;
    // Always call back asynchronously, even when nothing was left to wait for.
    if (batch.remaining === 0) process.nextTick(() => this.finish(batch));
  }

  /** Resolves when every pending datagram has been handed to the kernel (or has failed). */
  forceFlush(): Promise<void> {
    if (this.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  /** Flushes, then closes the socket. Idempotent; `export()` afterwards fails. */
  shutdown(): Promise<void> {
    if (this.shutdownPromise === undefined) {
      this.isShutdown = true;
      this.shutdownPromise = this.forceFlush().then(() => {
        this.state = 'closed';
        this.socket?.retire();
        this.socket = undefined;
      });
    }
    return this.shutdownPromise;
  }

  private exportSpan(span: ReadableSpanLike, batch: Batch): void {
    this.count.spansReceived++;
    let segments: Segment[];
    try {
      segments = spanToSegments(span, this.translatorOptions);
    } catch (error) {
      // spanToSegments throws nothing else, but a bug must not cost the rest of the batch.
      const reason = error instanceof TranslationError ? error.reason : 'unreadable-span';
      this.translationErrors[reason] = (this.translationErrors[reason] ?? 0) + 1;
      this.log.log(
        'translation:' + reason,
        `${LOG_PREFIX}span dropped, it cannot become an X-Ray document (${reason}): ${(error as Error)?.message}`,
      );
      return;
    }
    for (let i = 0; i < segments.length; i++) {
      const { json, bytes, truncated } = serializeSegmentWithInfo(segments[i]);
      this.count.documents++;
      batch.documents++;
      if (truncated) {
        this.count.documentsTruncated++;
        this.log.log(
          'truncated',
          `${LOG_PREFIX}segment document shrunk to fit the 64 kB limit (span "${span.name}")`,
        );
      }
      this.enqueue(toDatagram(json, bytes), batch);
    }
  }

  private enqueue(datagram: Buffer, batch: Batch): void {
    if (this.pendingCount >= this.maxPending) {
      this.count.documentsDropped++;
      batch.firstError ??= 'QUEUE_FULL';
      this.log.log(
        'dropped',
        `${LOG_PREFIX}${this.maxPending} datagrams already pending (daemon or kernel not keeping up): document dropped`,
      );
      return;
    }
    // At most one new lookup per RETRY_DELAY_MS however many sends fail.
    if (this.stale && this.state === 'ready' && Date.now() >= this.connectedAt + RETRY_DELAY_MS) {
      this.reconnect();
    }
    if (this.state === 'retry-later') {
      if (Date.now() < this.retryAt) {
        batch.remaining++;
        this.settle(batch, datagram.length, this.retryCode, false);
        return;
      }
      this.state = 'idle';
    }
    batch.remaining++;
    this.pendingCount++;
    if (this.state === 'ready') {
      this.sendNow(datagram, batch);
      return;
    }
    this.waiting.push({ datagram, batch });
    if (this.state === 'idle') this.connect();
  }

  private sendNow(datagram: Buffer, batch: Batch): void {
    (this.socket as DaemonSocket).send(datagram, (error) => {
      this.settle(batch, datagram.length, error === null || error === undefined ? undefined : error, true);
    });
  }

  /** Starts DNS (for a host name) and the socket connect; `waiting` is sent once connected. */
  private connect(): void {
    this.state = 'connecting';
    const { host, port, family } = this.endpoint;
    if (family !== undefined) {
      this.openSocket(family, host, port);
      return;
    }
    // Never on the caller's tick: dns.lookup answers through the thread pool.
    lookup(host, (error, address, resolvedFamily) => {
      if (error) this.connectFailed(error);
      else this.openSocket(resolvedFamily === 6 ? 6 : 4, address, port);
    });
  }

  private openSocket(family: 4 | 6, address: string, port: number): void {
    const socket = new DaemonSocket(
      family,
      address,
      port,
      (error) => {
        if (error) {
          this.connectFailed(error);
          return;
        }
        this.socket = socket;
        this.state = 'ready';
        this.stale = false;
        this.connectedAt = Date.now();
        const waiting = this.waiting;
        this.waiting = [];
        for (let i = 0; i < waiting.length; i++) {
          // Already counted in pendingCount: it moves from `waiting` to in flight.
          this.sendNow(waiting[i].datagram, waiting[i].batch);
        }
      },
      (error) => {
        // An error on the open socket outside a send (not expected with UDP): start afresh.
        this.log.log(
          'socket:' + errorCode(error),
          `${LOG_PREFIX}socket error ${errorCode(error)}: ${error.message}; reconnecting`,
        );
        if (this.socket === socket && this.state === 'ready') this.reconnect();
      },
    );
  }

  private connectFailed(error: Error): void {
    const code = errorCode(error);
    this.state = 'retry-later';
    this.retryAt = Date.now() + RETRY_DELAY_MS;
    this.retryCode = code;
    this.logSendError(code, error.message);
    const waiting = this.waiting;
    this.waiting = [];
    for (let i = 0; i < waiting.length; i++) {
      this.pendingCount--;
      this.settle(waiting[i].batch, waiting[i].datagram.length, code, false);
    }
    this.checkFlushed();
  }

  /** Replaces the socket: looked up again, the old one closed once its sends completed. */
  private reconnect(): void {
    this.socket?.retire();
    this.socket = undefined;
    this.state = 'idle';
    this.stale = false;
  }

  /**
   * One document of `batch` is done: sent (`error` undefined) or failed (`error` an Error from a send
   * callback, or an error code from a failed lookup/connect already logged).
   */
  private settle(batch: Batch, bytes: number, error: Error | string | undefined, wasPending: boolean): void {
    if (wasPending) this.pendingCount--;
    if (error === undefined) {
      this.count.documentsSent++;
      this.count.bytesSent += bytes;
      batch.sent++;
    } else {
      const code = typeof error === 'string' ? error : errorCode(error);
      this.sendErrors[code] = (this.sendErrors[code] ?? 0) + 1;
      batch.firstError ??= code;
      if (typeof error !== 'string') {
        this.logSendError(code, error.message, bytes);
        if (this.endpoint.family === undefined && RERESOLVE_CODES.has(code)) this.stale = true;
      }
    }
    batch.remaining--;
    if (batch.sealed && batch.remaining === 0) this.finish(batch);
    if (wasPending) this.checkFlushed();
  }

  private logSendError(code: string, message: string, bytes?: number): void {
    const { host, port } = this.endpoint;
    const hint =
      code === 'EMSGSIZE'
        ? ` (datagram of ${bytes} bytes; the OS limit is lower, e.g. macOS net.inet.udp.maxdgram)`
        : '';
    this.log.log(
      'send:' + code,
      `${LOG_PREFIX}could not send a segment document to the X-Ray daemon at ${host}:${port}: ${code} ${message}${hint}`,
    );
  }

  private finish(batch: Batch): void {
    if (batch.sent > 0 || batch.documents === 0) {
      this.callBack(batch, { code: ExportResultCode.SUCCESS });
    } else {
      const { host, port } = this.endpoint;
      this.callBack(batch, {
        code: ExportResultCode.FAILED,
        error: new Error(
          `no segment document could be sent to the X-Ray daemon at ${host}:${port} (${batch.firstError})`,
        ),
      });
    }
  }

  private callBack(batch: Batch, result: ExportResult): void {
    try {
      batch.resultCallback(result);
    } catch (error) {
      diag.error(LOG_PREFIX + 'export result callback threw', error);
    }
  }

  private checkFlushed(): void {
    if (this.pendingCount !== 0 || this.flushWaiters.length === 0) return;
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (let i = 0; i < waiters.length; i++) waiters[i]();
  }
}
