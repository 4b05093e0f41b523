// What the propagators keep in the Context besides the remote span context, and the readers for it.
import { createContextKey, isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { TraceHeaderField } from './trace-header';

/**
 * Set to `true` when the extracted header carried no sampling decision (`Sampled=?`, `Sampled`
 * absent, or any value other than 0/1). The extracted span context then has `TraceFlags.NONE`, which
 * a plain ParentBasedSampler would read as "not sampled"; `AWSXRayParentBasedSampler` reads this key
 * and lets its root sampler decide instead (spec §6.3: the callee decides).
 */
export const XRAY_SAMPLING_DEFERRED_KEY = createContextKey('@xray-otel/propagator sampling deferred');

/** The incoming header's valid `Lineage` value (string); written back on inject. */
export const XRAY_LINEAGE_KEY = createContextKey('@xray-otel/propagator lineage');

/** The incoming header's application fields (`readonly [key, value][]`); written back on inject. */
export const XRAY_TRACE_HEADER_FIELDS_KEY = createContextKey('@xray-otel/propagator trace header fields');

/**
 * True when the span context in `context` is a remote parent extracted from a header without a
 * sampling decision. The remote/NONE check keeps the answer right for spans started below it: their
 * parent is local, so the flag (still in the inherited context) no longer applies.
 */
export function isSamplingDeferred(context: Context): boolean {
  if (context.getValue(XRAY_SAMPLING_DEFERRED_KEY) !== true) return false;
  const spanContext = trace.getSpanContext(context);
  return (
    spanContext !== undefined &&
    spanContext.isRemote === true &&
    (spanContext.traceFlags & TraceFlags.SAMPLED) === 0 &&
    isSpanContextValid(spanContext)
  );
}

/** The `Lineage` kept from the incoming header, if any. */
export function getLineage(context: Context): string | undefined {
  const lineage = context.getValue(XRAY_LINEAGE_KEY);
  return typeof lineage === 'string' ? lineage : undefined;
}

/** The application fields kept from the incoming header, if any. */
export function getTraceHeaderExtraFields(context: Context): readonly TraceHeaderField[] | undefined {
  const fields = context.getValue(XRAY_TRACE_HEADER_FIELDS_KEY);
  return Array.isArray(fields) ? (fields as readonly TraceHeaderField[]) : undefined;
}
