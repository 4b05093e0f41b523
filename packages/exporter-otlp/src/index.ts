/**
 * @xray-otel/exporter-otlp: OTLP span exporters for AWS X-Ray: to a collector (ADOT defaults), and
 * OTLP over UDP to the Lambda daemon endpoint.
 */
export {
  AWSXRayCollectorSpanExporter,
  createCollectorSpanExporter,
  resolveCollectorProtocol,
  DEFAULT_OTLP_PROTOCOL,
  OTLP_PROTOCOL_ENV,
  OTLP_TRACES_PROTOCOL_ENV,
  type CollectorSpanExporterOptions,
  type OtlpProtocol,
} from './collector';
export {
  AWSXRayAnnotationsSpanProcessor,
  AWS_XRAY_ANNOTATIONS_ATTRIBUTE,
  INDEXED_ATTRIBUTES_ENV,
  INDEX_ALL_ATTRIBUTES_ENV,
  type AWSXRayAnnotationsSpanProcessorOptions,
} from './annotations-processor';
export {
  AWSXRayOtlpUdpSpanExporter,
  MAX_DATAGRAM_BYTES,
  SAMPLED_PREFIX,
  UNSAMPLED_PREFIX,
  TRUNCATED_ATTRIBUTE,
  type AWSXRayOtlpUdpSpanExporterOptions,
  type OtlpUdpExporterCounters,
} from './otlp-udp';
export { AWSXRayOtlpSpanExporter, type AWSXRayOtlpSpanExporterOptions } from './sigv4-exporter';
export type { AwsCredentialProvider, AwsCredentials } from './sigv4';
export {
  XRAY_OTLP_TRACES_PATH,
  isXRayOtlpEndpoint,
  regionFromXRayEndpoint,
  xrayOtlpEndpoint,
  type XRayOtlpEndpointOptions,
} from './xray-endpoint';
export type { CollectorExporterCounters, AWSXRayOtlpSpanExporterCounters } from './counters';
