/**
 * @xray-otel/exporter-udp: OpenTelemetry spans to the AWS X-Ray daemon over UDP, one segment
 * document per datagram (xray-protocol.md §1).
 */
export { AWSXRayUdpSpanExporter, DEFAULT_MAX_PENDING_DATAGRAMS } from './exporter';
export {
  parseDaemonAddress,
  resolveDaemonAddress,
  DaemonAddressError,
  DEFAULT_DAEMON_ADDRESS,
  DAEMON_ADDRESS_ENV,
  type DaemonAddress,
  type DaemonEndpoint,
} from './daemon-address';
export { DATAGRAM_HEADER, toDatagram } from './datagram';
export {
  ExportResultCode,
  type ExportResult,
  type SpanExporterLike,
  type AWSXRayUdpSpanExporterOptions,
  type AWSXRayUdpSpanExporterCounters,
} from './types';
// Shared with @xray-otel/exporter-otlp, whose exporters log the same way.
export { RateLimitedLog } from './rate-limited-log';
