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
 * Sending, the pending bound, flush, shutdown and the result of `export()` are the shared UDP daemon
 * exporter's (`UdpDaemonSpanExporter` in @xray-otel/core): SUCCESS when any datagram of the batch was
 * sent or none was made; FAILED when none could be sent, and after `shutdown()`; a partial failure is
 * SUCCESS with the failures counted and logged (UDP has no acknowledgement: retrying the whole batch
 * would duplicate what went out). Nothing is thrown; the callback is called once, asynchronously.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  AWS_XRAY_OTLP_TRUNCATED_ATTRIBUTE,
  DATAGRAM_HEADER,
  DATAGRAM_HEADER_BYTES,
  MAX_DOCUMENT_BYTES,
  OTLP_UDP_SAMPLED_PREFIX,
  OTLP_UDP_UNSAMPLED_PREFIX,
  UdpDaemonSpanExporter,
  type DatagramSink,
  type UdpExporterCounters,
} from '@xray-otel/core';
import type { ReadableSpanLike } from '@xray-otel/translator';

/** Largest datagram sent, header and prefix included: the daemon endpoint's 64 kB document limit. */
export const MAX_DATAGRAM_BYTES = MAX_DOCUMENT_BYTES;
export const SAMPLED_PREFIX = OTLP_UDP_SAMPLED_PREFIX;
export const UNSAMPLED_PREFIX = OTLP_UDP_UNSAMPLED_PREFIX;
/** Set (true) on a span shrunk to fit one datagram. */
export const TRUNCATED_ATTRIBUTE = AWS_XRAY_OTLP_TRUNCATED_ATTRIBUTE;

const PREFIX_BYTES = 3;
const LOG_PREFIX = '@xray-otel/exporter-otlp: ';
const TRACE_FLAG_SAMPLED = 1;

/** Options of {@link AWSXRayOtlpUdpSpanExporter}. */
export interface AWSXRayOtlpUdpSpanExporterOptions {
  /** `host:port` or `tcp:host:port udp:host:port`. Default: `AWS_XRAY_DAEMON_ADDRESS`, else `127.0.0.1:2000`. */
  daemonAddress?: string;
  /** Datagrams waiting for the lookup or the kernel at once; beyond it they are dropped and counted. Default 10,000. */
  maxPendingDatagrams?: number;
}

/**
 * What the exporter has done (a snapshot): the fields every exporter has, the UDP client's, and the
 * names this exporter had before them.
 */
export interface OtlpUdpExporterCounters extends UdpExporterCounters {
  /** Same as `spansExported`. */
  spansSent: number;
  /** Same as `spansTruncated`. */
  spansShrunk: number;
}

/** The datagram size for a protobuf payload of `bytes` bytes. */
export function datagramSize(bytes: number): number {
  return DATAGRAM_HEADER_BYTES + PREFIX_BYTES + 4 * Math.ceil(bytes / 3);
}

/** One datagram: header, prefix, base64 of `payload`. */
export function toOtlpDatagram(prefix: string, payload: Uint8Array): Buffer {
  const base64 = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64');
  return Buffer.from(DATAGRAM_HEADER + prefix + base64, 'utf8');
}

type SpanLike = ReadableSpanLike & Record<string, unknown>;

/** Throws when the serializer does (a span it cannot read). */
function serialize(spans: readonly ReadableSpanLike[]): Uint8Array {
  // The serializer's type names the SDK's ReadableSpan (2.x or 3.x); ours is the structural shape.
  const payload = ProtobufTraceSerializer.serializeRequest(spans as never);
  if (payload === undefined) throw new Error('the OTLP serializer returned nothing');
  return payload;
}

