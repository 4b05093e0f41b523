import type { RedactionRules } from '@xray-otel/core';

/**
 * The input: any object shaped like the SDK's `ReadableSpan` (identical in OpenTelemetry JS 2.x and
 * 3.x; the 1.x `parentSpanId` is accepted too). Declared here so the translator has no runtime or
 * type dependency on an SDK line. Every field is read defensively: odd values never throw.
 */

/** `[seconds, nanoseconds]` since the Unix epoch. */
export type HrTimeLike = readonly [number, number];

/** What the translator needs of a `TraceState`: `get`; a serialized `k=v,k2=v2` string is accepted too. */
export interface TraceStateLike {
  get(key: string): string | undefined;
}

export interface SpanContextLike {
  traceId: string;
  spanId: string;
  traceFlags?: number;
  isRemote?: boolean;
  traceState?: TraceStateLike | string;
}

/** Attribute maps: OTel values plus what OTLP can carry (kvlist maps, bytes, empty values). */
export interface AttributesLike {
  [key: string]: unknown;
}

export interface SpanEventLike {
  name: string;
  time: HrTimeLike;
  attributes?: AttributesLike;
}

export interface SpanLinkLike {
  context: SpanContextLike;
  attributes?: AttributesLike;
}

export interface ReadableSpanLike {
  name: string;
  /** SpanKind: INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4. */
  kind: number;
  spanContext(): SpanContextLike;
  /** OpenTelemetry JS 2.x / 3.x. */
  parentSpanContext?: SpanContextLike;
  /** OpenTelemetry JS 1.x. */
  parentSpanId?: string;
  startTime: HrTimeLike;
  endTime: HrTimeLike;
  /** SpanStatusCode: UNSET 0, OK 1, ERROR 2. */
  status: { code: number; message?: string };
  attributes: AttributesLike;
  links?: readonly SpanLinkLike[];
  events?: readonly SpanEventLike[];
  resource?: { attributes: AttributesLike };
  instrumentationScope?: unknown;
  ended?: boolean;
  duration?: HrTimeLike;
}

export interface TranslatorOptions {
  /** Span (or `otel.resource.*`) attribute keys to turn into annotations (collector `indexed_attributes`). */
  indexedAttributes?: string[];
  /** Every annotatable attribute becomes an annotation (collector `index_all_attributes`); default false. */
  indexAllAttributes?: boolean;
  /** CloudWatch log groups when the resource names none (collector `aws_log_groups`). */
  logGroupNames?: string[];
  /** Skip the trace-ID age check (collector feature gate, on by default); default true. */
  skipTimestampValidation?: boolean;
  /** Keep `.` in annotation keys (collector gate `exporter.xray.allowDot`); default true. */
  allowDot?: boolean;
  /**
   * Every segment `name` is one X-Ray accepts (1–200 letters, numbers, whitespace and
   * `_ . : / % & # = + \ - @`): names from attributes are kept when valid and cleaned otherwise, the
   * span name is cut between characters. Default true. `false` = the collector's names exactly,
   * which X-Ray may reject with the whole document (README "Deviations from the collector").
   */
  cleanNames?: boolean;
  /**
   * Read what OpenTelemetry's AWS SDK instrumentation writes where the collector reads only X-Ray's
   * own keys (README "Deviations from the collector"): on an AWS SDK span (`rpc.system` `aws-api`)
   * `cloud.region` is the `region`, `aws.request.id` the `request_id`, `aws.sqs.queue.url` (ADOT)
   * the `queue_url`, and an SQS call's `url.full` is the queue URL (`queue_url`, not the http
   * block's `url`). The collector's keys win when present. Default true; `false` = the collector's
   * aws and http blocks.
   */
  awsSdkConventions?: boolean;
  /**
   * Read the stable database conventions where the old keys are absent (README "Deviations from the
   * collector"): `db.system.name`, `db.namespace`, `db.query.text`, `user.name` (the collector's
   * gate `exporter.awsxray.EmitV1DBConventions`, off there), so today's database instrumentations
   * get a `sql` block; the name is `<db.namespace>@<server.address>` and the `sql` block's `url`
   * and `connection_string` are `<system>://<server.address>:<server.port>/<db.namespace>`, as the
   * classic X-Ray SDK writes them. Default true; `false` = the collector's default (old keys only).
   */
  stableDbConventions?: boolean;
  /**
   * Read V8 stack frames the way Node.js writes them (README "Deviations from the collector"): the
   * location is split from the right (`file:///app/server.mjs:12:5` → `/app/server.mjs`, line 12;
   * `node:internal/process/task_queues:95:5` → that path, line 95), an anonymous `async` frame is
   * labelled `async`, and labels lose the space before `(`. The collector splits at the first `:`,
   * so every ES module frame is path `file`, line 0. Default true; `false` = the collector's frames.
   */
  nodeStackFrames?: boolean;
  /**
   * Mask secrets before they leave the process (README "Redaction"), with @xray-otel/core's lists:
   * captured credential headers (`authorization`, `cookie`, …) and URL credentials and token
   * parameters masked, `process.command_args` / `process.command_line` removed, in span and
   * resource attributes and in the http `url`. `true` = core's default lists, extended or turned off
   * by `OTEL_AWS_XRAY_REDACT`; a list = the default lists plus these names; rules as built by core's
   * `redactionRules`. Resolved once per options object. Default `false`: collector-exact output.
   */
  redact?: boolean | readonly string[] | RedactionRules;
  /** Clock in epoch milliseconds, for the trace-ID age check; default `Date.now`. */
  now?: () => number;
}
