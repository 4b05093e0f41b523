/**
 * `AWSXRayOtlpUdpSpanExporter`: OTLP over UDP to the X-Ray daemon endpoint of AWS Lambda
 * (xray-protocol.md §11, ecosystem.md §3.3). Each datagram is
 * `{"format":"json","version":1}\n` + `T1S` (sampled spans) or `T1U` (unsampled spans) + base64 of a
 * protobuf `ExportTraceServiceRequest` (upstream `ProtobufTraceSerializer`).
 *
 * Where ADOT relies on a batch size of 10 (ecosystem.md §5 item 8), this exporter measures: spans are
 * grouped by their own sampled flag, and a group whose datagram would exceed {@link MAX_DATAGRAM_BYTES}
 * is split in halves until every part fits. A span too big on its own is shrunk (events, then links,
 * then attributes largest first; ids, times, name, kind and status kept) and marked
 * `aws.xray.otlp.truncated = true`; only a span still too big after that (a huge name or resource) is
 * dropped, counted and logged.
 *
 * Result of `export()`: SUCCESS when every span was handed to the kernel; FAILED when none was, and
 * after `shutdown()`; a partial failure is SUCCESS with the failures counted and logged (UDP has no
 * acknowledgement: retrying the whole batch would duplicate the datagrams that went out). Nothing is
 * thrown; the callback is called once, asynchronously.
 */
import * as dgram from 'node:dgram';
import { diag } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  DATAGRAM_HEADER,
  ExportResultCode,
  resolveDaemonAddress,
  type DaemonAddress,
  type ExportResult,
  type SpanExporterLike,
  RateLimitedLog,
} from '@xray-otel/exporter-udp';
import type { ReadableSpanLike } from '@xray-otel/translator';
import { increment, type OtlpUdpExporterCounters } from './counters';

/** Largest datagram sent: the daemon endpoint's 64 kB limit, with room to spare as the SDKs keep. */
export const MAX_DATAGRAM_BYTES = 64_000;
export const SAMPLED_PREFIX = 'T1S';
export const UNSAMPLED_PREFIX = 'T1U';
/** Set (true) on a span shrunk to fit one datagram. */
export const TRUNCATED_ATTRIBUTE = 'aws.xray.otlp.truncated';

const HEADER_BYTES = Buffer.byteLength(DATAGRAM_HEADER, 'utf8');
const PREFIX_BYTES = 3;
const LOG_PREFIX = '@xray-otel/exporter-otlp: ';
const TRACE_FLAG_SAMPLED = 1;

/** Options of {@link AWSXRayOtlpUdpSpanExporter}. */
export interface AWSXRayOtlpUdpSpanExporterOptions {
  /** `host:port` or `tcp:host:port udp:host:port`. Default: `AWS_XRAY_DAEMON_ADDRESS`, else `127.0.0.1:2000`. */
  daemonAddress?: string;
}

/** The datagram size for a protobuf payload of `bytes` bytes. */
export function datagramSize(bytes: number): number {
  return HEADER_BYTES + PREFIX_BYTES + 4 * Math.ceil(bytes / 3);
}

/** One datagram: header, prefix, base64 of `payload`. */
export function toOtlpDatagram(prefix: string, payload: Uint8Array): Buffer {
  const base64 = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64');
  return Buffer.from(DATAGRAM_HEADER + prefix + base64, 'utf8');
}

type SpanLike = ReadableSpanLike & Record<string, unknown>;

function serialize(spans: readonly ReadableSpanLike[]): Uint8Array | undefined {
  // The serializer's type names the SDK's ReadableSpan (2.x or 3.x); ours is the structural shape.
  return ProtobufTraceSerializer.serializeRequest(spans as never) ?? undefined;
}

