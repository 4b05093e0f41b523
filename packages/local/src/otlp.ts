/**
 * OTLP trace requests in (protobuf or OTLP/JSON), X-Ray documents out: each span becomes a
 * `ReadableSpanLike` and goes through the translator, exactly as our exporter would send it.
 * Never throws: undecodable input is an `invalid-otlp` rejection, an untranslatable span a
 * rejection with the translator's reason.
 */
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { isObject } from '@xray-otel/core';
import {
  spanToSegments,
  serializeSegment,
  TranslationError,
  type AttributesLike,
  type HrTimeLike,
  type ReadableSpanLike,
  type SpanContextLike,
  type TranslatorOptions,
} from '@xray-otel/translator';
import type { SegmentDocument } from './types';
import { validateDocumentText } from './validate';

/**
 * Where the build puts the official OTLP definitions (opentelemetry-proto v1.4.0, Apache-2.0, with
 * its LICENSE), copied from the pinned package @elastic/mockotlpserver. `..` from `build/` (compiled)
 * and from `src/` (tests run from source) both lead to the package folder.
 */
export const OTLP_PROTO_DIR = path.resolve(__dirname, '..', 'build', 'otlp-proto');
const TRACE_SERVICE_PROTO = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

/**
 * `google.rpc.Status`, the body of an OTLP/HTTP error answer: it is googleapis', not part of
 * opentelemetry-proto. `details` (field 3) is left out: we never send any.
 */
const RPC_STATUS_PROTO = `
syntax = "proto3";
package google.rpc;
message Status { int32 code = 1; string message = 2; }
`;

/** The OTLP trace service's messages, loaded with protobufjs from the .proto files in `dir`. */
export function loadOtlpRoot(dir: string = OTLP_PROTO_DIR): protobuf.Root {
  const root = new protobuf.Root();
  // The files import each other by their path under the proto root ("opentelemetry/proto/...").
  root.resolvePath = (_origin, target) => path.join(dir, target);
  try {
    root.loadSync(TRACE_SERVICE_PROTO, { keepCase: false });
  } catch (error) {
    throw new Error(
      `xray-local: the OTLP definitions could not be loaded from ${dir} (${(error as Error).message}); ` +
        'the build copies them (npm run build)',
    );
  }
  protobuf.parse(RPC_STATUS_PROTO, root, { keepCase: false });
  return root;
}

const root = loadOtlpRoot();
const RequestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const ResponseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
const RpcStatusType = root.lookupType('google.rpc.Status');

/** OTLP/JSON may spell enums by name (`SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`): the proto's tables. */
const KIND_NAMES = root.lookupEnum('opentelemetry.proto.trace.v1.Span.SpanKind').values;
const STATUS_NAMES = root.lookupEnum('opentelemetry.proto.trace.v1.Status.StatusCode').values;
/** `Span.flags` / `Span.Link.flags` bits (opentelemetry-proto `SpanFlags`). */
const SPAN_FLAGS = root.lookupEnum('opentelemetry.proto.trace.v1.SpanFlags').values;
const FLAGS_TRACE_FLAGS_MASK = SPAN_FLAGS.SPAN_FLAGS_TRACE_FLAGS_MASK;
const FLAGS_HAS_IS_REMOTE = SPAN_FLAGS.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK;
const FLAGS_IS_REMOTE = SPAN_FLAGS.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK;

export type OtlpDecodeResult =
  { ok: true; spans: ReadableSpanLike[] } | { ok: false; reason: 'invalid-otlp'; detail: string };

/** One span's outcome after translation. */
export interface SpanRejection {
  reason: string;
  detail: string;
  spanName: string;
}

export interface TranslateResult {
  documents: SegmentDocument[];
  /** The JSON text of each document (same order), as serialized by the translator. */
  texts: string[];
  rejected: SpanRejection[];
  spans: number;
  /** Spans with at least one rejected document. */
  rejectedSpans: number;
}

type Json = Record<string, unknown>;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** An enum given as a number, a name (own entries only: protobufjs chains the ids behind the names) or digits. */
function enumValue(value: unknown, names: Record<string, number>): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string')
    return Object.hasOwn(names, value) ? names[value] : /^\d+$/.test(value) ? Number(value) : 0;
  return 0;
}

/** OTLP `SpanKind` (UNSPECIFIED 0, INTERNAL 1 ... CONSUMER 5) to OTel JS `SpanKind` (INTERNAL 0 ... CONSUMER 4). */
function toKind(value: unknown): number {
  const otlp = enumValue(value, KIND_NAMES);
  return otlp >= 1 && otlp <= 5 ? otlp - 1 : 0;
}

const HEX32 = /^[0-9a-fA-F]*$/;

/** Ids: bytes (protobuf) to hex; in JSON hex per the OTLP JSON mapping, base64 tolerated. */
function toHexId(value: unknown, hexLength: number): string {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (typeof value !== 'string') return '';
  if (value.length === hexLength && HEX32.test(value)) return value.toLowerCase();
  if (value.length === 0) return '';
  const bytes = Buffer.from(value, 'base64');
  return bytes.length * 2 === hexLength ? bytes.toString('hex') : value;
}