/** `span` seen through `overrides` (a Proxy: getters, methods and class fields of the SDK span keep working). */
function withOverrides(span: ReadableSpanLike, overrides: Record<string, unknown>): ReadableSpanLike {
  return new Proxy(span, {
    get(target, property) {
      if (typeof property === 'string' && Object.prototype.hasOwnProperty.call(overrides, property)) {
        return overrides[property];
      }
      // The target as receiver: the SDK span's getters and methods read its private fields.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  // Attribute values are primitives or arrays of them; a value JSON cannot size counts as small.
  try {
    return JSON.stringify(value)?.length ?? 8;
  } catch {
    return 8;
  }
}

/**
 * Encodes spans as OTLP/UDP datagrams: grouped by their sampled flag, a group whose datagram would be
 * over {@link MAX_DATAGRAM_BYTES} halved until every part fits, a single span too big on its own
 * shrunk, and one still too big failed as `too-large`.
 */
function encodeOtlpUdp(spans: readonly ReadableSpanLike[], sink: DatagramSink): void {
  const sampled: ReadableSpanLike[] = [];
  const unsampled: ReadableSpanLike[] = [];
  for (let i = 0; i < spans.length; i++) {
    const flags = spans[i].spanContext().traceFlags ?? 0;
    ((flags & TRACE_FLAG_SAMPLED) === TRACE_FLAG_SAMPLED ? sampled : unsampled).push(spans[i]);
  }
  if (sampled.length > 0) split(SAMPLED_PREFIX, sampled, sink);
  if (unsampled.length > 0) split(UNSAMPLED_PREFIX, unsampled, sink);
}

/**
 * Serializes `spans` into datagrams that fit, halving a group until it does. A group the serializer
 * cannot read is halved too, so that only the unreadable span fails (`unreadable-span`).
 */
function split(prefix: string, spans: ReadableSpanLike[], sink: DatagramSink): void {
  let payload: Uint8Array;
  try {
    payload = serialize(spans);
  } catch (error) {
    if (spans.length > 1) {
      const middle = spans.length >>> 1;
      split(prefix, spans.slice(0, middle), sink);
      split(prefix, spans.slice(middle), sink);
    } else {
      sink.fail(1, 'unreadable-span', `span dropped, it cannot be serialized: ${(error as Error)?.message}`);
    }
    return;
  }
  if (datagramSize(payload.byteLength) <= MAX_DATAGRAM_BYTES) {
    sink.send(toOtlpDatagram(prefix, payload), spans.length);
    return;
  }
  if (spans.length > 1) {
    const middle = spans.length >>> 1;
    split(prefix, spans.slice(0, middle), sink);
    split(prefix, spans.slice(middle), sink);
    return;
  }
  const shrunk = shrink(spans[0]);
  if (shrunk === undefined) {
    sink.fail(
      1,
      'too-large',
      `span "${spans[0].name}" dropped: over ${MAX_DATAGRAM_BYTES} bytes even without events, links and attributes`,
    );
    return;
  }
  sink.truncated(1, `span "${spans[0].name}" shrunk to fit one ${MAX_DATAGRAM_BYTES}-byte datagram`);
  sink.send(toOtlpDatagram(prefix, shrunk), 1);
}

/** The span without events, then links, then its largest attributes, until it fits; undefined if it never does. */
function shrink(span: ReadableSpanLike): Uint8Array | undefined {
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
    return datagramSize(payload.byteLength) <= MAX_DATAGRAM_BYTES ? payload : undefined;
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

export class AWSXRayOtlpUdpSpanExporter extends UdpDaemonSpanExporter<ReadableSpanLike> {
  /** Throws `DaemonAddressError` for a bad `daemonAddress` option or `AWS_XRAY_DAEMON_ADDRESS`. */
  constructor(options: AWSXRayOtlpUdpSpanExporterOptions = {}) {
    super({
      daemonAddress: options.daemonAddress,
      maxPendingDatagrams: options.maxPendingDatagrams,
      encoder: encodeOtlpUdp,
      logPrefix: LOG_PREFIX,
      datagramName: 'an OTLP datagram',
    });
  }

  /** A snapshot of what the exporter has done so far (README "Counters"). */
  override get counters(): OtlpUdpExporterCounters {
    const counters = super.counters;
    return { ...counters, spansSent: counters.spansExported, spansShrunk: counters.spansTruncated };
  }
}
