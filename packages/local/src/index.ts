/** @xray-otel/local: the `xray-local` daemon and console stand-in, usable from code too. */
export type {
  SegmentDocument,
  DocumentSource,
  Rejection,
  Stats,
  TraceSummary,
  Trace,
  ServiceMapNode,
  EdgeStats,
  ServiceMapEdge,
  ServiceMap,
  ApiSources,
  RequestHandler,
} from './types';
export { XRayLocal, type XRayLocalAddresses, MAX_OTLP_BODY_BYTES, OTLP_TRACES_PATH } from './server';
export { type XRayLocalOptions, type Logger, DEFAULTS, UsageError } from './options';
export { parseDatagram, type DatagramResult, type DatagramBody } from './datagram';
export {
  validateDocument,
  validateDocumentText,
  MAX_DOCUMENT_BYTES,
  type ValidationResult,
  type ValidationReason,
} from './validate';
export { segmentSchema } from './segment-schema';
export {
  SamplingService,
  parseSamplingRules,
  loadSamplingRules,
  defaultSamplingRule,
  SamplingRulesError,
  type SamplingRule,
} from './sampling';
export { RejectionLog } from './rejections';
export { decodeOtlpProtobuf, decodeOtlpJson, translateSpans } from './otlp';
export {
  TraceStore,
  summarize,
  assembleSegments,
  DEFAULT_MAX_TRACES,
  DEFAULT_MAX_DOCUMENTS_PER_TRACE,
} from './store';
export type { TraceStoreOptions } from './store';
export { buildServiceMap, analyzeTrace } from './service-map';
export { parseFilter, matchesFilter, FilterSyntaxError, MAX_FILTER_LENGTH } from './filter';
export type { FilterExpression, ComparisonOperator, FilterValue, NodeRef } from './filter';
export { createApiHandler } from './api';
export { createUiHandler } from './ui';
export { runDemo } from './demo';
