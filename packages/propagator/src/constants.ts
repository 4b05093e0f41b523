// Names and limits of the X-Amzn-Trace-Id header (spec/xray-protocol.md §8). The names other packages
// use too live in @xray-otel/core; the parser's own limits live here.
import {
  LAMBDA_MAX_CONCURRENCY_ENV,
  LAMBDA_TRACE_HEADER_ENV,
  TRACE_HEADER_NAME,
  XRAY_TRACE_ID_LENGTH,
  XRAY_TRACE_ID_VERSION,
} from '@xray-otel/core';

/** The header name, lower case as OpenTelemetry carriers and Node's `IncomingMessage.headers` use it. */
export const AWSXRAY_TRACE_ID_HEADER = TRACE_HEADER_NAME;

/** The Lambda runtime puts the invocation's trace header in this environment variable (§7.3). */
export const AWSXRAY_TRACE_ID_ENV_VAR = LAMBDA_TRACE_HEADER_ENV;

/**
 * Set by the Lambda runtime when one execution environment serves several invocations at once
 * (Lambda Managed Instances). `_X_AMZN_TRACE_ID` is then process-wide, not per invocation.
 */
export const LAMBDA_MAX_CONCURRENCY_ENV_VAR = LAMBDA_MAX_CONCURRENCY_ENV;

export { XRAY_TRACE_ID_LENGTH, XRAY_TRACE_ID_VERSION };

/**
 * Longest header value we read. No X-Ray maximum is documented (§8.2); ALB rewrites the header when
 * a request's headers exceed 7 KB, so 8 KiB is above anything a real sender produces while keeping
 * the work per request bounded.
 */
export const MAX_TRACE_HEADER_LENGTH = 8192;

/**
 * Budget for application fields (`Key=Value` other than Root, Parent, Sampled, Self and Lineage):
 * a field is kept only if len(key) + len(value) fits in what is left. Mirrors aws-xray-sdk-core
 * (observed in node-09 `long-custom-data`: K1 198 kept, K2 103 dropped, K3 7 kept).
 */
export const EXTRA_FIELDS_BUDGET = 256;

/** Longest `Lineage` value kept; real values are a few dozen characters. */
export const MAX_LINEAGE_LENGTH = 256;

export const ROOT_KEY = 'Root';
export const PARENT_KEY = 'Parent';
export const SAMPLED_KEY = 'Sampled';
export const LINEAGE_KEY = 'Lineage';
export const SELF_KEY = 'Self';

export const SPAN_ID_LENGTH = 16;

/**
 * @deprecated Nothing writes it any more: version 0.1.0 marked the synthetic parent of a root-only
 * header in the W3C `tracestate` under this key, which child spans inherited into every outgoing
 * `tracestate` header. The synthetic parent is now derived from the trace ID (`rootOnlyParentSpanId`
 * of @xray-otel/core) and carries no marker. Kept so that imports of the name keep working.
 */
export const ROOT_ONLY_TRACE_STATE_KEY = 'xray-otel';