/** Unix nanoseconds (string, number or Long) to `[seconds, nanoseconds]`, exact. */
function toHrTime(value: unknown): HrTimeLike {
  let nanos: bigint;
  try {
    if (typeof value === 'bigint') nanos = value;
    else if (typeof value === 'number') nanos = BigInt(Math.trunc(value));
    else if (typeof value === 'string' && value !== '') nanos = BigInt(value);
    else if (isObject(value) && typeof value.low === 'number' && typeof value.high === 'number') {
      nanos = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
    } else nanos = 0n;
  } catch {
    nanos = 0n;
  }
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

function toInt(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (isObject(value) && typeof value.low === 'number' && typeof value.high === 'number') {
    return Number((BigInt(value.high) << 32n) + BigInt(value.low >>> 0));
  }
  return 0;
}

/** An `AnyValue` to a plain value: kvlist -> object, bytes -> Uint8Array, int64 -> number. */
function toValue(any: unknown, depth = 0): unknown {
  if (!isObject(any) || depth > 32) return undefined;
  if (any.stringValue !== undefined) {
    // A string from protobuf; from OTLP/JSON whatever the sender wrote, kept readable.
    return typeof any.stringValue === 'string' ? any.stringValue : JSON.stringify(any.stringValue);
  }
  if (any.boolValue !== undefined) return Boolean(any.boolValue);
  if (any.intValue !== undefined) return toInt(any.intValue);
  if (any.doubleValue !== undefined) return Number(any.doubleValue);
  if (any.arrayValue !== undefined)
    return list(isObject(any.arrayValue) ? any.arrayValue.values : undefined).map((v) =>
      toValue(v, depth + 1),
    );
  if (any.kvlistValue !== undefined)
    return toAttributes(isObject(any.kvlistValue) ? any.kvlistValue.values : undefined, depth + 1);
  if (any.bytesValue !== undefined) {
    const bytes = any.bytesValue;
    if (bytes instanceof Uint8Array) return new Uint8Array(bytes);
    if (typeof bytes === 'string') return new Uint8Array(Buffer.from(bytes, 'base64'));
  }
  return undefined;
}

function toAttributes(keyValues: unknown, depth = 0): AttributesLike {
  const attributes: AttributesLike = {};
  for (const keyValue of list(keyValues)) {
    if (!isObject(keyValue) || typeof keyValue.key !== 'string') continue;
    attributes[keyValue.key] = toValue(keyValue.value, depth);
  }
  return attributes;
}

/**
 * `SpanFlags` bits: the W3C trace flags, and whether the parent (of a span) or the linked span (of a
 * link) is remote, which only counts when the sender says it knows.
 */
function flagsOf(flags: number): { traceFlags: number; isRemote: boolean } {
  return {
    traceFlags: flags & FLAGS_TRACE_FLAGS_MASK,
    isRemote: (flags & FLAGS_HAS_IS_REMOTE) !== 0 && (flags & FLAGS_IS_REMOTE) !== 0,
  };
}

/** One OTLP span (protobuf object or OTLP/JSON) as the translator's input. */
export function toReadableSpan(
  span: Json,
  resource: Json | undefined,
  scope: Json | undefined,
): ReadableSpanLike {
  const traceId = toHexId(span.traceId, 32);
  const spanId = toHexId(span.spanId, 16);
  const parentSpanId = toHexId(span.parentSpanId, 16);
  const flags = span.flags === undefined ? 1 : toInt(span.flags);
  const traceState =
    typeof span.traceState === 'string' && span.traceState !== '' ? span.traceState : undefined;
  const { traceFlags, isRemote } = flagsOf(flags);
  const context: SpanContextLike = { traceId, spanId, traceFlags, traceState };
  const parentSpanContext: SpanContextLike | undefined =
    parentSpanId === '' ? undefined : { traceId, spanId: parentSpanId, isRemote };
  const startTime = toHrTime(span.startTimeUnixNano);
  const endTime = toHrTime(span.endTimeUnixNano);
  const status = isObject(span.status) ? span.status : {};
  const durationNanos = (endTime[0] - startTime[0]) * 1e9 + (endTime[1] - startTime[1]);
  return {
    name: typeof span.name === 'string' ? span.name : '',
    kind: toKind(span.kind),
    spanContext: () => context,
    parentSpanContext,
    startTime,
    endTime,
    duration: [Math.trunc(durationNanos / 1e9), durationNanos % 1e9],
    status: {
      code: enumValue(status.code, STATUS_NAMES),
      message: typeof status.message === 'string' && status.message !== '' ? status.message : undefined,
    },
    attributes: toAttributes(span.attributes),
    events: list(span.events)
      .filter(isObject)
      .map((event) => ({
        name: typeof event.name === 'string' ? event.name : '',
        time: toHrTime(event.timeUnixNano),
        attributes: toAttributes(event.attributes),
      })),
    links: list(span.links)
      .filter(isObject)
      .map((link) => ({
        context: {
          traceId: toHexId(link.traceId, 32),
          spanId: toHexId(link.spanId, 16),
          traceState:
            typeof link.traceState === 'string' && link.traceState !== '' ? link.traceState : undefined,
          // Link flags came with opentelemetry-proto 1.1; older senders leave them out.
          ...(link.flags === undefined ? {} : flagsOf(toInt(link.flags))),
        },
        attributes: toAttributes(link.attributes),
      })),
    resource: { attributes: toAttributes(resource?.attributes) },
    instrumentationScope: {
      name: typeof scope?.name === 'string' ? scope.name : '',
      version: typeof scope?.version === 'string' && scope.version !== '' ? scope.version : undefined,
    },
    ended: true,
  };
}

/** Every span of a decoded request (protobuf `toObject` or parsed OTLP/JSON, both camelCase). */
export function spansOfRequest(request: unknown): ReadableSpanLike[] {
  const spans: ReadableSpanLike[] = [];
  if (!isObject(request)) return spans;
  for (const resourceSpans of list(request.resourceSpans)) {
    if (!isObject(resourceSpans)) continue;
    const resource = isObject(resourceSpans.resource) ? resourceSpans.resource : undefined;
    for (const scopeSpans of list(resourceSpans.scopeSpans)) {
      if (!isObject(scopeSpans)) continue;
      const scope = isObject(scopeSpans.scope) ? scopeSpans.scope : undefined;
      for (const span of list(scopeSpans.spans))
        if (isObject(span)) spans.push(toReadableSpan(span, resource, scope));
    }
  }
  return spans;
}

/** Decode a protobuf `ExportTraceServiceRequest`. */
export function decodeOtlpProtobuf(bytes: Uint8Array): OtlpDecodeResult {
  try {
    const message = RequestType.decode(bytes);
    const request = RequestType.toObject(message, { longs: String, defaults: false });
    return { ok: true, spans: spansOfRequest(request) };
  } catch (error) {
    return {
      ok: false,
      reason: 'invalid-otlp',
      detail: 'OTLP protobuf request could not be decoded: ' + (error as Error).message,
    };
  }
}

/** Decode an OTLP/JSON `ExportTraceServiceRequest` (text). */
export function decodeOtlpJson(text: string): OtlpDecodeResult {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      reason: 'invalid-otlp',
      detail: 'OTLP/JSON request is not JSON: ' + (error as Error).message,
    };
  }
  if (!isObject(request))
    return { ok: false, reason: 'invalid-otlp', detail: 'OTLP/JSON request must be a JSON object' };
  try {
    return { ok: true, spans: spansOfRequest(request) };
  } catch (error) {
    return {
      ok: false,
      reason: 'invalid-otlp',
      detail: 'OTLP/JSON request could not be read: ' + (error as Error).message,
    };
  }
}

