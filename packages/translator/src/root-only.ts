/**
 * Root-only parents. An Application Load Balancer sends `X-Amzn-Trace-Id: Root=…` without a
 * `Parent`. @xray-otel/propagator then invents a parent span id so OpenTelemetry keeps the trace
 * id, and marks it in the trace state as `xray-otel=r:<that span id>`. Such a parent exists nowhere
 * in X-Ray: a span whose parent is that synthetic id must become a segment without `parent_id`.
 * Kept local (a few lines) so the translator does not depend on the propagator package.
 */
import { ROOT_ONLY_TRACE_STATE_KEY, ROOT_ONLY_VALUE_PREFIX } from './constants';
import type { TraceStateLike } from './types';

/** The value of `key` in a TraceState object or in its serialized `k=v,k2=v2` form. */
export function traceStateValue(
  traceState: TraceStateLike | string | undefined,
  key: string,
): string | undefined {
  if (traceState == null) return undefined;
  if (typeof traceState === 'string') return serializedTraceStateValue(traceState, key);
  if (typeof traceState.get === 'function') {
    try {
      const value = traceState.get(key);
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function serializedTraceStateValue(serialized: string, key: string): string | undefined {
  let start = 0;
  while (start <= serialized.length) {
    let end = serialized.indexOf(',', start);
    if (end < 0) end = serialized.length;
    const eq = serialized.indexOf('=', start);
    if (eq > start && eq < end && serialized.slice(start, eq).trim() === key) {
      return serialized.slice(eq + 1, end).trim();
    }
    start = end + 1;
  }
  return undefined;
}

/** True when `parentId` is the synthetic root-only parent recorded in either trace state. */
export function isRootOnlyParent(
  parentId: string,
  parentTraceState: TraceStateLike | string | undefined,
  ownTraceState: TraceStateLike | string | undefined,
): boolean {
  return (
    matches(traceStateValue(parentTraceState, ROOT_ONLY_TRACE_STATE_KEY), parentId) ||
    matches(traceStateValue(ownTraceState, ROOT_ONLY_TRACE_STATE_KEY), parentId)
  );
}

function matches(value: string | undefined, parentId: string): boolean {
  return (
    value !== undefined &&
    value.length === ROOT_ONLY_VALUE_PREFIX.length + parentId.length &&
    value.startsWith(ROOT_ONLY_VALUE_PREFIX) &&
    value.slice(ROOT_ONLY_VALUE_PREFIX.length).toLowerCase() === parentId
  );
}
