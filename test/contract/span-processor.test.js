'use strict';
// Contract: @xray-otel/span-processor in a real SDK (2.x or 3.x) before an in-memory exporter, and
// the exported spans through @xray-otel/translator. Attributes set after a span started (the route,
// the final name, a captured header) prove the SDK calls onEnding before the span is frozen.
const assert = require('node:assert/strict');
const { AWSXRaySpanProcessor } = require('@xray-otel/span-processor');
const { spanToSegments } = require('@xray-otel/translator');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { RPCType, setRPCMetadata } = require('@opentelemetry/core');
const { api, sdk, createProvider, sdkPackage, sdkVersion, apiVersion } = require('./otel');

function simpleProcessor(exporter) {
  return sdkPackage === '@opentelemetry/sdk-trace'
    ? new sdk.SimpleSpanProcessor({ exporter })
    : new sdk.SimpleSpanProcessor(exporter);
}

describe(`contract: @xray-otel/span-processor with ${sdkPackage} ${sdkVersion} / api ${apiVersion}`, () => {
  let exporter;
  let provider;
  let tracer;

  beforeEach(() => {
    exporter = new sdk.InMemorySpanExporter();
    provider = createProvider({
      resource: resourceFromAttributes({ 'service.name': 'orders (prod)' }),
      spanProcessors: [new AWSXRaySpanProcessor({ redact: true }), simpleProcessor(exporter)],
    });
    tracer = provider.getTracer('contract');
  });
  afterEach(() => provider.shutdown());

  function finished(name) {
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
    assert.ok(span, `no finished span ${name}`);
    return span;
  }

  it('a server span and an HTTP client call: LOCAL_ROOT, the final route, the downstream named by host:port', () => {
    const server = tracer.startSpan('GET', {
      kind: api.SpanKind.SERVER,
      attributes: { 'http.request.method': 'GET', 'url.path': '/users/42' },
    });
    const client = tracer.startSpan(
      'GET',
      {
        kind: api.SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'GET',
          'server.address': '10.0.0.7',
          'server.port': 8080,
          'url.full': 'http://10.0.0.7:8080/profiles/42?access_token=abc123',
        },
      },
      api.trace.setSpan(api.context.active(), server),
    );
    client.setAttribute('http.request.header.authorization', ['Bearer abc123']);
    client.end();
    server.setAttribute('http.route', '/users/:id');
    server.updateName('GET /users/:id');
    server.end();

    const serverSpan = finished('GET /users/:id');
    assert.equal(serverSpan.attributes['aws.span.kind'], 'LOCAL_ROOT');
    assert.equal(serverSpan.attributes['aws.local.service'], 'orders prod');
    assert.equal(serverSpan.attributes['aws.local.operation'], 'GET /users/:id');
    assert.equal(spanToSegments(serverSpan)[0].name, 'orders prod');

    const clientSpan = finished('GET');
    assert.equal(clientSpan.attributes['aws.span.kind'], 'CLIENT');
    assert.equal(clientSpan.attributes['aws.remote.service'], '10.0.0.7:8080');
    assert.equal(clientSpan.attributes['aws.remote.operation'], 'GET /profiles');
    assert.equal(clientSpan.attributes['aws.local.operation'], 'GET /users');
    assert.deepEqual(clientSpan.attributes['http.request.header.authorization'], ['REDACTED']);
    assert.equal(clientSpan.attributes['url.full'], 'http://10.0.0.7:8080/profiles/42?access_token=REDACTED');
    const [subsegment] = spanToSegments(clientSpan);
    assert.equal(subsegment.name, '10.0.0.7:8080');
    assert.equal(subsegment.namespace, 'remote');
  });

  it('a root client span: a segment named after the service plus the dependency subsegment', () => {
    tracer
      .startSpan('DynamoDB.GetItem', {
        kind: api.SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': 'DynamoDB',
          'rpc.method': 'GetItem',
          'aws.dynamodb.table_names': ['orders'],
        },
      })
      .end();
    const span = finished('DynamoDB.GetItem');
    assert.equal(span.attributes['aws.span.kind'], 'LOCAL_ROOT');
    assert.equal(span.attributes['aws.remote.service'], 'AWS::DynamoDB');
    assert.equal(span.attributes['aws.remote.resource.type'], 'AWS::DynamoDB::Table');
    assert.equal(span.attributes['aws.remote.resource.identifier'], 'orders');
    const [dependency, service] = spanToSegments(span);
    assert.equal(dependency.name, 'DynamoDB');
    assert.equal(dependency.namespace, 'aws');
    assert.equal(service.name, 'orders prod');
  });

  it("a child started while the request is routed inherits the route from @opentelemetry/core's RPC metadata", () => {
    const server = tracer.startSpan('GET', {
      kind: api.SpanKind.SERVER,
      attributes: { 'http.request.method': 'GET', 'url.path': '/users/42' },
    });
    const routed = setRPCMetadata(api.trace.setSpan(api.context.active(), server), {
      type: RPCType.HTTP,
      span: server,
      route: '/users/:id',
    });
    tracer
      .startSpan('SELECT', { kind: api.SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }, routed)
      .end();
    server.end();
    assert.equal(finished('SELECT').attributes['aws.local.operation'], 'GET /users/:id');
  });
});
