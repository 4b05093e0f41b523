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

/** Frames as `file:line label`, without the classic SDK's own wrapper frames (see `stack-frame-format`). */
function frameForm(frames: string): string[] {
  return frames
    .split(' | ')
    .map((frame) => frame.trim())
    .filter((frame) => frame !== '' && !frame.startsWith('aws3_p.js:'));
}

/** The label of a `file:line label` frame. */
const frameLabel = (frame: string) => frame.slice(frame.indexOf(' ') + 1);

/**
 * The classic and our frames agree but for the form of Node's internal frames (the classic SDK
 * writes `node:` without a line; ours the internal module and its line: same label) and ours may
 * stop earlier (V8 keeps 10 frames, the two SDKs' wrappers take different numbers of them).
 */
function sameFramesButForm(classic: string, ours: string): boolean {
  const a = frameForm(classic);
  const b = frameForm(ours);
  return (
    b.length > 0 &&
    b.length <= a.length &&
    b.every(
      (frame, i) => frame === a[i] || (a[i].startsWith('node: ') && frameLabel(frame) === frameLabel(a[i])),
    )
  );
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: 'remote-named-by-host-and-port',
    status: 'permanent',
    what: 'a call to an uninstrumented service is named `host:port` (`127.0.0.1:8081`), in the subsegment and on the service map; the classic SDK names it by host name only (`127.0.0.1`)',
    reason:
      'the span processor sets aws.remote.service as ADOT does (`server.address:port`), which the translator and a collector name the subsegment by; with the port, two services on one host (a sidecar, a Kubernetes node, localhost) stay two nodes instead of merging into one',
    matches: (d) =>
      (d.field === 'name' &&
        d.classic === '127.0.0.1' &&
        typeof d.ours === 'string' &&
        /^\{[a-z-]+\}$/.test(d.ours)) ||
      (isMap(d) &&
        d.scenario === 'map:services' &&
        mapNames(d).some((name) => name === '127.0.0.1' || /^\{(downstream|tls-downstream)\}$/.test(name))),
  },
  {
    id: 'content-length-incoming',
    status: 'permanent',
    what: "an incoming request's segment carries the response size (`http.response.content_length`); the classic SDK writes none for incoming requests",
    reason:
      'register has the http instrumentation capture the Content-Length response header, which the translator takes the size from (the collector writes 0); the classic SDK records sizes for calls only',
    matches: (d) =>
      d.field === 'http.response.content_length' &&
      d.document.startsWith('segment') &&
      d.classic === undefined &&
      typeof d.ours === 'number' &&
      d.ours > 0,
  },
  {
    id: 'content-length-zero',
    status: 'permanent',
    what: '`http.response.content_length` is 0 on AWS SDK calls and on Fastify replies; the classic SDK writes the real size of AWS responses',
    reason:
      "the aws-sdk instrumentation records no response size, and Fastify sets Content-Length in writeHead, where the http instrumentation's header capture does not see it; the translator writes content_length whenever there is an http block, 0 when the size is unknown (the collector's model has no omitempty)",
    matches: (d) => d.field === 'http.response.content_length' && d.ours === 0,
  },
  {
    id: 'express-layers-carry-exception',
    status: 'permanent',
    what: 'a thrown or rejected Express handler error is recorded on every router layer subsegment it passes through (4 documents with the same cause)',
    reason:
      'the Express instrumentation records the error on each layer span it passes through (middleware and handler layers); the classic SDK records it once, on the segment. The translator does not guess which of the spans threw',
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
    id: 'postgres-named-by-system',
    status: 'permanent',
    what: 'a PostgreSQL query subsegment and its service map node are named `postgresql` (the database system); the classic SDK names them `shop@127.0.0.1` (database@host)',
    reason:
      'the span processor sets aws.remote.service to db.system.name, as ADOT does, and the translator and a collector name the subsegment by it (translator-spec.md §3 step 3), so both paths draw the same map; without the processor the translator names it `shop@127.0.0.1`',
    matches: (d) =>
      (d.scenario === 'express-pg' &&
        d.field === 'name' &&
        d.classic === 'shop@127.0.0.1' &&
        d.ours === 'postgresql') ||
      (isMap(d) && mapNames(d).some((name) => PG_NAMES.test(name))),
  },
  {
    id: 'postgres-connect-spans',
    status: 'permanent',
    what: 'the first query of a request also has `pg-pool.connect` and `pg.connect` SQL subsegments (the time taken to get a connection)',
    reason:
      'instrumentation-pg traces connecting as CLIENT spans carrying the connection, which the translator makes SQL subsegments; the classic SDK traces queries only. `ignoreConnectSpans: true` in the pg instrumentation config leaves them out',
    matches: (d) =>
      d.scenario === 'express-pg' &&
      d.field === 'document' &&
      d.classic === undefined &&
      d.document === 'subsegment/sql "postgresql"',
  },
  {
    id: 'sql-collector-fields',
    status: 'permanent',
    what: 'SQL subsegments carry `sql.connection_string` and `sql.database_type`, which the classic SDK does not write',
    reason:
      "the translator writes the collector's sql block (translator-spec.md §10); X-Ray shows both fields",
    matches: (d) =>
      d.scenario === 'express-pg' &&
      (d.field === 'sql.connection_string' || d.field === 'sql.database_type') &&
      d.classic === undefined,
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
    id: 'lambda-function-segment',
    status: 'permanent',
    what: "a Lambda invocation has a segment of its own (the function's name, under the function's `AWS::Lambda::Function` segment) holding the calls; the classic SDK puts the calls straight under the function's segment",
    reason:
      "OpenTelemetry records the invocation as a SERVER span (flushAfterInvocation, or the aws-lambda instrumentation), which becomes a segment whose parent is the function segment Lambda writes, as with ADOT; the classic SDK writes subsegments into Lambda's facade segment",
    matches: (d) =>
      (/^lambda-/.test(d.scenario) &&
        ((d.field === 'document' && d.classic === undefined && d.document === 'segment "resize-fn"') ||
          (d.field === 'name' && d.classic === '127.0.0.1' && d.ours === '{downstream}'))) ||
      (d.scenario === 'map:lambda' &&
        mapNames(d).some((name) => name === 'resize-fn' || name === '127.0.0.1' || name === '{downstream}')),
  },
  {
    id: 'stack-frame-format',
    status: 'permanent',
    what: "a frame in Node's internals names the internal module and its line (`node:internal/process/task_queues`, 95); the classic SDK writes `node:` without a line. The classic SDK's own wrapper frames (`aws3_p.js`) are its own",
    reason:
      "the translator reads V8 locations from the right (option nodeStackFrames), so internal frames keep their module and line as Node.js wrote them; the frames of the app and its libraries are the same as the classic SDK's, labels included",
    matches: (d) =>
      d.field === 'cause.frames' && sameFramesButForm(String(d.classic ?? ''), String(d.ours ?? '')),
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
