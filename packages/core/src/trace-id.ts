/**
 * Trace IDs: OpenTelemetry's 32 hex digits and X-Ray's `1-<8 hex epoch>-<24 hex>` (xray-protocol.md
 * §9). One home for the conversion, used by the propagator (header), the translator (documents),
 * xray-local (OTLP input) and application code (log correlation).
 */

/** X-Ray trace ID version, the first field. */
export const XRAY_TRACE_ID_VERSION = '1';

/** `1-<8>-<24>`: 35 characters. */
export const XRAY_TRACE_ID_LENGTH = 35;

/** True for a string of exactly `length` hex digits, either case. A loop: no regex per call. */
export function isHex(value: unknown, length: number): value is string {
  if (typeof value !== 'string' || value.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** True when `hex` is made of `0` only (an invalid OpenTelemetry trace or span ID). */
export function isAllZero(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return false;
  return true;
}

/**
 * `1-<first 8>-<last 24>` of a 32-hex OpenTelemetry trace ID, as given (no case change, no check:
 * callers hold an ID the API or the SDK has validated already, and this runs on every request).
 */
export function toXRayTraceId(traceId: string): string {
  return XRAY_TRACE_ID_VERSION + '-' + traceId.substring(0, 8) + '-' + traceId.substring(8);
}

/**
 * The 32-hex OpenTelemetry trace ID, lower case, of an X-Ray trace ID `1-<8 hex>-<24 hex>` (hex of
 * either case), or `undefined` when `value` is not one.
 */
export function fromXRayTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length !== XRAY_TRACE_ID_LENGTH) return undefined;
  if (value.charCodeAt(0) !== 49 /* 1 */ || value.charCodeAt(1) !== 45 || value.charCodeAt(10) !== 45) {
    return undefined;
  }
  const traceId = value.substring(2, 10) + value.substring(11);
  return isHex(traceId, 32) ? traceId.toLowerCase() : undefined;
}
