// Every known difference between what the classic X-Ray SDK and @xray-otel/register send for the
// same real app (test/real-apps), with its reason: the one table the test classifies differences
// by, and the one docs/classic-sdk-parity.md lists (test/real-apps/real-apps.test.ts checks that
// both name the same ids with the same status). A difference no entry matches fails the test.
//
// status:
//   pending  - being fixed now (issue 11, the item named): delete the entry once the fix is merged
//              and the test reports it as "now matches";
//   open     - a fix is possible on our side, not assigned yet (the reason says where);
//   permanent- by design, or the classic SDK's own behaviour: stays.
// Entries are tried in order; the first that matches a difference takes it, so the specific ones
// come before the scenario-wide ones.
import type { Difference } from './compare';

export type Status = 'pending' | 'open' | 'permanent';

export interface KnownDifference {
  id: string;
  status: Status;
  /** For `pending`: `issue 11 item <letter>` of the brief the fix belongs to. */
  pending?: string;
  /** One line: what differs. */
  what: string;
  /** Why, and for `open` where the fix would go. */
  reason: string;
  matches(difference: Difference): boolean;
}

const HTTP_METHOD = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/;
const isMap = (d: Difference) => d.scenario.startsWith('map:');
const isRemoteDoc = (d: Difference) => d.document.startsWith('subsegment/remote');
/** Redis documents and map nodes: ours names them by command (ioredis span names) for now. */
const REDIS_NAMES = /^(connect|hello|client|info|set|get)\b|redis/i;
const PG_NAMES = /^(pg[.-]|shop@127\.0\.0\.1|postgres)/;
/** The node names of a map difference (an edge has two). */
const mapNames = (d: Difference) =>
  String(d.classic ?? d.ours ?? '')
    .split(' -> ')
    .map((node) => node.replace(/ \([^)]*\)$/, ''));

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: 'exception-frames',
    status: 'pending',
    pending: 'issue 11 item a',
    what: 'exceptions have no stack frames (`cause.exceptions[].stack` empty)',
    reason:
      'the translator parses V8 stack traces only when telemetry.sdk.language is "javascript"; the Node SDK says "nodejs"',
    matches: (d) => d.field === 'cause.frames' && d.ours === '' && d.classic !== undefined,
  },
  {
    id: 'remote-named-by-method',
    status: 'pending',
    pending: 'issue 11 item b',
    what: 'a call to an uninstrumented service is named after the HTTP method (`GET`) instead of its host, in the subsegment and on the service map',
    reason:
      'the collector names it from aws.remote.service, which no span processor sets yet (ADOT sets it in the SDK); the classic SDK uses the host name',
    matches: (d) =>
      (isRemoteDoc(d) && d.field === 'name' && HTTP_METHOD.test(String(d.ours))) ||
      (isMap(d) &&
        d.scenario === 'map:services' &&
        mapNames(d).some((name) => HTTP_METHOD.test(name) || name === '127.0.0.1')),
  },
  {
    id: 'content-length-zero',
    status: 'pending',
    pending: 'issue 11 item c',
    what: '`http.response.content_length` is always 0',
    reason:
      "the translator always writes content_length, 0 when the span has no response size (the collector's model has no omitempty), and the http and undici instrumentations record none; the classic SDK writes the real length for calls and none for incoming requests",
    matches: (d) => d.field === 'http.response.content_length' && d.ours === 0,
  },
  {
    id: 'secret-command-line',
    status: 'pending',
    pending: 'issue 11 item d',
    what: "the command line (`process.command_args`, with any secret passed there) is in every document's metadata",
    reason:
      'the process resource detector records argv and the translator copies resource attributes into metadata; redaction is coming',
    matches: (d) => d.field === 'secret' && String(d.ours).includes('process.command_args'),
  },
  {
    id: 'secret-query-string',
    status: 'pending',
    pending: 'issue 11 item d',
    what: 'a token in the query string of a call (`?access_token=`) is kept in `http.request.url`',
    reason:
      'the http instrumentation records the full URL; the classic SDK drops the query string. Redaction of known secret parameters is coming',
    matches: (d) => d.field === 'secret' && String(d.ours).endsWith('http.request.url'),
  },
  {
    id: 'express-layers-carry-exception',
    status: 'pending',
    pending: 'issue 11 item e',
    what: 'a thrown or rejected Express handler error is recorded on every router layer subsegment it passes through (4 documents with the same cause)',
    reason:
      'the Express instrumentation ends each layer span with the error; the classic SDK records it once, on the segment',
    matches: (d) =>
      /^express-(throw|reject)$/.test(d.scenario) &&
      d.field === 'document' &&
      d.document.startsWith('subsegment/local') &&
      d.ours !== undefined,
  },
  {
    id: 'segment-cause-on-subsegment',
    status: 'permanent',
    what: "for a thrown or rejected Express handler error the segment has `fault` but no `cause`; the exception is on the handler's subsegment",
    reason:
      'OpenTelemetry records an exception on the span of the code that threw (the Express layer); the http server span only sees the 500. The console shows the exception one click deeper',
    matches: (d) =>
      /^express-(throw|reject)$/.test(d.scenario) &&
      d.document === 'segment "shop"' &&
      d.field.startsWith('cause.') &&
      d.ours === undefined,
  },
  {
    id: 'aws-sdk-http-subsegment',
    status: 'open',
    what: "every AWS SDK call has a second subsegment below it: the SDK's own HTTP request (`POST`/`PUT` to the endpoint), which also adds a node to the service map",
    reason:
      "the aws-sdk instrumentation leaves the http instrumentation on for its requests; the classic SDK records only the AWS call. Fix: `@opentelemetry/instrumentation-aws-sdk` `suppressInternalInstrumentation: true` in register's instrumentation defaults",
    matches: (d) =>
      (isRemoteDoc(d) && d.field === 'document' && /"(POST|PUT)"/.test(d.document) && d.ours !== undefined) ||
      (isMap(d) && mapNames(d).includes('POST')),
  },
  {
    id: 'aws-region',
    status: 'open',
    what: 'AWS subsegments have no `aws.region`',
    reason:
      "the aws-sdk instrumentation sets `cloud.region`; the translator reads only `aws.region` (and also leaves `aws.request.id` in metadata instead of `aws.request_id`). Fix in the translator's aws block",
    matches: (d) => d.field === 'aws.region' && d.ours === undefined && d.classic !== undefined,
  },
  {
    id: 'sqs-queue-url',
    status: 'open',
    what: 'SQS subsegments have no `aws.queue_url`; the queue URL is in `http.request.url` instead',
    reason:
      "the aws-sdk instrumentation sets the queue URL as `url.full`, which the translator turns into the http block; it reads the queue URL only from `aws.queue_url` / `messaging.url`. Fix in the translator's aws block",
    matches: (d) =>
      d.document.startsWith('subsegment/aws:SendMessage') &&
      ((d.field === 'aws.queue_url' && d.ours === undefined) ||
        (d.field === 'http.request.url' && d.classic === undefined)),
  },
  {
    id: 'aws-4xx-fault',
    status: 'permanent',
    what: 'a 4xx answer of an AWS service (Lambda ResourceNotFoundException, 404) is `error` only; the classic SDK marks it `fault` as well',
    reason:
      "X-Ray's rule is 4xx = error, 5xx = fault; the classic SDK adds fault for any exception it catches from the v3 client",
    matches: (d) =>
      d.document.startsWith('subsegment/aws:') &&
      d.field === 'fault' &&
      d.classic === true &&
      d.ours === false,
  },
  {
    id: 'postgres-stable-semconv',
    status: 'open',
    what: 'a PostgreSQL query has no `sql` block: three remote subsegments (`pg-pool.connect`, `pg.connect`, `pg.query:SELECT shop`) instead of one `shop@127.0.0.1` SQL subsegment, with matching service map nodes',
    reason:
      "instrumentation-pg 0.76 writes the stable database conventions (`db.system.name`, `db.namespace`, `db.query.text`, `server.address`); the translator reads only `db.system` / `db.statement` / `db.name`. Fix in the translator's sql block",
    matches: (d) =>
      (d.scenario === 'express-pg' && d.field === 'document') ||
      (isMap(d) && mapNames(d).some((name) => PG_NAMES.test(name))),
  },
  {
    id: 'redis-only-ours',
    status: 'permanent',
    what: 'Redis calls (ioredis) are traced by ours only, including the connection handshake (`connect`, `hello`, `client`, `info`) on the first call; named by command on the service map',
    reason:
      'the classic SDK has no Redis support; auto-instrumentations-node traces ioredis. The names will follow aws.remote.service once issue 11 item b sets it',
    matches: (d) =>
      (d.scenario === 'express-redis' && d.field === 'document' && d.classic === undefined) ||
      (isMap(d) && mapNames(d).some((name) => REDIS_NAMES.test(name))),
  },
  {
    id: 'url-port-and-query',
    status: 'permanent',
    what: 'the URL of a call keeps its port and query string; the classic SDK writes `http://host/path`',
    reason:
      'the http instrumentation records the full URL (`url.full`); the classic SDK rebuilds it from host name and path. Ours is the URL that was called',
    matches: (d) =>
      isRemoteDoc(d) &&
      d.field === 'http.request.url' &&
      typeof d.classic === 'string' &&
      typeof d.ours === 'string' &&
      d.ours.replace(/\?.*$/, '').replace(/\{[a-z-]+\}/, '127.0.0.1') === d.classic,
  },
  {
    id: 'call-client-ip',
    status: 'permanent',
    what: 'outgoing call subsegments carry `http.request.client_ip` (the address called)',
    reason:
      'the translator maps the peer address attribute to client_ip for client spans too, as the collector does; the console does not show it for calls',
    matches: (d) =>
      d.field === 'http.request.client_ip' && d.classic === undefined && d.document.startsWith('subsegment'),
  },
  {
    id: 'fetch-user-agent',
    status: 'permanent',
    what: 'a fetch (undici) call records the user agent undici sends (`node`)',
    reason:
      "the undici instrumentation records the request's User-Agent; the classic fetch patch records none",
    matches: (d) =>
      d.scenario === 'express-fetch' && d.field === 'http.request.user_agent' && d.classic === undefined,
  },
  {
    id: 'empty-user-agent',
    status: 'permanent',
    what: 'a request without a User-Agent header has no `user_agent`; the classic SDK writes an empty string',
    reason: 'an absent header is not an empty one; X-Ray treats both the same',
    matches: (d) => d.field === 'http.request.user_agent' && d.classic === '' && d.ours === undefined,
  },
  {
    id: 'lambda-calls-not-joined',
    status: 'open',
    what: "a Lambda handler wrapped with `flushAfterInvocation` (no aws-lambda instrumentation, e.g. a bundled handler) does not join the invocation's trace: each call is a trace of its own, a segment named after the call",
    reason:
      'flushAfterInvocation makes `context.xRayTraceId` the header the xray-lambda propagator extracts, but nothing extracts it: no span is started from it (the aws-lambda instrumentation would, when it wraps the handler). Fix in register/lambda: run the handler in the context extracted from the header (or start the invocation span there)',
    matches: (d) => /^lambda-/.test(d.scenario) || d.scenario === 'map:lambda',
  },
  {
    id: 'worker-segment-named-by-call',
    status: 'pending',
    pending: 'issue 11 item b',
    what: "a worker's call (no incoming request) makes a segment named after the call (`GET`, `DynamoDB`) instead of the service (OTEL_SERVICE_NAME), in the trace and on the service map",
    reason:
      'the collector names a root client span after the call unless aws.span.kind=LOCAL_ROOT and aws.local.service are set, which the span processor of item b will do',
    matches: (d) =>
      (d.scenario === 'worker' && d.field === 'name' && d.classic === 'nightly-job') ||
      (d.scenario === 'map:worker' && mapNames(d).some((name) => name === 'GET' || name === 'DynamoDB')),
  },
  {
    id: 'worker-calls-are-traces',
    status: 'permanent',
    what: "a worker's calls are each a trace of their own (3 traces for 2 jobs), the call being the segment; the classic SDK needs a segment opened by hand per job, which then holds the calls as subsegments",
    reason:
      'without an active span every outgoing call is a root span. One trace per job takes a span around the job (`tracer.startActiveSpan`), as in any OpenTelemetry app; the classic SDK cannot trace the worker at all without its own segment code',
    matches: (d) => d.scenario === 'worker' || d.scenario === 'map:worker',
  },
];

/** The entry that explains `difference`, or undefined: an unknown difference. */
export function classify(difference: Difference): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((known) => known.matches(difference));
}