/**
 * Translate spans to documents with the translator, then check each document as X-Ray would
 * (validate.ts): what our exporter would have sent is exactly what is judged.
 */
export function translateSpans(
  spans: readonly ReadableSpanLike[],
  options?: TranslatorOptions,
): TranslateResult {
  const result: TranslateResult = {
    documents: [],
    texts: [],
    rejected: [],
    spans: spans.length,
    rejectedSpans: 0,
  };
  for (const span of spans) {
    const before = result.rejected.length;
    try {
      for (const segment of spanToSegments(span, options)) {
        const text = serializeSegment(segment);
        const verdict = validateDocumentText(text);
        if (verdict.ok) {
          result.documents.push(verdict.document);
          result.texts.push(text);
        } else result.rejected.push({ reason: verdict.reason, detail: verdict.detail, spanName: span.name });
      }
    } catch (error) {
      const reason = error instanceof TranslationError ? error.reason : 'unreadable-span';
      result.rejected.push({
        reason,
        detail: `span ${JSON.stringify(span.name)}: ${(error as Error).message}`,
        spanName: span.name,
      });
    }
    if (result.rejected.length > before) result.rejectedSpans++;
  }
  return result;
}

/** `ExportTraceServiceResponse` as protobuf bytes; `partial_success` only when spans were rejected. */
export function encodeExportResponse(rejectedSpans: number, errorMessage: string): Uint8Array {
  const body = rejectedSpans > 0 ? { partialSuccess: { rejectedSpans, errorMessage } } : {};
  return ResponseType.encode(ResponseType.fromObject(body)).finish();
}

/** `ExportTraceServiceResponse` in OTLP/JSON. */
export function exportResponseJson(rejectedSpans: number, errorMessage: string): string {
  return JSON.stringify(
    rejectedSpans > 0 ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } } : {},
  );
}

/** A `google.rpc.Status` (the body of an OTLP/HTTP error answer) as protobuf bytes. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return RpcStatusType.encode(RpcStatusType.fromObject({ code, message })).finish();
}
