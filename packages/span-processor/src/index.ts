/**
 * @xray-otel/span-processor: the SDK side of the collector path. `AWSXRaySpanProcessor` sets the
 * attributes ADOT sets (`aws.span.kind`, `aws.local.*`, `aws.remote.*`) so a collector names
 * segments as our translator does, and redacts secrets before any exporter sees the span.
 */
export {
  AWSXRaySpanProcessor,
  resolveSpanProcessorOptions,
  type AWSXRaySpanProcessorOptions,
  type ResolvedSpanProcessorOptions,
} from './processor';
export type { ProcessorSpan, EndedSpan, ResourceLike, ParentSpanContextLike } from './span';
export {
  AWS_SPAN_KIND,
  AWS_LOCAL_SERVICE,
  AWS_LOCAL_OPERATION,
  AWS_REMOTE_SERVICE,
  AWS_REMOTE_OPERATION,
  AWS_REMOTE_RESOURCE_TYPE,
  AWS_REMOTE_RESOURCE_IDENTIFIER,
  LOCAL_ROOT,
  UNKNOWN_SERVICE,
  UNKNOWN_OPERATION,
  INTERNAL_OPERATION,
} from './keys';
