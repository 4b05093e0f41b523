/**
 * Identifiers and times (translator-spec.md §4): W3C trace id → X-Ray trace id with the optional
 * age check, span ids, HrTime → epoch seconds.
 */
import { isAllZero, isHex, toXRayTraceId } from '@xray-otel/core';
import { MAX_TRACE_ID_AGE_SECONDS, MAX_TRACE_ID_FUTURE_SECONDS } from './constants';
import { TranslationError } from './errors';
import type { HrTimeLike } from './types';

export { isHex };

/**
 * `1-<8 hex>-<24 hex>` (§4.1). With validation on (`nowSeconds` given), an epoch more than 28 days
 * old or more than 5 minutes ahead fails like the collector's `invalid xray traceid` (§4.2).
 */
export function checkedXRayTraceId(traceId: unknown, nowSeconds: number | undefined): string {
  if (!isHex(traceId, 32)) {
    throw new TranslationError('invalid-trace-id', `invalid xray traceid: ${String(traceId).slice(0, 64)}`);
  }
  const hex = traceId.toLowerCase();
  if (nowSeconds !== undefined) {
    const epoch = parseInt(hex.slice(0, 8), 16);
    const delta = nowSeconds - epoch;
    if (delta > MAX_TRACE_ID_AGE_SECONDS || delta < -MAX_TRACE_ID_FUTURE_SECONDS) {
      throw new TranslationError('expired-trace-id', `invalid xray traceid: ${hex}`);
    }
  }
  return toXRayTraceId(hex);
}

/**
 * The span id as 16 lowercase hex. The collector emits `"id": null` for an all-zero id, which
 * X-Ray rejects; we fail the span instead (same outcome, explicit reason).
 */
export function toSegmentId(spanId: unknown): string {
  if (!isHex(spanId, 16) || isAllZero(spanId)) {
    throw new TranslationError('invalid-span-id', `invalid span id: ${String(spanId).slice(0, 64)}`);
  }
  return spanId.toLowerCase();
}

/** A parent span id as 16 lowercase hex, or `undefined` when absent, all zero or malformed (§4.3). */
export function toParentId(parentSpanId: unknown): string | undefined {
  if (!isHex(parentSpanId, 16) || isAllZero(parentSpanId)) return undefined;
  return parentSpanId.toLowerCase();
}

/** HrTime → epoch seconds as a double (§4.4); anything odd (NaN, ±Infinity, not a pair) → 0. */
export function toEpochSeconds(time: HrTimeLike | undefined): number {
  if (!Array.isArray(time)) return 0;
  const seconds = time[0] + time[1] / 1e9;
  return Number.isFinite(seconds) ? seconds : 0;
}
