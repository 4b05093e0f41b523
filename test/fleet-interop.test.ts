// A mixed fleet on one daemon: a Node service on the classic aws-xray-sdk-core/-express, our
// OpenTelemetry service (`node -r @xray-otel/register`), and a Flask service on the classic Python
// aws-xray-sdk. Requests cross all three in both directions; the documents they send must form one
// trace: same trace_id, and every callee segment's parent_id is the id of the caller's (sub)segment
// for that call (X-Ray's service map edge). Classic SDKs nest subsegments inside the segment
// document (fixtures node-03, py-02), so ids are searched in nested `subsegments` too.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  allEntities,
  HEADER_LINE,
  schemaErrors,
  segmentsOf,
  startDaemon,
  type DaemonListener,
  type XRayDocument,
} from './helpers/daemon';
import { missingPython, noticeIfMissing, skipIfMissing } from './helpers/prerequisites';
import { APPS, get, sleep, startApp, stopAllApps, type App } from './helpers/processes';

/** The one segment (top-level, not a subsegment) of the trace whose name is `name`. */
function segmentNamed(trace: XRayDocument[], name: string): XRayDocument {
  const found = segmentsOf(trace).filter((d) => d.name === name);
  assert.equal(found.length, 1, `one ${name} segment in ${JSON.stringify(trace.map((d) => d.name))}`);
  return found[0];
}

/** The remote (sub)segment, sent alone or nested, whose http.request.url contains `urlPart`. */
function remoteCallTo(entities: XRayDocument[], urlPart: string): XRayDocument {
  const found = entities.filter(
    (d) => d.namespace === 'remote' && String(d.http?.request?.url ?? '').includes(urlPart),
  );
  assert.equal(found.length, 1, `one remote call to ${urlPart} in ${JSON.stringify(entities)}`);
  return found[0];
}

const hostPort = (app: App) => `127.0.0.1:${app.port}`;

