/**
 * The one UDP client to the X-Ray daemon, shared by the segment exporter and the OTLP/UDP exporter.
 *
 * - One connected, `unref`'d socket (udp4, or udp6 for an IPv6 daemon; see daemon-socket.ts for why
 *   connected). A host name is looked up when the client first connects, off the caller's tick, and
 *   again after a send fails in a way that says the daemon may have moved, at most once a second.
 * - Datagrams waiting for the lookup or for their send callback are bounded by `maxPendingDatagrams`;
 *   beyond it a datagram is refused with {@link QUEUE_FULL} and counted, never queued without bound.
 * - After a failed lookup or connect, datagrams fail at once with that error for a second, so a dead
 *   daemon costs no lookup per datagram.
 * - `forceFlush()` and `close()` wait for every send callback. Nothing is thrown; every problem is
 *   counted and said through the rate-limited log.
 */
import { lookup } from 'node:dns';
import { formatEndpoint, type DaemonEndpoint } from './daemon-address';
import { DaemonSocket } from './daemon-socket';
import { errorCode, increment } from './exporter';
import { RateLimitedLog } from './rate-limited-log';

/** Default for `maxPendingDatagrams`. */
export const DEFAULT_MAX_PENDING_DATAGRAMS = 10_000;

/** Error code of a datagram refused because `maxPendingDatagrams` were already pending. */
export const QUEUE_FULL = 'QUEUE_FULL';

/** Error code of a datagram given to a closed client. */
export const CLIENT_CLOSED = 'CLOSED';

/** After a failed lookup or connect, datagrams fail at once (no new lookup) for this long. */
export const RETRY_DELAY_MS = 1_000;

/** Errors after which a daemon given by host name is looked up again (it may have moved). */
const RERESOLVE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EINVAL']);

/** Called once per datagram: `undefined` when the kernel took it, else an error code. */
export type DatagramCallback = (errorCode: string | undefined) => void;

export interface UdpDaemonClientOptions {
  /** Where the datagrams go: the `udp` part of a parsed daemon address. */
  endpoint: DaemonEndpoint;
  /** Datagrams waiting for the lookup or the kernel at once. Default 10,000. */
  maxPendingDatagrams?: number;
  /** Where problems are said. Default: a new {@link RateLimitedLog} to `diag.warn`. */
  log?: RateLimitedLog;
  /** Put before every line, e.g. `@xray-otel/exporter-udp: `. */
  logPrefix?: string;
  /** What one datagram holds, for the lines said: `a segment document`, `an OTLP datagram`. */
  datagramName?: string;
  /** The clock for the one-second retry rule (tests). Default `Date.now`. */
  now?: () => number;
}

/** What the client has done (a snapshot). */
export interface UdpDaemonClientCounters {
  /** Datagrams the kernel took. */
  datagramsSent: number;
  /** Their bytes, header lines included. */
  bytesSent: number;
  /** Datagrams refused because `maxPendingDatagrams` were pending ({@link QUEUE_FULL}). */
  datagramsDropped: number;
  /** Datagrams that failed, by error code (`ECONNREFUSED`, `ENOTFOUND`, `EMSGSIZE`, ...). */
  sendErrors: Record<string, number>;
  /** Datagrams waiting for the lookup or for their send callback now. */
  pending: number;
}

interface WaitingDatagram {
  datagram: Buffer;
  callback: DatagramCallback;
}

type ConnectionState = 'idle' | 'connecting' | 'ready' | 'retry-later' | 'closed';

export class UdpDaemonClient {
  readonly endpoint: DaemonEndpoint;
  private readonly maxPending: number;
  private readonly log: RateLimitedLog;
  private readonly logPrefix: string;
  private readonly datagramName: string;
  private readonly now: () => number;

  private state: ConnectionState = 'idle';
  private socket: DaemonSocket | undefined;
  /** Datagrams waiting for the socket to be connected (lookup, bind). */
  private waiting: WaitingDatagram[] = [];
  /** `waiting.length` plus the sends in flight on every socket. */
  private pendingCount = 0;
  private retryAt = 0;
  private retryCode = 'UNKNOWN';
  private connectedAt = 0;
  /** A send failed in a way that suggests the daemon's host name now resolves elsewhere. */
  private stale = false;
  private closePromise: Promise<void> | undefined;
  private flushWaiters: (() => void)[] = [];
  private readonly count = { datagramsSent: 0, bytesSent: 0, datagramsDropped: 0 };
  private readonly sendErrors: Record<string, number> = {};

  constructor(options: UdpDaemonClientOptions) {
    this.endpoint = options.endpoint;
    const max = options.maxPendingDatagrams;
    this.maxPending =
      max !== undefined && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_PENDING_DATAGRAMS;
    this.log = options.log ?? new RateLimitedLog();
    this.logPrefix = options.logPrefix ?? '';
    this.datagramName = options.datagramName ?? 'a datagram';
    this.now = options.now ?? Date.now;
  }

  get counters(): UdpDaemonClientCounters {
    return { ...this.count, sendErrors: { ...this.sendErrors }, pending: this.pendingCount };
  }

  /** Datagrams waiting for the lookup or for their send callback now. */
  get pending(): number {
    return this.pendingCount;
  }

