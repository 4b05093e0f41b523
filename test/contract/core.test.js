'use strict';
// Contract: @xray-otel/core's public API on either OpenTelemetry line: the UDP daemon client against
// a UDP listener on 127.0.0.1, and the shared exporter lifecycle driven by real SDK spans.
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const core = require('@xray-otel/core');
const { api, sdk, createProvider, sdkPackage, sdkVersion, apiVersion } = require('./otel');

const LINE_3 = sdkPackage === '@opentelemetry/sdk-trace';

function listen() {
  const socket = dgram.createSocket('udp4');
  const received = [];
  return new Promise((resolve) => {
    socket.on('message', (message) => received.push(message.toString('utf8')));
    socket.bind(0, '127.0.0.1', () =>
      resolve({ port: socket.address().port, received, close: () => new Promise((r) => socket.close(r)) }),
    );
  });
}

async function until(predicate) {
  for (let i = 0; i < 250 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe(`contract: @xray-otel/core with ${sdkPackage} ${sdkVersion} / api ${apiVersion}`, () => {
  let daemon;
  beforeEach(async () => (daemon = await listen()));
  afterEach(() => daemon.close());

  it('exports the shared rules by name', () => {
    for (const name of [
      'MAX_DOCUMENT_BYTES',
      'DATAGRAM_HEADER',
      'OTLP_UDP_SAMPLED_PREFIX',
      'parseDaemonAddress',
      'resolveDaemonAddress',
      'samplingEndpoint',
      'RateLimitedLog',
      'toXRayTraceId',
      'fromXRayTraceId',
      'rootOnlyParentSpanId',
      'isRootOnlyParent',
      'resolveOtlpProtocol',
      'UdpDaemonClient',
      'UdpDaemonSpanExporter',
      'ExportResultCode',
    ]) {
      assert.ok(core[name] !== undefined, name);
    }
    assert.equal(core.MAX_DOCUMENT_BYTES, 64000);
    assert.equal(
      core.samplingEndpoint(core.parseDaemonAddress('udp:127.0.0.1:2000 tcp:[::1]:2001')),
      'http://[::1]:2001',
    );
  });

  it('UdpDaemonClient: sends, counts, flushes and closes', async () => {
    const client = new core.UdpDaemonClient({
      endpoint: core.parseDaemonAddress(`127.0.0.1:${daemon.port}`).udp,
    });
    const outcomes = [];
    for (let i = 0; i < 3; i++)
      client.send(Buffer.from(core.DATAGRAM_HEADER + `{"n":${i}}`), (code) => outcomes.push(code));
    await client.close();
    assert.deepEqual(outcomes, [undefined, undefined, undefined]);
    assert.equal(client.counters.datagramsSent, 3);
    await until(() => daemon.received.length === 3);
    assert.deepEqual(
      daemon.received.sort(),
      [0, 1, 2].map((i) => core.DATAGRAM_HEADER + `{"n":${i}}`),
    );
  });

  it('UdpDaemonSpanExporter is an SDK SpanExporter: real spans through a BatchSpanProcessor', async () => {
    const exporter = new core.UdpDaemonSpanExporter({
      daemonAddress: `127.0.0.1:${daemon.port}`,
      logPrefix: 'contract: ',
      datagramName: 'a span name',
      encoder: (spans, sink) => {
        for (const span of spans) sink.send(Buffer.from(core.DATAGRAM_HEADER + span.name), 1);
      },
    });
    const processor = LINE_3
      ? new sdk.BatchSpanProcessor({ exporter })
      : new sdk.BatchSpanProcessor(exporter);
    const provider = createProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('contract');
    tracer.startSpan('a').end();
    tracer.startSpan('b', { kind: api.SpanKind.SERVER }).end();
    await provider.shutdown();
    const c = exporter.counters;
    assert.equal(c.spansReceived, 2);
    assert.equal(c.spansExported, 2);
    await until(() => daemon.received.length === 2);
    assert.deepEqual(daemon.received.map((d) => d.slice(core.DATAGRAM_HEADER.length)).sort(), ['a', 'b']);
  });

  it('root-only parents: derived, recognised, and never a valid span id of zero', () => {
    const traceId = '5759e988bd862e3fe1be46a994272793';
    const parent = core.rootOnlyParentSpanId(traceId);
    assert.match(parent, /^[0-9a-f]{16}$/);
    assert.ok(api.isValidSpanId(parent));
    assert.equal(core.isRootOnlyParent(traceId, parent), true);
    assert.equal(core.isRootOnlyParent(traceId, '53995c3f42cd8ad8'), false);
  });
});
