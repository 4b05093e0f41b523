/**
 * Root-only parents. An Application Load Balancer sends `X-Amzn-Trace-Id: Root=…` without `Parent`:
 * the service's segment must join that trace as its root, with no `parent_id`. OpenTelemetry has no
 * remote context without a parent span ID, so the propagator stands in a synthetic one, and the
 * translator must recognise it and leave `parent_id` out.
 *
 * The synthetic parent is derived from the trace ID ({@link rootOnlyParentSpanId}), so recognising it
 * needs nothing but the span's own trace ID and parent span ID. Earlier versions marked it in the
 * W3C `tracestate` instead (`xray-otel=r:<id>`); child spans inherit `tracestate`, so the marker
 * travelled in every outgoing `tracestate` header, to third parties too. A derived ID carries no
 * marker at all: nothing about it is put on the wire.
 *
 * The derivation is the trace ID's last 16 hex digits XOR a fixed 64-bit constant ("XRAYOTEL" in
 * ASCII). X-Ray's random part makes it as unlikely as any random ID (2^-64) that a real parent span
 * ID equals it, and unlike the bare low bits it is not the span ID that tracers such as Jaeger give a
 * root span. Any process (the daemon path, xray-local reading OTLP) can recompute it.
 */
import { isAllZero, isHex } from './trace-id';

/** "XRAYOTEL" in ASCII, one hex digit per nibble. */
const MASK = '585241594f54454c';
const HEX = '0123456789abcdef';

function hexValue(code: number): number {
  // 0-9, a-f, A-F; callers have checked the digits.
  return code <= 57 ? code - 48 : (code | 0x20) - 87;
}

/**
 * The synthetic parent span ID for a root-only header with this trace ID (32 hex, either case):
 * 16 lower-case hex digits, never all zero. `undefined` for a malformed trace ID.
 */
export function rootOnlyParentSpanId(traceId: string): string | undefined {
  if (!isHex(traceId, 32)) return undefined;
  let spanId = '';
  for (let i = 0; i < 16; i++) {
    spanId += HEX[hexValue(traceId.charCodeAt(16 + i)) ^ hexValue(MASK.charCodeAt(i))];
  }
  // Only when the trace ID's low half is the mask itself; an all-zero span ID is invalid in OTel.
  return isAllZero(spanId) ? MASK : spanId;
}

/**
 * True when `parentSpanId` is the synthetic parent {@link rootOnlyParentSpanId} gives for `traceId`:
 * the span is then a root for X-Ray (no `parent_id`) while keeping the incoming trace ID. Either case
 * is accepted for both IDs; anything malformed is `false`. Never throws.
 */
export function isRootOnlyParent(traceId: unknown, parentSpanId: unknown): boolean {
  if (typeof traceId !== 'string' || !isHex(parentSpanId, 16)) return false;
  const expected = rootOnlyParentSpanId(traceId);
  return expected !== undefined && expected === parentSpanId.toLowerCase();
}
