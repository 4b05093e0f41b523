// AWSXRayPropagator: moves X-Amzn-Trace-Id in and out of an OpenTelemetry Context. The header rules
// are in trace-header.ts; this file only maps parsed fields to a span context and back.
import { diag, isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type {
  Context,
  SpanContext,
  TextMapGetter,
  TextMapPropagator,
  TextMapSetter,
} from '@opentelemetry/api';
import { isRootOnlyParent, RateLimitedLog, rootOnlyParentSpanId } from '@xray-otel/core';
import { AWSXRAY_TRACE_ID_HEADER } from './constants';
import {
  getLineage,
  getTraceHeaderExtraFields,
  isSamplingDeferred,
  XRAY_LINEAGE_KEY,
  XRAY_SAMPLING_DEFERRED_KEY,
  XRAY_TRACE_HEADER_FIELDS_KEY,
} from './context-keys';
import { formatTraceHeader, parseTraceHeaderReporting } from './trace-header';

const LOG_PREFIX = '@xray-otel/propagator: ';

/**
 * One rate-limited diag line per source (the header, the Lambda variable) for both propagators: bad
 * input comes from the network and may arrive on every request. `diag.debug`: it is the caller's
 * input, not a misconfiguration of this process.
 */
const log = new RateLimitedLog((message) => diag.debug(message));

// Set before each parse so that the reporter needs no closure per call.
let problemSource = '';
function reportProblem(problem: string): void {
  log.log(problemSource, LOG_PREFIX + problemSource + ': ' + problem);
}

function withValue(context: Context, key: symbol, value: unknown): Context {
  if (value !== undefined) return context.setValue(key, value);
  // Clear what an earlier extraction left, so the context describes this header only.
  return context.getValue(key) === undefined ? context : context.deleteValue(key);
}

/**
 * `context` with the remote parent described by `header`, or `context` itself when the header is
 * unusable (one rate-limited diag.debug line says why). `source` names the header in that line.
 */
export function contextWithTraceHeader(context: Context, header: unknown, source: string): Context {
  problemSource = source;
  const fields = parseTraceHeaderReporting(header, reportProblem);
  if (fields === undefined) return context;
  // Keep a traceState set by a propagator that ran before us (same as the contrib propagator).
  const traceState = trace.getSpanContext(context)?.traceState;
  // Root only (ALB): keep the trace with a parent derived from the trace ID, which the translator
  // recognises and leaves out (@xray-otel/core root-only.ts). It carries no marker on the wire.
  const spanId: string = fields.parentId ?? (rootOnlyParentSpanId(fields.traceId) as string);
  const spanContext: SpanContext = {
    traceId: fields.traceId,
    spanId,
    traceFlags: fields.sampled === true ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  if (traceState !== undefined) spanContext.traceState = traceState;
  let result = trace.setSpan(context, trace.wrapSpanContext(spanContext));
  result = withValue(result, XRAY_SAMPLING_DEFERRED_KEY, fields.sampled === undefined ? true : undefined);
  result = withValue(result, XRAY_LINEAGE_KEY, fields.lineage);
  return withValue(result, XRAY_TRACE_HEADER_FIELDS_KEY, fields.extraFields);
}

/** The header value from a carrier; an array (several header lines) counts as its first line. */
export function readTraceHeader<Carrier>(carrier: Carrier, getter: TextMapGetter<Carrier>): unknown {
  let header: unknown = getter.get(carrier, AWSXRAY_TRACE_ID_HEADER);
  if (header === undefined) {
    // Carriers that keep the sender's case (`X-Amzn-Trace-Id` in a plain object); only on a miss.
    for (const key of getter.keys(carrier)) {
      if (key.length === AWSXRAY_TRACE_ID_HEADER.length && key.toLowerCase() === AWSXRAY_TRACE_ID_HEADER) {
        header = getter.get(carrier, key);
        break;
      }
    }
  }
  if (Array.isArray(header)) header = header[0];
  return header;
}

/** Writes the header for the span context in `context`; nothing for an invalid one. */
export function injectTraceHeader<Carrier>(
  context: Context,
  carrier: Carrier,
  setter: TextMapSetter<Carrier>,
): void {
  const spanContext = trace.getSpanContext(context);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return;
  let parentId: string | undefined = spanContext.spanId;
  let sampled: boolean | undefined = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
  if (spanContext.isRemote) {
    // Injecting straight from an extracted context (no span in between) forwards what came in: no
    // made-up Parent for a root-only header, no decision that was never taken.
    if (isRootOnlyParent(spanContext.traceId, parentId)) parentId = undefined;
    if (!sampled && isSamplingDeferred(context)) sampled = undefined;
  }
  const lineage = getLineage(context);
  const extraFields = getTraceHeaderExtraFields(context);
  if (parentId !== undefined && sampled !== undefined && lineage === undefined && extraFields === undefined) {
    // The common case, on every outgoing call: one template, no fields object (bench: ~1.5x faster).
    const traceId = spanContext.traceId;
    setter.set(
      carrier,
      AWSXRAY_TRACE_ID_HEADER,
      `Root=1-${traceId.substring(0, 8)}-${traceId.substring(8)};Parent=${parentId};Sampled=${sampled ? '1' : '0'}`,
    );
    return;
  }
  setter.set(
    carrier,
    AWSXRAY_TRACE_ID_HEADER,
    formatTraceHeader({ traceId: spanContext.traceId, parentId, sampled, lineage, extraFields }),
  );
}

export function reportUnexpected(where: string, error: unknown): void {
  log.log(where, LOG_PREFIX + where + ' failed: ' + (error instanceof Error ? error.message : String(error)));
}

/**
 * X-Amzn-Trace-Id propagator. Extract accepts what real senders send (see README and
 * `parseTraceHeader`); inject writes `Root=...;Parent=...;Sampled=0|1` plus the kept fields.
 * Never throws: problems go to one rate-limited `diag.debug` line.
 */
export class AWSXRayPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    try {
      injectTraceHeader(context, carrier, setter);
    } catch (error) {
      reportUnexpected('inject', error);
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    try {
      const header = readTraceHeader(carrier, getter);
      if (header === undefined || header === '') return context;
      return contextWithTraceHeader(context, header, AWSXRAY_TRACE_ID_HEADER);
    } catch (error) {
      reportUnexpected('extract', error);
      return context;
    }
  }

  fields(): string[] {
    return [AWSXRAY_TRACE_ID_HEADER];
  }
}
