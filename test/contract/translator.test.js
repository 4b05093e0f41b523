'use strict';
// Contract: real SDK spans (2.x or 3.x) through an InMemorySpanExporter into @xray-otel/translator.
const assert = require('node:assert/strict');
const { spanToSegments, TranslationError } = require('@xray-otel/translator');
const { api, sdk, createProvider, sdkPackage, sdkVersion, apiVersion } = require('./otel');

// 2.x: `new SimpleSpanProcessor(exporter)`; 3.x (@opentelemetry/sdk-trace): `new SimpleSpanProcessor({ exporter })`.
function simpleProcessor(exporter) {
  return sdkPackage === '@opentelemetry/sdk-trace'
    ? new sdk.SimpleSpanProcessor({ exporter })
    : new sdk.SimpleSpanProcessor(exporter);
}

describe(`contract: @xray-otel/translator with ${sdkPackage} ${sdkVersion} / api ${apiVersion}`, () => {
  let exporter;
  let provider;
  let tracer;

  beforeEach(() => {
    exporter = new sdk.InMemorySpanExporter();
    provider = createProvider({ spanProcessors: [simpleProcessor(exporter)] });
    tracer = provider.getTracer('contract');
  });
  afterEach(() => provider.shutdown());

  it('translates a server span with HTTP attributes and a client child with an exception', () => {
    const server = tracer.startSpan('GET /orders', {
      kind: api.SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.scheme': 'https',
        'server.address': 'shop.example.com',
        'url.path': '/orders',
        'http.response.status_code': 200,
        'user_agent.original': 'curl/8',
        'enduser.id': 'alice',
        'order.count': 3,
      },
    });
    const parentContext = api.trace.setSpan(api.context.active(), server);
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
      parentContext,
    );
    client.recordException(new Error('stock down'));
    client.setStatus({ code: api.SpanStatusCode.ERROR });
    client.end();
    server.end();

    const spans = exporter.getFinishedSpans();
    assert.equal(spans.length, 2);
    const [clientDoc] = spanToSegments(spans[0]);
    const [serverDoc] = spanToSegments(spans[1]);
    const serverContext = server.spanContext();

    assert.equal(serverDoc.id, serverContext.spanId);
    assert.equal(
      serverDoc.trace_id,
      `1-${serverContext.traceId.slice(0, 8)}-${serverContext.traceId.slice(8)}`,
    );
    assert.equal(serverDoc.type, undefined);
    assert.equal(serverDoc.parent_id, undefined);
    assert.equal(serverDoc.http.request.url, 'https://shop.example.com/orders');
    assert.equal(serverDoc.http.request.method, 'GET');
    assert.equal(serverDoc.http.response.status, 200);
    assert.equal(serverDoc.user, 'alice');
    assert.equal(serverDoc.metadata.default['order.count'], 3);
    assert.equal(typeof serverDoc.start_time, 'number');
    assert.ok(serverDoc.end_time >= serverDoc.start_time);

    assert.equal(clientDoc.type, 'subsegment');
    assert.equal(clientDoc.parent_id, serverContext.spanId);
    assert.equal(clientDoc.namespace, 'remote');
    assert.equal(clientDoc.fault, true);
    assert.equal(clientDoc.http.request.url, 'http://stock/items');
    assert.equal(clientDoc.cause.exceptions[0].message, 'stock down');
    assert.equal(clientDoc.cause.exceptions[0].type, 'Error');
    assert.equal(clientDoc.cause.exceptions[0].remote, true);
    assert.match(clientDoc.cause.exceptions[0].id, /^[0-9a-f]{16}$/);
  });

  it('rejects an expired trace id with a TranslationError when validation is on', () => {
    tracer.startSpan('old').end();
    const [span] = exporter.getFinishedSpans();
    assert.throws(
      () => spanToSegments(span, { skipTimestampValidation: false, now: () => 0 }),
      (error) => error instanceof TranslationError && error.reason === 'expired-trace-id',
    );
  });
});
