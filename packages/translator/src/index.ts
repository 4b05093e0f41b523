/**
 * @xray-otel/translator: OpenTelemetry spans to AWS X-Ray segment documents, the same documents
 * the OpenTelemetry Collector's `awsxray` exporter produces (translator-spec.md).
 */
export type {
  StackFrame,
  Exception,
  Cause,
  HttpRequest,
  HttpResponse,
  Http,
  Ec2Metadata,
  EcsMetadata,
  ElasticBeanstalkMetadata,
  EksMetadata,
  LogGroupMetadata,
  XRayMetadata,
  Aws,
  Sql,
  ServiceData,
  SpanLinkData,
  AnnotationValue,
  Segment,
  Subsegment,
} from './document';
export type {
  AttributesLike,
  HrTimeLike,
  ReadableSpanLike,
  SpanContextLike,
  SpanEventLike,
  SpanLinkLike,
  TraceStateLike,
  TranslatorOptions,
} from './types';
export { TranslationError, type TranslationErrorReason } from './errors';
export { fixSegmentName } from './name';
export { makeOrigin } from './service';
export { fixAnnotationKey } from './annotations';

export { spanToSegment, spanToSegments } from './translate';
export { serializeSegment, serializeSegmentWithInfo, MAX_SEGMENT_BYTES } from './serialize';
export type { SerializeResult } from './serialize';
