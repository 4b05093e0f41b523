// The root-only marker in traceState (a header with Root but no Parent, as an ALB sends), and the
// small TraceState we need to carry it. The api's `createTraceState` only exists from api 1.7 and
// our peer range starts at 1.3, so this file has its own minimal immutable implementation.
import type { TraceState } from '@opentelemetry/api';
import { ROOT_ONLY_TRACE_STATE_KEY, ROOT_ONLY_TRACE_STATE_PREFIX } from './constants';

/** Same limit as the W3C list and @opentelemetry/core: at most 32 entries. */
const MAX_TRACE_STATE_ENTRIES = 32;

/** Immutable W3C-style traceState; newest entry first, like @opentelemetry/core's TraceState. */
class XRayTraceState implements TraceState {
  constructor(private readonly _entries: ReadonlyArray<readonly [string, string]>) {}

  set(key: string, value: string): TraceState {
    const entries = this._entries.filter(([k]) => k !== key);
    entries.unshift([key, value]);
    return new XRayTraceState(entries.slice(0, MAX_TRACE_STATE_ENTRIES));
  }

  unset(key: string): TraceState {
    return new XRayTraceState(this._entries.filter(([k]) => k !== key));
  }

  get(key: string): string | undefined {
    for (const [k, v] of this._entries) if (k === key) return v;
    return undefined;
  }

  serialize(): string {
    return this._entries.map(([k, v]) => k + '=' + v).join(',');
  }
}

const EMPTY_TRACE_STATE: TraceState = new XRayTraceState([]);

/** `existing` (or an empty traceState) with `xray-otel=r:<syntheticSpanId>` added. */
export function withRootOnlyMarker(existing: TraceState | undefined, syntheticSpanId: string): TraceState {
  return (existing ?? EMPTY_TRACE_STATE).set(
    ROOT_ONLY_TRACE_STATE_KEY,
    ROOT_ONLY_TRACE_STATE_PREFIX + syntheticSpanId,
  );
}

/** `existing` without our marker (a header with a real Parent replaces an earlier root-only one). */
export function withoutRootOnlyMarker(existing: TraceState | undefined): TraceState | undefined {
  if (existing === undefined || existing.get(ROOT_ONLY_TRACE_STATE_KEY) === undefined) return existing;
  return existing.unset(ROOT_ONLY_TRACE_STATE_KEY);
}

/**
 * True when `parentSpanId` is the synthetic parent the propagator made up for a header without
 * `Parent`: the span is then a root for X-Ray (its segment gets no `parent_id`) although it keeps the
 * incoming trace ID. Pure; for the translator.
 */
export function isRootOnlyParent(traceState: TraceState | undefined, parentSpanId: string): boolean {
  if (traceState === undefined || parentSpanId.length === 0) return false;
  const marker = traceState.get(ROOT_ONLY_TRACE_STATE_KEY);
  return (
    marker !== undefined &&
    marker.length === ROOT_ONLY_TRACE_STATE_PREFIX.length + parentSpanId.length &&
    marker.startsWith(ROOT_ONLY_TRACE_STATE_PREFIX) &&
    marker.endsWith(parentSpanId)
  );
}