describe('fleet interop: classic Node SDK, @xray-otel/register, classic Python SDK on one daemon', function () {
  this.timeout(40000);
  let daemon: DaemonListener;
  let classic: App;
  let ours: App;
  let flask: App;

  let pythonMissing: string | undefined;

  before(async function () {
    // Fails here under CI (the Flask service is part of the fleet); else the Flask tests are skipped.
    pythonMissing = missingPython();
    noticeIfMissing(pythonMissing, 'the Flask parts of the fleet');
    daemon = await startDaemon();
    const env = { AWS_XRAY_DAEMON_ADDRESS: daemon.address };
    [classic, ours] = await Promise.all([
      startApp({ name: 'classic-app.cjs', args: [path.join(APPS, 'classic-app.cjs')], env }),
      startApp({
        name: 'express-app.cjs',
        args: ['-r', '@xray-otel/register', path.join(APPS, 'express-app.cjs')],
        env: { ...env, OTEL_SERVICE_NAME: 'otel-service' },
      }),
      pythonMissing
        ? Promise.resolve(undefined)
        : startApp({
            name: 'flask_app.py',
            command: 'python3',
            args: [path.join(APPS, 'flask_app.py')],
            env: { ...env, PYTHONUNBUFFERED: '1' },
          }).then((app) => (flask = app)),
    ]);
  });

  /** Skips the calling test, visibly, when the Python side is not installed (fails under CI). */
  function needsPython(context: Mocha.Context) {
    skipIfMissing(context, pythonMissing);
  }

  after(async function () {
    await stopAllApps();
    await daemon?.close();
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const app of [classic, ours, flask]) {
      if (app) console.log(`--- ${app.name} stderr ---\n${app.stderr().slice(-3000)}`);
    }
  });

  /** Waits (bounded) until the trace holds one segment of each `names`, then a short grace period. */
  async function traceOf(traceId: string, names: string[]): Promise<XRayDocument[]> {
    await daemon.waitFor(
      (docs) => {
        const segments = segmentsOf(docs.filter((d) => d.trace_id === traceId));
        return names.every((n) => segments.some((s) => s.name === n));
      },
      `segments ${names.join(', ')} of ${traceId}`,
    );
    await sleep(200);
    return daemon.trace(traceId);
  }

  function assertWellFormed(trace: XRayDocument[]) {
    for (const datagram of daemon.datagrams.filter((d) => d.document && trace.includes(d.document))) {
      assert.equal(datagram.headerLine, HEADER_LINE);
      assert.equal(schemaErrors(datagram.document), undefined, datagram.documentText);
    }
    const ids = allEntities(trace).map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique across the trace');
  }

  it('classic Node -> OpenTelemetry -> Flask: one trace, each parent_id is the caller subsegment id', async function () {
    needsPython(this);
    const flaskUrl = `http://${hostPort(flask)}/`;
    const oursUrl = `http://${hostPort(ours)}/call?to=${encodeURIComponent(flaskUrl)}`;
    const res = await get(`http://${hostPort(classic)}/?to=${encodeURIComponent(oursUrl)}`);
    assert.equal(res.status, 200, res.body);
    const traceId = res.json<{ traceId: string }>().traceId;
    const trace = await traceOf(traceId, ['classic', 'otel-service', 'flask']);
    assertWellFormed(trace);
    const entities = allEntities(trace);

    const classicSegment = segmentNamed(trace, 'classic');
    assert.equal(classicSegment.parent_id, undefined, 'the classic service started the trace');
    // classic Node's http subsegment (nested in its segment) -> our SERVER segment.
    const classicCall = remoteCallTo(entities, '/call');
    assert.ok(
      (classicSegment.subsegments ?? []).includes(classicCall),
      'classic SDK nests its remote subsegment in the segment document',
    );
    const ourSegment = segmentNamed(trace, 'otel-service');
    assert.equal(ourSegment.trace_id, traceId);
    assert.equal(ourSegment.parent_id, classicCall.id);

    // our CLIENT subsegment (sent alone) -> the Flask segment.
    const ourCall = remoteCallTo(entities, `:${flask.port}`);
    assert.equal(ourCall.type, 'subsegment');
    assert.equal(ourCall.trace_id, traceId);
    const flaskSegment = segmentNamed(trace, 'flask');
    assert.equal(flaskSegment.trace_id, traceId);
    assert.equal(flaskSegment.parent_id, ourCall.id);
    // The CLIENT subsegment hangs (possibly through Express subsegments) below our segment.
    let cursor: XRayDocument | undefined = ourCall;
    for (let hops = 0; cursor && cursor !== ourSegment && hops < 50; hops++) {
      const parentId: string | undefined = cursor.parent_id;
      cursor = trace.find((d) => d.id === parentId);
    }
    assert.equal(cursor, ourSegment);
  });

  it('Flask -> OpenTelemetry -> classic Node: the reverse direction', async function () {
    needsPython(this);
    const classicUrl = `http://${hostPort(classic)}/leaf`;
    const oursUrl = `http://${hostPort(ours)}/call?to=${encodeURIComponent(classicUrl)}`;
    const res = await get(`http://${hostPort(flask)}/call?to=${encodeURIComponent(oursUrl)}`);
    assert.equal(res.status, 200, res.body);
    const traceId = res.json<{ traceId: string }>().traceId;
    const trace = await traceOf(traceId, ['flask', 'otel-service', 'classic']);
    assertWellFormed(trace);
    const entities = allEntities(trace);

    const flaskSegment = segmentNamed(trace, 'flask');
    assert.equal(flaskSegment.parent_id, undefined);
    // Python nests its requests subsegment in the segment (with type/parent_id/trace_id, §2.2).
    const flaskCall = remoteCallTo(entities, `:${ours.port}/call`);
    const ourSegment = segmentNamed(trace, 'otel-service');
    assert.equal(ourSegment.parent_id, flaskCall.id);

    const ourCall = remoteCallTo(entities, '/leaf');
    assert.equal(ourCall.type, 'subsegment');
    const classicSegment = segmentNamed(trace, 'classic');
    assert.equal(classicSegment.trace_id, traceId);
    assert.equal(classicSegment.parent_id, ourCall.id);
  });

  it('classic Node <-> OpenTelemetry without Python: both directions in one trace', async () => {
    // classic / -> ours /call -> classic /leaf
    const leafUrl = `http://${hostPort(classic)}/leaf`;
    const oursUrl = `http://${hostPort(ours)}/call?to=${encodeURIComponent(leafUrl)}`;
    const res = await get(`http://${hostPort(classic)}/?to=${encodeURIComponent(oursUrl)}`);
    assert.equal(res.status, 200, res.body);
    const traceId = res.json<{ traceId: string }>().traceId;
    await traceOf(traceId, ['classic', 'otel-service']);
    await daemon.waitFor(
      (docs) =>
        segmentsOf(docs.filter((d) => d.trace_id === traceId)).filter((d) => d.name === 'classic').length ===
        2,
      'both classic segments',
    );
    const trace = daemon.trace(traceId);
    assertWellFormed(trace);
    const entities = allEntities(trace);
    const classicSegments = segmentsOf(trace).filter((d) => d.name === 'classic');
    const first = classicSegments.find((d) => d.parent_id === undefined)!;
    const last = classicSegments.find((d) => d.parent_id !== undefined)!;
    assert.ok(first && last, JSON.stringify(classicSegments));
    const ourSegment = segmentNamed(trace, 'otel-service');
    assert.equal(ourSegment.parent_id, remoteCallTo(entities, '/call').id);
    const ourCall = remoteCallTo(entities, '/leaf');
    assert.equal(ourCall.type, 'subsegment');
    assert.equal(last.parent_id, ourCall.id);
  });
});
