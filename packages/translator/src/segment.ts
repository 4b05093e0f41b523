/**
 * Single-span translation, the collector's `MakeSegment` (translator-spec.md §2.1, §6): the
 * blocks are built in the collector's order, each consuming the attributes it maps; what is left
 * becomes annotations and metadata.
 */
import { makeXRayAttributes } from './annotations';
import { AWS_KEYS_SQS_CALL, awsKeysOf, makeAws } from './aws';
import { makeCause, makeFaultFlags } from './cause';
import {
  KIND_SERVER,
  RPC_SYSTEM,
  RPC_SYSTEM_AWS_API,
  TELEMETRY_SDK_LANGUAGE,
  TYPE_SUBSEGMENT,
} from './constants';
import type { Segment } from './document';
import { makeHttp } from './http';
import { toEpochSeconds, toParentId, toSegmentId, checkedXRayTraceId } from './ids';
import { makeLinks } from './links';
import { makeName } from './name';
import { isRootOnlyParent, redactAttributes, type RedactionRules } from '@xray-otel/core';
import { redactionOf } from './redaction';
import { redactedResourceAttributes } from './resource';
import { makeOrigin, makeService } from './service';
import { makeSql } from './sql';
import type { AttributesLike, ReadableSpanLike, SpanContextLike, TranslatorOptions } from './types';
import { has, str } from './values';

const EMPTY_ATTRIBUTES: AttributesLike = Object.freeze({});

/** Options with their defaults applied, once per call. */
export interface ResolvedOptions {
  indexedAttributes: readonly string[] | undefined;
  indexAllAttributes: boolean;
  logGroupNames: readonly string[] | undefined;
  /** Epoch seconds for the trace-id age check; `undefined` = skipped (the default). */
  nowSeconds: number | undefined;
  allowDot: boolean;
  /** Names X-Ray accepts (default) or the collector's verbatim names. */
  cleanNames: boolean;
  /** Secrets masked with these rules; `undefined` = off (the default). */
  redaction: RedactionRules | undefined;
  /** The AWS SDK instrumentation's keys read too (default) or the collector's only. */
  awsSdkConventions: boolean;
  /** The stable database conventions read too (default) or the old keys only (the collector's). */
  stableDbConventions: boolean;
  /** V8 frames read as Node.js writes them (default) or with the collector's first-`:` split. */
  nodeStackFrames: boolean;
}

export function resolveOptions(options: TranslatorOptions | undefined): ResolvedOptions {
  if (options == null) return DEFAULT_OPTIONS;
  let nowSeconds: number | undefined;
  if (options.skipTimestampValidation === false) {
    let nowMs = NaN;
    try {
      nowMs = typeof options.now === 'function' ? Number(options.now()) : Date.now();
    } catch {
      nowMs = NaN;
    }
    nowSeconds = Math.floor((Number.isFinite(nowMs) ? nowMs : Date.now()) / 1000);
  }
  return {
    indexedAttributes: Array.isArray(options.indexedAttributes) ? options.indexedAttributes : undefined,
    indexAllAttributes: options.indexAllAttributes === true,
    logGroupNames: Array.isArray(options.logGroupNames) ? options.logGroupNames : undefined,
    nowSeconds,
    allowDot: options.allowDot !== false,
    cleanNames: options.cleanNames !== false,
    redaction: redactionOf(options),
    awsSdkConventions: options.awsSdkConventions !== false,
    stableDbConventions: options.stableDbConventions !== false,
    nodeStackFrames: options.nodeStackFrames !== false,
  };
}

const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({
  indexedAttributes: undefined,
  indexAllAttributes: false,
  logGroupNames: undefined,
  nowSeconds: undefined,
  allowDot: true,
  cleanNames: true,
  redaction: undefined,
  awsSdkConventions: true,
  stableDbConventions: true,
  nodeStackFrames: true,
});

/** The pieces of a span the translation reads, with the LOCAL_ROOT split's overrides applied. */
export interface SpanView {
  span: ReadableSpanLike;
  kind: number;
  /** The span attributes, redacted when the option is on (never the span's object modified). */
  attributes: AttributesLike;
  /** The resource attributes, redacted when the option is on. */
  resourceAttributes: AttributesLike;
  spanId: string;
  parentId: string | undefined;
}

function attributesOf(holder: { attributes?: unknown } | null | undefined): AttributesLike {
  const attributes = holder?.attributes;
  return attributes != null && typeof attributes === 'object'
    ? (attributes as AttributesLike)
    : EMPTY_ATTRIBUTES;
}

/**
 * Reads the span defensively: ids, kind, attributes (redacted once here for every document of the
 * span), and the parent (root-only parents dropped).
 */
