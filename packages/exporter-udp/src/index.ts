/**
 * @xray-otel/exporter-udp: OpenTelemetry spans to the AWS X-Ray daemon over UDP, one segment
 * document per datagram (xray-protocol.md §1).
 */
export { AWSXRayUdpSpanExporter, DEFAULT_MAX_PENDING_DATAGRAMS } from './exporter';
export { toDatagram } from './datagram';
export {
  ExportResultCode,
  type ExportResult,
  type SpanExporterLike,
  type AWSXRayUdpSpanExporterOptions,
  type AWSXRayUdpSpanExporterCounters,
} from './types';
// These moved to @xray-otel/core, their one home; re-exported so that existing imports keep working.
export {
  parseDaemonAddress,
  resolveDaemonAddress,
  DaemonAddressError,
  DEFAULT_DAEMON_ADDRESS,
  DAEMON_ADDRESS_ENV,
  DATAGRAM_HEADER,
  RateLimitedLog,
  type DaemonAddress,
  type DaemonEndpoint,
} from '@xray-otel/core';
