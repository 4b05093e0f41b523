// End to end through the daemon path: a sample Express service started with
// `node -r @xray-otel/register` (CommonJS) and `node --import @xray-otel/register` (ESM) sends its
// spans over UDP to a listener standing in for the X-Ray daemon. Checks the datagrams as the daemon
// and X-Ray would see them (xray-protocol.md §1–3, §8): header line, schema, one segment per
// incoming request that continues the incoming X-Amzn-Trace-Id, remote subsegments for outgoing
// calls, fault + cause for a thrown error, nothing for Sampled=0, annotations from
// OTEL_AWS_XRAY_INDEXED_ATTRIBUTES.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  allEntities,
  HEADER_LINE,
  MAX_DOCUMENT_BYTES,
  schemaErrors,
  segmentsOf,
  startDaemon,
  type DaemonListener,
  type XRayDocument,
} from './helpers/daemon';
import {
  APPS,
  get,
  newSegmentId,
  newTraceId,
  sleep,
  startApp,
  startDownstream,
  stopAllApps,
  xrayTraceId,
  type App,
  type Downstream,
} from './helpers/processes';

const TRACE_ID_RE = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const ID_RE = /^[0-9a-f]{16}$/;

const variants = [
  {
    label: 'CommonJS, node -r @xray-otel/register',
    flag: '-r',
    script: 'express-app.cjs',
    service: 'e2e-cjs',
  },
  {
    label: 'ESM, node --import @xray-otel/register',
    flag: '--import',
    script: 'express-app.mjs',
    service: 'e2e-esm',
  },
];

/** The documents of one trace once it holds a segment and `extra` agrees; bounded wait. */
async function traceWithSegment(
  daemon: DaemonListener,
  traceId: string,
  what: string,
  extra: (docs: XRayDocument[]) => boolean = () => true,
): Promise<XRayDocument[]> {
  await daemon.waitFor((docs) => {
    const trace = docs.filter((d) => d.trace_id === traceId);
    return segmentsOf(trace).length > 0 && extra(trace);
  }, what);
  // The Express INTERNAL spans end just before the SERVER span and travel in the same batch; a
  // short grace period catches a straggler batch.
  await sleep(150);
  return daemon.trace(traceId);
}

/** Shape every document of a trace must have. Returns the one segment (the SERVER span). */
function assertTraceShape(trace: XRayDocument[], service: string): XRayDocument {
  const segments = segmentsOf(trace);
  assert.equal(segments.length, 1, `exactly one segment per request: ${JSON.stringify(trace)}`);
  const segment = segments[0];
  assert.equal(segment.name, service);
  assert.match(segment.id, ID_RE);
  assert.match(String(segment.trace_id), TRACE_ID_RE);
  assert.equal(segment.type, undefined);
  // The SERVER span: it carries the incoming request.
  assert.equal(segment.http?.request?.method, 'GET');
  assert.ok(segment.http?.request?.url, 'segment has http.request.url');
  assert.equal(typeof segment.http?.response?.status, 'number');
  assert.equal(typeof segment.start_time, 'number');
  assert.equal(typeof segment.end_time, 'number');
  const ids = new Set(trace.map((d) => d.id));
  assert.equal(ids.size, trace.length, 'no id sent twice');
  for (const sub of trace.filter((d) => d.type === 'subsegment')) {
    // Independent subsegments (xray-protocol.md §2.2): type, trace_id, parent_id inside the trace.
    assert.equal(sub.trace_id, segment.trace_id);
    assert.match(sub.id, ID_RE);
    assert.ok(
      sub.parent_id && ids.has(sub.parent_id),
      `subsegment ${sub.name} parent ${sub.parent_id} in trace`,
    );
    // Starts within the request. (Not its end: Express's error-handling middleware span ends just
    // after the SERVER span, observed ~0.3 ms later on /boom.)
    assert.ok(sub.start_time >= segment.start_time - 0.001, `${sub.name} starts within the request`);
    assert.equal(typeof sub.end_time, 'number');
    // Walking up from any subsegment reaches the segment.
    let cursor: XRayDocument | undefined = sub;
    for (let hops = 0; cursor && cursor !== segment && hops < 50; hops++) {
      const parentId: string | undefined = cursor.parent_id;
      cursor = trace.find((d) => d.id === parentId);
    }
    assert.equal(cursor, segment, `subsegment ${sub.name} hangs below the segment`);
  }
  return segment;
}

