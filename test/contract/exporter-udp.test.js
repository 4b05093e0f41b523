'use strict';
// Contract: real SDK spans (2.x or 3.x) through Simple/BatchSpanProcessor into
// @xray-otel/exporter-udp, and a UDP listener on 127.0.0.1 standing in for the X-Ray daemon.
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const { AWSXRayUdpSpanExporter, ExportResultCode } = require('@xray-otel/exporter-udp');
const { api, sdk, createProvider, sdkPackage, sdkVersion, apiVersion } = require('./otel');

const LINE_3 = sdkPackage === '@opentelemetry/sdk-trace';

// 2.x: `new SimpleSpanProcessor(exporter)` / `new BatchSpanProcessor(exporter, config)`;
// 3.x (@opentelemetry/sdk-trace): one options object `{ exporter, ...config }`.
function simpleProcessor(exporter) {
  return LINE_3 ? new sdk.SimpleSpanProcessor({ exporter }) : new sdk.SimpleSpanProcessor(exporter);
}
function batchProcessor(exporter, config) {
  return LINE_3
    ? new sdk.BatchSpanProcessor({ exporter, ...config })
    : new sdk.BatchSpanProcessor(exporter, config);
}

/** A stand-in daemon: records datagrams split at the first newline, as the daemon does. */
function listen() {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1024 * 1024 });
  const received = [];
  let waiter;
  socket.on('message', (message) => {
    const newline = message.indexOf(0x0a);
    received.push({
      header: message.subarray(0, newline).toString('utf8'),
      document: JSON.parse(message.subarray(newline + 1).toString('utf8')),
    });
    if (waiter && received.length >= waiter.count) waiter.resolve();
  });
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        port: socket.address().port,
        received,
        waitFor(count) {
          if (received.length >= count) return Promise.resolve(received);
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`${received.length} of ${count} datagrams`)), 5000);
            waiter = {
              count,
              resolve: () => {
                clearTimeout(timer);
                res(received);
              },
            };
          });
        },
        close: () => new Promise((res) => socket.close(res)),
      }),
    );
  });
}

describe(`contract: @xray-otel/exporter-udp with ${sdkPackage} ${sdkVersion} / api ${apiVersion}`, () => {
  let daemon;
  let provider;

  beforeEach(async () => {
    daemon = await listen();
  });
  afterEach(async () => {
    if (provider) await provider.shutdown();
    provider = undefined;
    await daemon.close();
  });

  it('uses the SDK result codes', () => {
    const core = require('@opentelemetry/core');
    assert.equal(ExportResultCode.SUCCESS, core.ExportResultCode.SUCCESS);
    assert.equal(ExportResultCode.FAILED, core.ExportResultCode.FAILED);
  });

  it('SimpleSpanProcessor: a server span and its client child arrive as a segment and a subsegment', async () => {
    const exporter = new AWSXRayUdpSpanExporter({ daemonAddress: `127.0.0.1:${daemon.port}` });
    provider = createProvider({ spanProcessors: [simpleProcessor(exporter)] });
    const tracer = provider.getTracer('contract');
    const server = tracer.startSpan('GET /orders', {
      kind: api.SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.scheme': 'https',
        'server.address': 'shop.example.com',
        'url.path': '/orders',
        'http.response.status_code': 200,
      },
    });
    const client = tracer.startSpan(
      'GET',
      {
        kind: api.SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'GET',
          'url.full': 'http://stock/items',
          'http.response.status_code': 503,
        },
      },
      api.trace.setSpan(api.context.active(), server),
    );
    client.end();
    server.end();
    await provider.forceFlush();

    const received = await daemon.waitFor(2);
    for (const { header } of received) assert.equal(header, '{"format":"json","version":1}');
    const context = server.spanContext();
    const traceId = `1-${context.traceId.slice(0, 8)}-${context.traceId.slice(8)}`;
    const serverDoc = received.find((r) => r.document.id === context.spanId).document;
    const clientDoc = received.find((r) => r.document.id === client.spanContext().spanId).document;
    assert.equal(serverDoc.trace_id, traceId);
    assert.equal(serverDoc.type, undefined);
    assert.equal(serverDoc.http.response.status, 200);
    assert.equal(clientDoc.type, 'subsegment');
    assert.equal(clientDoc.trace_id, traceId);
    assert.equal(clientDoc.parent_id, context.spanId);
    assert.equal(clientDoc.fault, true);
    assert.equal(exporter.counters.documentsSent, 2);
  });

  it('BatchSpanProcessor: 300 spans arrive, shutdown flushes and closes', async () => {
    const exporter = new AWSXRayUdpSpanExporter({ daemonAddress: `127.0.0.1:${daemon.port}` });
    provider = createProvider({
      spanProcessors: [batchProcessor(exporter, { maxExportBatchSize: 128, scheduledDelayMillis: 50 })],
    });
    const tracer = provider.getTracer('contract');
    for (let i = 0; i < 300; i++) tracer.startSpan(`work-${i}`, { kind: api.SpanKind.SERVER }).end();
    await provider.shutdown();
    provider = undefined;
    const received = await daemon.waitFor(300);
    assert.equal(received.length, 300);
    const c = exporter.counters;
    assert.equal(c.spansReceived, 300);
    assert.equal(c.documentsSent, 300);
    assert.equal(c.pending, 0);
    // After the provider shut the exporter down, export fails (and is counted) rather than throwing.
    const result = await new Promise((resolve) => exporter.export([], resolve));
    assert.equal(result.code, ExportResultCode.FAILED);
  });
});