/** `span` seen through `overrides` (a Proxy: getters, methods and class fields of the SDK span keep working). */
function withOverrides(span: ReadableSpanLike, overrides: Record<string, unknown>): ReadableSpanLike {
  return new Proxy(span, {
    get(target, property, receiver) {
      if (typeof property === 'string' && Object.prototype.hasOwnProperty.call(overrides, property)) {
        return overrides[property];
      }
      const value = Reflect.get(target, property, receiver === target ? target : target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  try {
    return JSON.stringify(value)?.length ?? 8;
  } catch {
    /* istanbul ignore next: attribute values are primitives or arrays of them */
    return 8;
  }
}

/** A datagram ready to send and the spans in it. */
interface Part {
  prefix: string;
  payload: Uint8Array;
  spans: number;
}

class Batch {
  remaining = 0;
  sent = 0;
  failed = 0;
  sealed = false;
  constructor(readonly resultCallback: (result: ExportResult) => void) {}
}

export class AWSXRayOtlpUdpSpanExporter implements SpanExporterLike {
  readonly daemonAddress: DaemonAddress;
  private readonly log = new RateLimitedLog();
  private socket: dgram.Socket | undefined;
  private pendingCount = 0;
  private isShutdown = false;
  private shutdownPromise: Promise<void> | undefined;
  private flushWaiters: (() => void)[] = [];
  private readonly count = {
    spansReceived: 0,
    spansSent: 0,
    spansFailed: 0,
    spansShrunk: 0,
    datagramsSent: 0,
    bytesSent: 0,
  };
  private readonly sendErrors: Record<string, number> = {};

  /** Throws `DaemonAddressError` for a bad `daemonAddress` option or `AWS_XRAY_DAEMON_ADDRESS`. */
  constructor(options: AWSXRayOtlpUdpSpanExporterOptions = {}) {
    this.daemonAddress = resolveDaemonAddress(options.daemonAddress);
  }

  get counters(): OtlpUdpExporterCounters {
    return { ...this.count, sendErrors: { ...this.sendErrors }, pending: this.pendingCount };
  }

  export(spans: ReadableSpanLike[], resultCallback: (result: ExportResult) => void): void {
    const batch = new Batch(resultCallback);
    this.count.spansReceived += spans.length;
    if (this.isShutdown) {
      this.fail(batch, spans.length, 'shutdown', 'export() after shutdown(): spans dropped');
      batch.sealed = true;
      process.nextTick(() => this.finish(batch));
      return;
    }
    const sampled: ReadableSpanLike[] = [];
    const unsampled: ReadableSpanLike[] = [];
    for (let i = 0; i < spans.length; i++) {
      const flags = spans[i].spanContext().traceFlags ?? 0;
      ((flags & TRACE_FLAG_SAMPLED) === TRACE_FLAG_SAMPLED ? sampled : unsampled).push(spans[i]);
    }
    const parts: Part[] = [];
    try {
      if (sampled.length > 0) this.split(SAMPLED_PREFIX, sampled, batch, parts);
      if (unsampled.length > 0) this.split(UNSAMPLED_PREFIX, unsampled, batch, parts);
    } catch (error) {
      /* istanbul ignore next: the serializer does not throw on SDK spans */
      this.fail(
        batch,
        spans.length - batch.failed,
        'serialize',
        `spans could not be serialized: ${(error as Error)?.message}`,
      );
      parts.length = 0;
    }
    for (let i = 0; i < parts.length; i++) this.send(parts[i], batch);
    batch.sealed = true;
    if (batch.remaining === 0) process.nextTick(() => this.finish(batch));
  }

  /** Resolves when every datagram handed to the socket has had its send callback. */
  forceFlush(): Promise<void> {
    if (this.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  /** Flushes, then closes the socket. Idempotent; `export()` afterwards fails. */
  shutdown(): Promise<void> {
    if (this.shutdownPromise === undefined) {
      this.isShutdown = true;
      this.shutdownPromise = this.forceFlush().then(() => {
        const socket = this.socket;
        this.socket = undefined;
        try {
          socket?.close();
        } catch {
          /* istanbul ignore next: already closed after an error */
        }
      });
    }
    return this.shutdownPromise;
  }

  /** Serializes `spans` into datagrams that fit, halving a group until it does. */
  private split(prefix: string, spans: ReadableSpanLike[], batch: Batch, parts: Part[]): void {
    const payload = serialize(spans);
    if (payload === undefined) {
      /* istanbul ignore next: the serializer returns bytes for any span list */
      this.fail(batch, spans.length, 'serialize', 'the OTLP serializer returned nothing');
      /* istanbul ignore next */
      return;
    }
    if (datagramSize(payload.byteLength) <= MAX_DATAGRAM_BYTES) {
      parts.push({ prefix, payload, spans: spans.length });
      return;
    }
    if (spans.length > 1) {
      const middle = spans.length >>> 1;
      this.split(prefix, spans.slice(0, middle), batch, parts);
      this.split(prefix, spans.slice(middle), batch, parts);
      return;
    }
    const shrunk = this.shrink(spans[0]);
    if (shrunk === undefined) {
      this.fail(
        batch,
        1,
        'too-large',
        `span "${spans[0].name}" dropped: over ${MAX_DATAGRAM_BYTES} bytes even without events, links and attributes`,
      );
      return;
    }
    this.count.spansShrunk++;
    this.log.log(
      'shrunk',
      `${LOG_PREFIX}span "${spans[0].name}" shrunk to fit one ${MAX_DATAGRAM_BYTES}-byte datagram`,
    );
    parts.push({ prefix, payload: shrunk, spans: 1 });
  }

  /** The span without events, then links, then its largest attributes, until it fits; undefined if it never does. */
  private shrink(span: ReadableSpanLike): Uint8Array | undefined {
    const source = span as SpanLike;
    const events = span.events ?? [];
    const links = span.links ?? [];
    const attributes: Record<string, unknown> = { ...span.attributes };
    const droppedAttributes = Number(source.droppedAttributesCount ?? 0);
    const overrides: Record<string, unknown> = {
      events: [],
      droppedEventsCount: Number(source.droppedEventsCount ?? 0) + events.length,
      attributes: { ...attributes, [TRUNCATED_ATTRIBUTE]: true },
    };
    const fits = (): Uint8Array | undefined => {
      const payload = serialize([withOverrides(span, overrides)]);
      return payload !== undefined && datagramSize(payload.byteLength) <= MAX_DATAGRAM_BYTES
        ? payload
        : undefined;
    };
    let payload = fits();
    if (payload !== undefined) return payload;
    overrides.links = [];
    overrides.droppedLinksCount = Number(source.droppedLinksCount ?? 0) + links.length;
    payload = fits();
    if (payload !== undefined) return payload;
    const bySize = Object.keys(attributes).sort(
      (a, b) => valueSize(attributes[b]) + b.length - (valueSize(attributes[a]) + a.length),
    );
    let dropped = 0;
    for (const key of bySize) {
      delete attributes[key];
      dropped++;
      overrides.attributes = { ...attributes, [TRUNCATED_ATTRIBUTE]: true };
      overrides.droppedAttributesCount = droppedAttributes + dropped;
      payload = fits();
      if (payload !== undefined) return payload;
    }
    return undefined;
  }

  private send(part: Part, batch: Batch): void {
    const datagram = toOtlpDatagram(part.prefix, part.payload);
    batch.remaining++;
    this.pendingCount++;
    const settle = (error: Error | null | undefined): void => {
      this.pendingCount--;
      if (error === null || error === undefined) {
        this.count.datagramsSent++;
        this.count.bytesSent += datagram.length;
        this.count.spansSent += part.spans;
        batch.sent += part.spans;
      } else {
        const errorCode = (error as { code?: unknown }).code;
        const code = typeof errorCode === 'string' && errorCode !== '' ? errorCode : 'UNKNOWN';
        const { host, port } = this.daemonAddress.udp;
        this.fail(
          batch,
          part.spans,
          code,
          `could not send an OTLP datagram (${datagram.length} bytes, ${part.spans} spans) to ${host}:${port}: ${error.message}`,
        );
      }
      batch.remaining--;
      if (batch.sealed && batch.remaining === 0) this.finish(batch);
      this.checkFlushed();
    };
    try {
      const { host, port } = this.daemonAddress.udp;
      this.getSocket().send(datagram, port, host, settle);
    } catch (error) {
      /* istanbul ignore next: send on an open socket does not throw */
      process.nextTick(() => settle(error as Error));
    }
  }

  private getSocket(): dgram.Socket {
    if (this.socket === undefined) {
      const socket = dgram.createSocket(this.daemonAddress.udp.family === 6 ? 'udp6' : 'udp4');
      // Telemetry must never keep the process alive.
      socket.unref();
      socket.on('error', (error) => {
        /* istanbul ignore next: UDP sockets report errors through send callbacks */
        this.log.log('socket', `${LOG_PREFIX}UDP socket error: ${error.message}`);
      });
      this.socket = socket;
    }
    return this.socket;
  }

  private fail(batch: Batch, spans: number, reason: string, message: string): void {
    if (spans <= 0) return;
    this.count.spansFailed += spans;
    batch.failed += spans;
    increment(this.sendErrors, reason);
    this.log.log(reason, LOG_PREFIX + message);
  }

  private finish(batch: Batch): void {
    const result: ExportResult =
      batch.failed === 0 || batch.sent > 0
        ? { code: ExportResultCode.SUCCESS }
        : {
            code: ExportResultCode.FAILED,
            error: new Error(`${batch.failed} span(s) could not be sent over OTLP/UDP`),
          };
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
