/**
 * Span attribute keys that more than one package writes or reads, named once. The translator reads
 * them as the collector's `awsxray` exporter does (translator-spec.md §14, §15).
 */

/** The keys of the span's attributes to index as annotations (string array). */
export const AWS_XRAY_ANNOTATIONS_ATTRIBUTE = 'aws.xray.annotations';

/** Prefix of the attributes that become `metadata.<namespace>` (`aws.xray.metadata.<namespace>`). */
export const AWS_XRAY_METADATA_ATTRIBUTE_PREFIX = 'aws.xray.metadata.';

/** The X-Ray sampling rule that sampled the span (set by @xray-otel/sampler). */
export const AWS_XRAY_SAMPLING_RULE_ATTRIBUTE = 'aws.xray.sampling_rule';

/** `true` on a span shrunk to fit one OTLP/UDP datagram (set by the OTLP/UDP exporter). */
export const AWS_XRAY_OTLP_TRUNCATED_ATTRIBUTE = 'aws.xray.otlp.truncated';

/**
 * Prefix under which resource attributes are named when they are indexed or kept as metadata
 * (`otel.resource.service.name`), as the collector names them (translator-spec.md §14).
 */
export const OTEL_RESOURCE_ATTRIBUTE_PREFIX = 'otel.resource.';

/**
 * The Application Signals attributes: written by @xray-otel/span-processor (as ADOT's SDK writes
 * them), read by the translator and the collector's `awsxray` exporter to name segments
 * (translator-spec.md §2.2, §3).
 */
export const AWS_SPAN_KIND_ATTRIBUTE = 'aws.span.kind';
export const AWS_LOCAL_SERVICE_ATTRIBUTE = 'aws.local.service';
export const AWS_LOCAL_OPERATION_ATTRIBUTE = 'aws.local.operation';
export const AWS_REMOTE_SERVICE_ATTRIBUTE = 'aws.remote.service';
export const AWS_REMOTE_OPERATION_ATTRIBUTE = 'aws.remote.operation';
export const AWS_REMOTE_RESOURCE_TYPE_ATTRIBUTE = 'aws.remote.resource.type';
export const AWS_REMOTE_RESOURCE_IDENTIFIER_ATTRIBUTE = 'aws.remote.resource.identifier';

/** The `aws.span.kind` of a local root: the translator splits a root CLIENT span on it (§2.2). */
export const LOCAL_ROOT_SPAN_KIND = 'LOCAL_ROOT';