export function viewOf(span: ReadableSpanLike, options: ResolvedOptions): SpanView {
  let context: SpanContextLike | undefined;
  try {
    context = typeof span.spanContext === 'function' ? span.spanContext() : undefined;
  } catch {
    context = undefined;
  }
  const spanId = toSegmentId(context?.spanId);
  const parentContext = span.parentSpanContext;
  let parentId = toParentId(parentContext != null ? parentContext.spanId : span.parentSpanId);
  // A remote parent derived from the trace ID stands for a header without Parent (ALB): the span is
  // a root for X-Ray (@xray-otel/core root-only.ts). A local parent (isRemote false) never is.
  if (
    parentId !== undefined &&
    parentContext?.isRemote !== false &&
    isRootOnlyParent(context?.traceId, parentId)
  ) {
    parentId = undefined;
  }
  const kind = typeof span.kind === 'number' ? span.kind : 0;
  let attributes = attributesOf(span);
  let resourceAttributes = attributesOf(span.resource);
  const rules = options.redaction;
  if (rules !== undefined) {
    // Core returns the same object when nothing is secret: no copy on the common path.
    attributes = redactAttributes(attributes, rules);
    resourceAttributes = redactedResourceAttributes(resourceAttributes, rules);
  }
  return { span, kind, attributes, resourceAttributes, spanId, parentId };
}

/** `MakeSegment`: one document for the span as `view` describes it. */
export function makeSegment(view: SpanView, options: ResolvedOptions): Segment {
  const { span, kind, attributes, resourceAttributes } = view;
  let traceId: unknown;
  try {
    traceId = span.spanContext().traceId;
  } catch {
    traceId = undefined;
  }
  const isAwsSdkSpan = attributes[RPC_SYSTEM] === RPC_SYSTEM_AWS_API;
  const spanName = typeof span.name === 'string' ? span.name : '';
  const { name, namespace } = makeName(
    spanName,
    kind,
    attributes,
    resourceAttributes,
    isAwsSdkSpan,
    options.cleanNames,
    options.stableDbConventions,
  );
  const segmentTraceId = checkedXRayTraceId(traceId, options.nowSeconds);
  const startTime = toEpochSeconds(span.startTime);
  const endTime = toEpochSeconds(span.endTime);
  const consumed = new Set<string>();
  const events = Array.isArray(span.events) ? span.events : undefined;

  const awsKeys = awsKeysOf(attributes, isAwsSdkSpan, options.awsSdkConventions);
  const http = makeHttp(kind, attributes, events, consumed, options.redaction, awsKeys === AWS_KEYS_SQS_CALL);
  const status = span.status != null && typeof span.status === 'object' ? span.status : { code: 0 };
  const flags = makeFaultFlags(attributes, status.code);
  const cause = makeCause(
    kind,
    status,
    attributes,
    events,
    str(resourceAttributes[TELEMETRY_SDK_LANGUAGE]),
    isAwsSdkSpan,
    consumed,
    options.nodeStackFrames,
  );
  const origin = makeOrigin(resourceAttributes);
  const aws = makeAws(attributes, resourceAttributes, options.logGroupNames, consumed, awsKeys);
  const service = makeService(resourceAttributes);
  const sql = makeSql(spanName, attributes, consumed, options.stableDbConventions);

  // §6 step 5: configured indexed keys consumed above are put back so they can become annotations.
  const indexed = options.indexedAttributes;
  if (indexed !== undefined && consumed.size > 0) {
    for (let i = 0; i < indexed.length; i++) {
      if (has(attributes, indexed[i])) consumed.delete(indexed[i]);
    }
  }

  const isSubsegment = kind !== KIND_SERVER && view.parentId !== undefined;
  const { user, annotations, metadata } = makeXRayAttributes(
    attributes,
    consumed,
    resourceAttributes,
    !isSubsegment,
    options,
  );
  const links = makeLinks(span.links, options.nowSeconds);

  // Built in the collector's field order (X-Ray does not care; it keeps diffs against it readable).
  const segment: Segment = {
    name,
    id: view.spanId,
    start_time: startTime,
  } as Segment;
  if (service !== undefined) segment.service = service;
  if (origin !== undefined) segment.origin = origin;
  if (user !== undefined) segment.user = user;
  if (links !== undefined) segment.links = links;
  segment.trace_id = segmentTraceId;
  segment.end_time = endTime;
  if (http !== undefined) segment.http = http;
  segment.fault = flags.fault;
  segment.error = flags.error;
  segment.throttle = flags.throttle;
  if (cause !== undefined) segment.cause = cause;
  if (aws !== undefined) segment.aws = aws;
  if (annotations !== undefined) segment.annotations = annotations;
  if (metadata !== undefined) segment.metadata = metadata;
  if (namespace !== undefined) segment.namespace = namespace;
  if (view.parentId !== undefined) segment.parent_id = view.parentId;
  if (isSubsegment) segment.type = TYPE_SUBSEGMENT;
  if (sql !== undefined) segment.sql = sql;
  return segment;
}
