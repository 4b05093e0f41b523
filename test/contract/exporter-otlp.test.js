'use strict';
// Contract: real SDK spans (2.x or 3.x) into @xray-otel/exporter-otlp's OTLP-over-UDP exporter, and a
// UDP listener on 127.0.0.1 that decodes the datagrams back (header, T1S/T1U, base64 protobuf) with
// @xray-otel/local's decoder. The serializer is the upstream otlp-transformer of the line under test.
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const { AWSXRayOtlpUdpSpanExporter, MAX_DATAGRAM_BYTES } = require('@xray-otel/exporter-otlp');
const { decodeOtlpProtobuf } = require('@xray-otel/local');
const { api, sdk, createProvider, sdkPackage, sdkVersion, apiVersion } = require('./otel');

const LINE_3 = sdkPackage === '@opentelemetry/sdk-trace';

function batchProcessor(exporter, config) {
  return LINE_3
    ? new sdk.BatchSpanProcessor({ exporter, ...config })
    : new sdk.BatchSpanProcessor(exporter, config);
}

/** Keeps every ended span, sampled or not. */
function keepAll() {
  const spans = [];
  return {
    spans,
    onStart() {},
    onEnd(span) {
      spans.push(span);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

function listen() {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  const datagrams = [];
  let spans = 0;
  let waiter;
  socket.on('message', (message) => {
    const newline = message.indexOf(0x0a);
    const body = message.subarray(newline + 1).toString('utf8');
    const decoded = decodeOtlpProtobuf(Buffer.from(body.slice(3), 'base64'));
    assert.ok(decoded.ok, decoded.detail);
    datagrams.push({
      size: message.length,
      header: message.subarray(0, newline).toString('utf8'),
      prefix: body.slice(0, 3),
      spans: decoded.spans,
    });
    spans += decoded.spans.length;
    if (waiter && spans >= waiter.count) waiter.resolve();
  });
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        port: socket.address().port,
        datagrams,
        waitForSpans(count) {
          if (spans >= count) return Promise.resolve();
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`${spans} of ${count} spans`)), 5000);
            waiter = {
              count,
              resolve: () => {
                clearTimeout(timer);
                res();
              },
            };
          });
        },
        close: () => new Promise((res) => socket.close(res)),
      }),
    );
  });
}

describe(`contract: @xray-otel/exporter-otlp (OTLP over UDP) with ${sdkPackage} ${sdkVersion} / api ${apiVersion}`, () => {
  let daemon;
  beforeEach(async () => {
    daemon = await listen();
  });
  afterEach(() => daemon.close());

  it('resolves the upstream otlp-transformer of this line', () => {
    assert.equal(
      typeof require('@opentelemetry/otlp-transformer').ProtobufTraceSerializer.serializeRequest,
      'function',
    );
  });

  it('round trip: sampled spans as T1S, unsampled as T1U, ids, names, attributes and parent intact', async () => {
    const kept = keepAll();
    const provider = createProvider({
      sampler: {
        shouldSample: (_c, _t, name) => ({
          decision: name.startsWith('u-')
            ? sdk.SamplingDecision.RECORD
            : sdk.SamplingDecision.RECORD_AND_SAMPLED,
        }),
        toString: () => 'by-name',
      },
      spanProcessors: [kept],
    });
    const tracer = provider.getTracer('contract', '1.0.0');
    const server = tracer.startSpan('s-GET /orders', {
      kind: api.SpanKind.SERVER,
      attributes: { 'http.request.method': 'GET', 'order.id': 'o-1', count: 2, ok: true },
    });
    const child = tracer.startSpan(
      's-child',
      { kind: api.SpanKind.CLIENT },
      api.trace.setSpan(api.context.active(), server),
    );
    child.end();
    server.end();
    tracer.startSpan('u-unsampled').end();
    const big = tracer.startSpan('s-big', { attributes: { payload: 'x'.repeat(100000), keep: 'me' } });
    big.end();

    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${daemon.port}` });
    const result = await new Promise((resolve) => exporter.export(kept.spans, resolve));
    assert.equal(result.code, 0);
    await daemon.waitForSpans(4);
    await exporter.shutdown();

    const byId = new Map();
    for (const datagram of daemon.datagrams) {
      assert.equal(datagram.header, '{"format":"json","version":1}');
      assert.ok(datagram.size <= MAX_DATAGRAM_BYTES);
      for (const span of datagram.spans)
        byId.set(span.spanContext().spanId, { span, prefix: datagram.prefix });
    }
    assert.equal(byId.size, 4);
    for (const original of kept.spans) {
      const { span, prefix } = byId.get(original.spanContext().spanId);
      assert.equal(prefix, original.name.startsWith('u-') ? 'T1U' : 'T1S');
      assert.equal(span.spanContext().traceId, original.spanContext().traceId);
      assert.equal(span.name, original.name);
      if (original.name !== 's-big') assert.deepEqual(span.attributes, original.attributes);
    }
    const decodedChild = byId.get(child.spanContext().spanId).span;
    assert.equal(decodedChild.parentSpanContext.spanId, server.spanContext().spanId);
    const decodedBig = byId.get(big.spanContext().spanId).span;
    assert.equal(decodedBig.attributes['aws.xray.otlp.truncated'], true);
    assert.equal(decodedBig.attributes.keep, 'me');
    assert.equal(exporter.counters.spansShrunk, 1);
    await provider.shutdown();
  });

  it('BatchSpanProcessor: 200 spans arrive, shutdown flushes', async () => {
    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${daemon.port}` });
    const provider = createProvider({
      spanProcessors: [batchProcessor(exporter, { maxExportBatchSize: 100, scheduledDelayMillis: 50 })],
    });
    const tracer = provider.getTracer('contract');
    for (let i = 0; i < 200; i++) tracer.startSpan(`work-${i}`, { attributes: { i } }).end();
    await provider.shutdown();
    await daemon.waitForSpans(200);
    const c = exporter.counters;
    assert.equal(c.spansSent, 200);
    assert.equal(c.spansFailed, 0);
    assert.equal(c.pending, 0);
  });
});