  /**
   * Hands one datagram to the daemon. `callback` is called exactly once: asynchronously when the
   * datagram went to the socket or waits for the lookup, synchronously when it is refused at once
   * ({@link QUEUE_FULL}, {@link CLIENT_CLOSED}, or the error of a lookup or connect that failed less
   * than a second ago).
   */
  send(datagram: Buffer, callback: DatagramCallback): void {
    if (this.state === 'closed') {
      this.refuse(CLIENT_CLOSED, callback);
      return;
    }
    if (this.pendingCount >= this.maxPending) {
      this.count.datagramsDropped++;
      this.log.log(
        'dropped',
        `${this.logPrefix}${this.maxPending} datagrams already pending (daemon or kernel not keeping up): ` +
          `${this.datagramName} dropped`,
      );
      this.settle(callback, QUEUE_FULL);
      return;
    }
    // At most one new lookup per RETRY_DELAY_MS however many sends fail.
    if (this.stale && this.state === 'ready' && this.now() >= this.connectedAt + RETRY_DELAY_MS) {
      this.reconnect();
    }
    if (this.state === 'retry-later') {
      if (this.now() < this.retryAt) {
        this.refuse(this.retryCode, callback);
        return;
      }
      this.state = 'idle';
    }
    this.pendingCount++;
    if (this.state === 'ready') {
      this.sendNow(datagram, callback);
      return;
    }
    this.waiting.push({ datagram, callback });
    if (this.state === 'idle') this.connect();
  }

  /** Resolves when every pending datagram has been taken by the kernel or has failed. */
  forceFlush(): Promise<void> {
    if (this.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  /** Flushes, then closes the socket. Idempotent; later sends fail with {@link CLIENT_CLOSED}. */
  close(): Promise<void> {
    this.closePromise ??= this.forceFlush().then(() => {
      this.state = 'closed';
      this.socket?.retire();
      this.socket = undefined;
    });
    return this.closePromise;
  }

  private sendNow(datagram: Buffer, callback: DatagramCallback): void {
    (this.socket as DaemonSocket).send(datagram, (error) => {
      this.pendingCount--;
      if (error === null || error === undefined) {
        this.count.datagramsSent++;
        this.count.bytesSent += datagram.length;
        this.settle(callback, undefined);
      } else {
        const code = errorCode(error);
        increment(this.sendErrors, code);
        this.logSendError(code, error.message, datagram.length);
        if (this.endpoint.family === undefined && RERESOLVE_CODES.has(code)) this.stale = true;
        this.settle(callback, code);
      }
      this.checkFlushed();
    });
  }

  /**
   * A datagram refused before it became pending: counted, and said unless it was said already (the
   * failed lookup or connect was).
   */
  private refuse(code: string, callback: DatagramCallback): void {
    increment(this.sendErrors, code);
    if (code === CLIENT_CLOSED) {
      this.log.log(code, `${this.logPrefix}${this.datagramName} given after close(): dropped`);
    }
    this.settle(callback, code);
  }

  /** Starts the lookup (for a host name) and the socket connect; `waiting` is sent once connected. */
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
        this.connectedAt = this.now();
        const waiting = this.waiting;
        this.waiting = [];
        // Already counted in pendingCount: they move from `waiting` to in flight.
        for (let i = 0; i < waiting.length; i++) this.sendNow(waiting[i].datagram, waiting[i].callback);
      },
      (error) => {
        // An error on the open socket outside a send (not expected with UDP): start afresh.
        const code = errorCode(error);
        this.log.log(
          'socket:' + code,
          `${this.logPrefix}socket error ${code}: ${error.message}; reconnecting`,
        );
        if (this.socket === socket && this.state === 'ready') this.reconnect();
      },
    );
  }

  private connectFailed(error: Error): void {
    const code = errorCode(error);
    if (this.state !== 'closed') {
      this.state = 'retry-later';
      this.retryAt = this.now() + RETRY_DELAY_MS;
      this.retryCode = code;
    }
    this.logSendError(code, error.message);
    const waiting = this.waiting;
    this.waiting = [];
    for (let i = 0; i < waiting.length; i++) {
      this.pendingCount--;
      increment(this.sendErrors, code);
      this.settle(waiting[i].callback, code);
    }
    this.checkFlushed();
  }

  /** Replaces the socket: looked up again, the old one closed once its sends have completed. */
  private reconnect(): void {
    this.socket?.retire();
    this.socket = undefined;
    this.state = 'idle';
    this.stale = false;
  }

  private settle(callback: DatagramCallback, code: string | undefined): void {
    try {
      callback(code);
    } catch (error) {
      // A caller's bug must not stop the other callbacks or the flush waiters.
      this.log.log('callback', `${this.logPrefix}datagram callback threw: ${(error as Error)?.message}`);
    }
  }

  private logSendError(code: string, message: string, bytes?: number): void {
    const hint =
      code === 'EMSGSIZE'
        ? ` (datagram of ${bytes} bytes; the OS limit is lower, e.g. macOS net.inet.udp.maxdgram)`
        : '';
    this.log.log(
      'send:' + code,
      `${this.logPrefix}could not send ${this.datagramName} to the X-Ray daemon at ` +
        `${formatEndpoint(this.endpoint)}: ${code} ${message}${hint}`,
    );
  }

  private checkFlushed(): void {
    if (this.pendingCount !== 0 || this.flushWaiters.length === 0) return;
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (let i = 0; i < waiters.length; i++) waiters[i]();
  }
}
