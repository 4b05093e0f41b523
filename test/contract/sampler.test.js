'use strict';
// Contract: @xray-otel/sampler's AWSXRayRemoteSampler under AWSXRayParentBasedSampler in a real SDK
// tracer provider, with rules from a sampling API served by the test (run on OpenTelemetry JS 2.x
// here and on 3.x by test/compat-otel3).
const assert = require('node:assert/strict');
const http = require('node:http');
const { AWSXRayRemoteSampler, SAMPLING_RULE_ATTRIBUTE } = require('@xray-otel/sampler');
const { AWSXRayPropagator, AWSXRayParentBasedSampler } = require('@xray-otel/propagator');
const { api, createProvider, sdkPackage, sdkVersion, apiVersion } = require('./otel');

const rule = (name, priority, urlPath, fixedRate) => ({
  SamplingRule: {
    RuleName: name,
    RuleARN: `arn:aws:xray:us-east-1:123456789012:sampling-rule/${name}`,
    ResourceARN: '*',
    Priority: priority,
    FixedRate: fixedRate,
    ReservoirSize: 0,
    ServiceName: '*',
    ServiceType: '*',
    Host: '*',
    HTTPMethod: '*',
    URLPath: urlPath,
    Version: 1,
    Attributes: {},
  },
});
const RULES = [
  rule('keep-orders', 1, '/orders*', 1),
  rule('drop-health', 2, '/health', 0),
  rule('Default', 10000, '*', 0),
];

const ROOT = 'Root=1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';

describe(`contract: @xray-otel/sampler with ${sdkPackage} ${sdkVersion} / api ${apiVersion}`, () => {
  let server;
  let sampler;
  let provider;
  let tracer;
  const requests = [];
  const spans = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push({ url: req.url, body });
        const reply = req.url.startsWith('/GetSamplingRules')
          ? { SamplingRuleRecords: RULES }
          : { SamplingTargetDocuments: [], LastRuleModification: 0, UnprocessedStatistics: [] };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    sampler = new AWSXRayRemoteSampler({
      endpoint: `http://127.0.0.1:${server.address().port}`,
      resource: { attributes: { 'service.name': 'contract' } },
      pollingInterval: 300,
    });
    const recorder = {
      onStart() {},
      onEnd(span) {
        spans.push(span);
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    provider = createProvider({
      sampler: new AWSXRayParentBasedSampler({ root: sampler }),
      spanProcessors: [recorder],
    });
    tracer = provider.getTracer('contract');
    // The rules arrive asynchronously: wait (bounded) until the served rule decides.
    const deadline = Date.now() + 10000;
    for (;;) {
      const span = tracer.startSpan('probe', { attributes: { 'url.path': '/orders/1' } });
      span.end();
      if (span.attributes && span.attributes[SAMPLING_RULE_ATTRIBUTE] === 'keep-orders') break;
      if (Date.now() > deadline) throw new Error('the sampler did not load the served rules within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    spans.length = 0;
  });

  after(async () => {
    await provider.shutdown();
    await sampler.shutdown();
    await new Promise((resolve) => server.close(resolve));
  });

  function start(path, ctx = api.ROOT_CONTEXT) {
    const span = tracer.startSpan(
      `GET ${path}`,
      { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': path } },
      ctx,
    );
    span.end();
    return span;
  }
  const isSampled = (span) => (span.spanContext().traceFlags & api.TraceFlags.SAMPLED) !== 0;

  it('fetched the rules from the sampling API', () => {
    assert.ok(requests.some((r) => r.url.startsWith('/GetSamplingRules')));
  });

  it('root spans are sampled per rule, and the rule is recorded on sampled spans', () => {
    for (let i = 0; i < 20; i++) {
      const kept = start('/orders/42');
      assert.equal(isSampled(kept), true);
      assert.equal(kept.attributes[SAMPLING_RULE_ATTRIBUTE], 'keep-orders');
      assert.equal(isSampled(start('/health')), false);
    }
    assert.equal(
      spans.filter((s) => isSampled(s)).length,
      20,
      'only the /orders spans are sampled and reach the processor as sampled',
    );
  });

  it('a deferred parent (Sampled=?) is decided by the rules; Sampled=0/1 are obeyed', () => {
    const propagator = new AWSXRayPropagator();
    const extract = (sampled) =>
      propagator.extract(
        api.ROOT_CONTEXT,
        { 'x-amzn-trace-id': `${ROOT};Parent=${PARENT};Sampled=${sampled}` },
        api.defaultTextMapGetter,
      );
    const deferredKept = start('/orders/7', extract('?'));
    assert.equal(isSampled(deferredKept), true);
    assert.equal(deferredKept.spanContext().traceId, '5759e988bd862e3fe1be46a994272793');
    assert.equal(deferredKept.attributes[SAMPLING_RULE_ATTRIBUTE], 'keep-orders');
    assert.equal(isSampled(start('/health', extract('?'))), false);
    assert.equal(isSampled(start('/orders/7', extract('0'))), false);
    const forced = start('/health', extract('1'));
    assert.equal(isSampled(forced), true);
    assert.equal(forced.attributes[SAMPLING_RULE_ATTRIBUTE], undefined);
  });
});
