export { AWSXRayPropagator } from './propagator';
export { AWSXRayLambdaPropagator, getLambdaTraceHeader, runWithLambdaTraceHeader } from './lambda-propagator';
export { AWSXRayParentBasedSampler } from './sampler';
export type { AWSXRayParentBasedSamplerConfig } from './sampler';
export { formatTraceHeader, isValidLineage, parseTraceHeader, toXRayTraceId } from './trace-header';
export type { TraceHeaderField, TraceHeaderFields } from './trace-header';
export {
  getLineage,
  getTraceHeaderExtraFields,
  isSamplingDeferred,
  XRAY_LINEAGE_KEY,
  XRAY_SAMPLING_DEFERRED_KEY,
  XRAY_TRACE_HEADER_FIELDS_KEY,
} from './context-keys';
// The root-only parent rule lives in @xray-otel/core; `isRootOnlyParent(traceId, parentSpanId)`.
export { isRootOnlyParent, rootOnlyParentSpanId } from '@xray-otel/core';
export {
  AWSXRAY_TRACE_ID_ENV_VAR,
  AWSXRAY_TRACE_ID_HEADER,
  EXTRA_FIELDS_BUDGET,
  MAX_TRACE_HEADER_LENGTH,
  ROOT_ONLY_TRACE_STATE_KEY,
} from './constants';
