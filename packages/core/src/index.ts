/**
 * @xray-otel/core: the one home of the rules the other @xray-otel packages share. It depends only on
 * `@opentelemetry/api`.
 */
export {
  MAX_DOCUMENT_BYTES,
  DATAGRAM_HEADER,
  DATAGRAM_HEADER_BYTES,
  OTLP_UDP_SAMPLED_PREFIX,
  OTLP_UDP_UNSAMPLED_PREFIX,
  DEFAULT_DAEMON_ADDRESS,
  TRACE_HEADER_NAME,
} from './constants';
export {
  DAEMON_ADDRESS_ENV,
  LAMBDA_TRACE_HEADER_ENV,
  LAMBDA_MAX_CONCURRENCY_ENV,
  INDEXED_ATTRIBUTES_ENV,
  INDEX_ALL_ATTRIBUTES_ENV,
  OTLP_TRACES_PROTOCOL_ENV,
  OTLP_PROTOCOL_ENV,
  OTLP_TRACES_ENDPOINT_ENV,
  OTLP_ENDPOINT_ENV,
} from './env';
export {
  AWS_XRAY_ANNOTATIONS_ATTRIBUTE,
  AWS_XRAY_METADATA_ATTRIBUTE_PREFIX,
  AWS_XRAY_SAMPLING_RULE_ATTRIBUTE,
  AWS_XRAY_OTLP_TRUNCATED_ATTRIBUTE,
  OTEL_RESOURCE_ATTRIBUTE_PREFIX,
  AWS_SPAN_KIND_ATTRIBUTE,
  AWS_LOCAL_SERVICE_ATTRIBUTE,
  AWS_LOCAL_OPERATION_ATTRIBUTE,
  AWS_REMOTE_SERVICE_ATTRIBUTE,
  AWS_REMOTE_OPERATION_ATTRIBUTE,
  AWS_REMOTE_RESOURCE_TYPE_ATTRIBUTE,
  AWS_REMOTE_RESOURCE_IDENTIFIER_ATTRIBUTE,
  LOCAL_ROOT_SPAN_KIND,
} from './attributes';
export {
  parseDaemonAddress,
  resolveDaemonAddress,
  formatEndpoint,
  samplingEndpoint,
  DaemonAddressError,
  type DaemonAddress,
  type DaemonEndpoint,
} from './daemon-address';
export { RateLimitedLog, LOG_INTERVAL_MS, MAX_LOG_KEYS, type LogWriter } from './rate-limited-log';
export {
  toXRayTraceId,
  fromXRayTraceId,
  isHex,
  isAllZero,
  XRAY_TRACE_ID_VERSION,
  XRAY_TRACE_ID_LENGTH,
} from './trace-id';
export { rootOnlyParentSpanId, isRootOnlyParent } from './root-only';
export { isObject } from './json';
export {
  resolveOtlpProtocol,
  OTLP_PROTOCOLS,
  DEFAULT_OTLP_PROTOCOL,
  type OtlpProtocol,
} from './otlp-protocol';
export {
  ExportResultCode,
  increment,
  errorCode,
  type ExportResult,
  type SpanExporterLike,
  type ExporterCounters,
} from './exporter';
export {
  UdpDaemonClient,
  DEFAULT_MAX_PENDING_DATAGRAMS,
  QUEUE_FULL,
  CLIENT_CLOSED,
  RETRY_DELAY_MS,
  type DatagramCallback,
  type UdpDaemonClientOptions,
  type UdpDaemonClientCounters,
} from './daemon-client';
export {
  UdpDaemonSpanExporter,
  type DatagramSink,
  type DatagramEncoder,
  type UdpDaemonSpanExporterOptions,
  type UdpExporterCounters,
} from './daemon-exporter';
export {
  isXRayName,
  cleanXRayName,
  toXRayName,
  XRAY_NAME_MAX_LENGTH,
  XRAY_NAME_MAX_BYTES,
  DEFAULT_XRAY_NAME,
} from './names';
export {
  REDACT_ENV,
  REDACTED,
  DEFAULT_REDACTED_HEADERS,
  DEFAULT_REDACTED_QUERY_PARAMETERS,
  DEFAULT_REDACTED_ATTRIBUTES,
  DEFAULT_REDACTION_RULES,
  redactionRules,
  parseRedactEnv,
  resolveRedaction,
  redactQuery,
  redactUrl,
  redactConnectionString,
  redactAttribute,
  redactAttributes,
  isMaskableAttributeKey,
  type RedactionRules,
} from './redact';
