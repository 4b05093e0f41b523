/**
 * What the exporter sends for one span, the collector's `MakeSegmentsFromSpan`
 * (translator-spec.md §2.2): one document, or for an `aws.span.kind = LOCAL_ROOT` client,
 * producer or consumer span a dependency subsegment plus a service segment.
 */
import { newSegmentId } from './cause';
import {
  AWS_LOCAL_SERVICE,
  AWS_REMOTE_OPERATION,
  AWS_REMOTE_SERVICE,
  AWS_SPAN_KIND,
  K8S_REMOTE_NAMESPACE,
  KIND_CLIENT,
  KIND_CONSUMER,
  KIND_INTERNAL,
  KIND_PRODUCER,
  KIND_SERVER,
  LOCAL_ROOT,
  NAMESPACE_REMOTE,
  REMOTE_TARGET,
  RESOURCE_KEY_PREFIX,
  RPC_SYSTEM,
  RPC_SYSTEM_AWS_API,
  TYPE_SUBSEGMENT,
} from './constants';
import type { Segment } from './document';
import { attributeName, remoteServiceName } from './name';
import { makeSegment, type ResolvedOptions, type SpanView } from './segment';
import type { AttributesLike } from './types';
import { has } from './values';

const SERVICE_SEGMENT_DROPPED_ATTRIBUTES: ReadonlySet<string> = new Set([
  AWS_REMOTE_SERVICE,
  AWS_REMOTE_OPERATION,
  REMOTE_TARGET,
  K8S_REMOTE_NAMESPACE,
]);

export function makeSegments(view: SpanView, options: ResolvedOptions): Segment[] {
  const { kind, attributes } = view;
  if (attributes[AWS_SPAN_KIND] !== LOCAL_ROOT) {
    const segment = makeSegment(view, options);
    if (
      (kind === KIND_CLIENT || kind === KIND_PRODUCER || kind === KIND_CONSUMER) &&
      segment.type === TYPE_SUBSEGMENT &&
      segment.namespace === undefined &&
      has(attributes, AWS_REMOTE_SERVICE)
    ) {
      segment.namespace = NAMESPACE_REMOTE;
    }
    return [segment];
  }
  if (kind === KIND_SERVER || kind === KIND_INTERNAL) {
    const segment = makeSegment(view, options);
    delete segment.type;
    delete segment.namespace;
    return [segment];
  }
  const serviceSegmentId = newSegmentId();
  return [
    makeDependencySubsegment(view, serviceSegmentId, options),
    makeServiceSegment(view, serviceSegmentId, options),
  ];
}

function makeDependencySubsegment(
  view: SpanView,
  serviceSegmentId: string,
  options: ResolvedOptions,
): Segment {
  const { kind, attributes } = view;
  const dependency = makeSegment({ ...view, parentId: serviceSegmentId }, options);
  dependency.type = TYPE_SUBSEGMENT;
  if (dependency.namespace === undefined) dependency.namespace = NAMESPACE_REMOTE;
  if (kind === KIND_CONSUMER) delete dependency.links;
  if (has(attributes, AWS_REMOTE_SERVICE)) {
    const name = remoteServiceName(
      attributes[AWS_REMOTE_SERVICE],
      attributes[RPC_SYSTEM] === RPC_SYSTEM_AWS_API,
      options.cleanNames,
    );
    // The collector takes the value even when empty; a cleaned name that is empty keeps the
    // (valid) name computed above.
    if (name !== '' || !options.cleanNames) dependency.name = name;
  }
  return dependency;
}

function makeServiceSegment(view: SpanView, serviceSegmentId: string, options: ResolvedOptions): Segment {
  const attributes: AttributesLike = {};
  for (const key in view.attributes) {
    if (!SERVICE_SEGMENT_DROPPED_ATTRIBUTES.has(key)) attributes[key] = view.attributes[key];
  }
  const segment = makeSegment({ ...view, spanId: serviceSegmentId, attributes }, options);
  if (has(attributes, AWS_LOCAL_SERVICE)) {
    const name = attributeName(attributes[AWS_LOCAL_SERVICE], options.cleanNames);
    if (name !== '' || !options.cleanNames) segment.name = name;
  }
  delete segment.http;
  const aws = segment.aws;
  if (aws !== undefined) {
    delete aws.operation;
    delete aws.account_id;
    delete aws.region;
    delete aws.request_id;
    delete aws.queue_url;
    delete aws.table_name;
    delete aws.table_names;
  }
  const metadata = segment.metadata;
  if (metadata !== undefined) {
    for (const namespace in metadata) {
      const members = metadata[namespace];
      for (const key in members) {
        if (!key.startsWith(RESOURCE_KEY_PREFIX)) delete members[key];
      }
    }
  }
  delete segment.type;
  delete segment.namespace;
  if (view.kind !== KIND_CONSUMER) delete segment.links;
  return segment;
}