for (const variant of variants) {
  describe(`e2e daemon path: Express service, ${variant.label}`, function () {
    this.timeout(30000);
    let daemon: DaemonListener;
    let downstream: Downstream;
    let app: App;

    before(async function () {
      daemon = await startDaemon();
      downstream = await startDownstream();
      app = await startApp({
        name: variant.script,
        args: [variant.flag, '@xray-otel/register', path.join(APPS, variant.script)],
        env: {
          AWS_XRAY_DAEMON_ADDRESS: daemon.address,
          OTEL_SERVICE_NAME: variant.service,
          OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: 'customer_id,order_count,premium',
          DOWNSTREAM_URL: downstream.url,
        },
      });
    });

    after(async function () {
      await stopAllApps();
      await downstream?.close();
      await daemon?.close();
    });

    afterEach(function () {
      if (this.currentTest?.state === 'failed' && app) {
        console.log(`--- ${app.name} stderr ---\n${app.stderr().slice(-4000)}`);
      }
    });

    it('without X-Amzn-Trace-Id: a new trace, one segment without parent_id, Express subsegments', async () => {
      const res = await get(`${app.url}/`);
      assert.equal(res.status, 200);
      const traceId = xrayTraceId(res.json<{ traceId: string }>().traceId);
      const trace = await traceWithSegment(daemon, traceId, 'the segment of GET /');
      const segment = assertTraceShape(trace, variant.service);
      assert.equal(segment.parent_id, undefined);
      assert.equal(segment.http?.response?.status, 200);
      assert.notEqual(segment.fault, true);
      // Express instrumentation: middleware / request handler spans arrive as subsegments.
      const subsegments = trace.filter((d) => d.type === 'subsegment');
      assert.ok(subsegments.length >= 1, `Express INTERNAL spans as subsegments: ${JSON.stringify(trace)}`);
      assert.ok(
        subsegments.some((s) => /request handler|middleware|router/.test(s.name)),
        `an Express layer subsegment among ${subsegments.map((s) => s.name).join(', ')}`,
      );
    });

    it('Root;Parent;Sampled=1: the segment continues the trace with the incoming parent', async () => {
      const traceId = newTraceId();
      const parent = newSegmentId();
      const res = await get(`${app.url}/`, {
        'X-Amzn-Trace-Id': `Root=${traceId};Parent=${parent};Sampled=1`,
      });
      assert.equal(res.status, 200);
      assert.equal(xrayTraceId(res.json<{ traceId: string }>().traceId), traceId);
      const segment = assertTraceShape(await traceWithSegment(daemon, traceId, 'segment'), variant.service);
      assert.equal(segment.trace_id, traceId);
      assert.equal(segment.parent_id, parent);
    });

    it('Root only (as a load balancer sends): the incoming trace ID and no parent_id', async () => {
      const traceId = newTraceId();
      const res = await get(`${app.url}/`, { 'X-Amzn-Trace-Id': `Root=${traceId}` });
      assert.equal(res.status, 200);
      const segment = assertTraceShape(await traceWithSegment(daemon, traceId, 'segment'), variant.service);
      assert.equal(segment.trace_id, traceId);
      assert.equal(segment.parent_id, undefined, 'a Root-only header has no parent to point at');
    });

    it('Root only, then a downstream call: nothing of ours in the outgoing tracestate, the real parent in X-Amzn-Trace-Id', async () => {
      const traceId = newTraceId();
      const before = downstream.requests.length;
      const res = await get(`${app.url}/call`, { 'X-Amzn-Trace-Id': `Root=${traceId};Sampled=1` });
      assert.equal(res.status, 200);
      const headers = downstream.requests[before].headers;
      // Nothing marks the synthetic parent any more (0.1.0 put xray-otel=r:<id> in tracestate).
      assert.equal(headers['tracestate'], undefined, String(headers['tracestate']));
      const otelTraceId = traceId.slice(2, 10) + traceId.slice(11);
      assert.match(String(headers['traceparent']), new RegExp(`^00-${otelTraceId}-[0-9a-f]{16}-01$`));
      const docs = await traceWithSegment(daemon, traceId, 'segment');
      const segment = assertTraceShape(docs, variant.service);
      assert.equal(segment.parent_id, undefined);
      const parent = /Parent=([0-9a-f]{16})/.exec(String(headers['x-amzn-trace-id']))?.[1];
      assert.ok(
        allEntities(docs).some((entity) => entity.id === parent),
        `the downstream's Parent ${parent} is a subsegment of this trace`,
      );
    });

    it('Sampled=?: sampled here, the incoming trace ID and parent kept', async () => {
      const traceId = newTraceId();
      const parent = newSegmentId();
      const res = await get(`${app.url}/`, {
        'X-Amzn-Trace-Id': `Root=${traceId};Parent=${parent};Sampled=?`,
      });
      assert.equal(res.status, 200);
      const segment = assertTraceShape(await traceWithSegment(daemon, traceId, 'segment'), variant.service);
      assert.equal(segment.trace_id, traceId);
      assert.equal(segment.parent_id, parent);
    });

    it('Sampled=0: nothing is sent for that trace, the request is still served', async () => {
      const unsampled = newTraceId();
      const res = await get(`${app.url}/call`, {
        'X-Amzn-Trace-Id': `Root=${unsampled};Parent=${newSegmentId()};Sampled=0`,
      });
      assert.equal(res.status, 200);
      // The downstream still learns the decision (and trace), as the classic SDKs do (node-05).
      const header = String(downstream.requests.at(-1)?.headers['x-amzn-trace-id'] ?? '');
      assert.match(header, new RegExp(`Root=${unsampled};Parent=[0-9a-f]{16};Sampled=0`));
      // A later sampled request whose segment arrives proves the exporter had its chance to send.
      const marker = newTraceId();
      await get(`${app.url}/`, { 'X-Amzn-Trace-Id': `Root=${marker};Parent=${newSegmentId()};Sampled=1` });
      await traceWithSegment(daemon, marker, 'the marker segment');
      await sleep(200);
      assert.deepEqual(daemon.trace(unsampled), []);
    });

    it('an outgoing HTTP call: a remote subsegment, its id propagated downstream', async () => {
      const traceId = newTraceId();
      const parent = newSegmentId();
      const before = downstream.requests.length;
      const res = await get(`${app.url}/call`, {
        'X-Amzn-Trace-Id': `Root=${traceId};Parent=${parent};Sampled=1`,
      });
      assert.equal(res.status, 200);
      const trace = await traceWithSegment(daemon, traceId, 'segment and remote subsegment', (docs) =>
        docs.some((d) => d.namespace === 'remote'),
      );
      const segment = assertTraceShape(trace, variant.service);
      assert.equal(segment.parent_id, parent);
      const remote = trace.filter((d) => d.namespace === 'remote');
      assert.equal(remote.length, 1, JSON.stringify(trace));
      const client = remote[0];
      assert.equal(client.type, 'subsegment');
      assert.equal(client.http?.request?.method, 'GET');
      assert.match(String(client.http?.request?.url), /^http:\/\/127\.0\.0\.1(:\d+)?\/downstream/);
      assert.equal(client.http?.response?.status, 200);
      // X-Ray expects the callee's segment under this subsegment: the header carries its id.
      assert.equal(downstream.requests.length, before + 1);
      const header = String(downstream.requests[before].headers['x-amzn-trace-id']);
      assert.equal(header, `Root=${traceId};Parent=${client.id};Sampled=1`);
      assert.ok(downstream.requests[before].headers['traceparent'], 'tracecontext is propagated too');
    });

    it('a thrown error: 500, fault on the segment, fault + cause with the exception', async () => {
      const traceId = newTraceId();
      const res = await get(`${app.url}/boom`, {
        'X-Amzn-Trace-Id': `Root=${traceId};Parent=${newSegmentId()};Sampled=1`,
      });
      assert.equal(res.status, 500);
      const trace = await traceWithSegment(daemon, traceId, 'segment with cause', (docs) =>
        docs.some((d) => typeof d.cause === 'object'),
      );
      const segment = assertTraceShape(trace, variant.service);
      assert.equal(segment.http?.response?.status, 500);
      assert.equal(segment.fault, true);
      assert.notEqual(segment.error, true);
      const withCause = trace.filter((d) => d.fault === true && typeof d.cause === 'object');
      assert.ok(withCause.length >= 1, JSON.stringify(trace));
      const exceptions = withCause.flatMap((d) =>
        typeof d.cause === 'object' ? (d.cause.exceptions ?? []) : [],
      );
      const boom = exceptions.find((e) => e.message === 'boom: the handler failed');
      assert.ok(boom, `exception recorded: ${JSON.stringify(exceptions)}`);
      assert.equal(boom.type, 'Error');
      assert.match(String(boom.id), ID_RE);
    });

    it('annotations come from OTEL_AWS_XRAY_INDEXED_ATTRIBUTES, the rest is metadata', async () => {
      const traceId = newTraceId();
      const res = await get(`${app.url}/annotated`, {
        'X-Amzn-Trace-Id': `Root=${traceId};Parent=${newSegmentId()};Sampled=1`,
      });
      assert.equal(res.status, 200);
      const trace = await traceWithSegment(daemon, traceId, 'annotated document', (docs) =>
        docs.some((d) => d.annotations?.customer_id !== undefined),
      );
      assertTraceShape(trace, variant.service);
      const annotated = trace.find((d) => d.annotations?.customer_id !== undefined)!;
      assert.equal(annotated.annotations?.customer_id, 'c-42');
      assert.equal(annotated.annotations?.order_count, 3);
      assert.equal(annotated.annotations?.premium, true);
      assert.equal(annotated.annotations?.not_indexed, undefined);
      assert.equal(annotated.metadata?.default?.not_indexed, 'metadata only');
    });

    it('every datagram: the compact header line, one schema-valid document of at most 64,000 bytes', () => {
      assert.ok(daemon.datagrams.length > 0, `datagrams received: ${daemon.datagrams.length}`);
      for (const datagram of daemon.datagrams) {
        assert.equal(datagram.headerLine, HEADER_LINE);
        assert.ok(datagram.document, `document parses: ${datagram.documentText?.slice(0, 200)}`);
        assert.ok(!datagram.documentText!.endsWith('\n'), 'no trailing newline');
        assert.ok(!datagram.documentText!.includes('\n'), 'compact, single-line JSON');
        assert.ok(datagram.documentBytes <= MAX_DOCUMENT_BYTES);
        assert.equal(schemaErrors(datagram.document), undefined, datagram.documentText);
      }
    });
  });
}
