/**
 * Environment variables read by more than one package, named once. Which package reads which, and
 * the defaults, are in the root README's table and in each package's README.
 */

/** `host:port` or `tcp:host:port udp:host:port`: where the daemon listens (xray-protocol.md §7.1). */
export const DAEMON_ADDRESS_ENV = 'AWS_XRAY_DAEMON_ADDRESS';

/** Set by the Lambda runtime to the invocation's trace header (§7.3). */
export const LAMBDA_TRACE_HEADER_ENV = '_X_AMZN_TRACE_ID';

/**
 * Set by the Lambda runtime when one execution environment serves several invocations at once
 * (Lambda Managed Instances); `_X_AMZN_TRACE_ID` is then process-wide, not per invocation.
 */
export const LAMBDA_MAX_CONCURRENCY_ENV = 'AWS_LAMBDA_MAX_CONCURRENCY';

/** Attribute keys to index as annotations, comma-separated (collector `indexed_attributes`). */
export const INDEXED_ATTRIBUTES_ENV = 'OTEL_AWS_XRAY_INDEXED_ATTRIBUTES';

/** `true`: index every attribute that can be an annotation (collector `index_all_attributes`). */
export const INDEX_ALL_ATTRIBUTES_ENV = 'OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES';

/** OTLP traces protocol, then the general one (OpenTelemetry exporter specification). */
export const OTLP_TRACES_PROTOCOL_ENV = 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL';
export const OTLP_PROTOCOL_ENV = 'OTEL_EXPORTER_OTLP_PROTOCOL';

/** OTLP traces endpoint (used as is), then the general one (`/v1/traces` appended for HTTP). */
export const OTLP_TRACES_ENDPOINT_ENV = 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
export const OTLP_ENDPOINT_ENV = 'OTEL_EXPORTER_OTLP_ENDPOINT';
