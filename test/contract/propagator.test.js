'use strict';
// Contract: the public API of @xray-otel/propagator with a real SDK tracer provider and the real
// context API (run on OpenTelemetry JS 2.x here and on 3.x by test/compat-otel3).
const assert = require('node:assert/strict');
const { AsyncLocalStorage } = require('node:async_hooks');
const {
  AWSXRayPropagator,
  AWSXRayLambdaPropagator,
  AWSXRayParentBasedSampler,
  isSamplingDeferred,
  isRootOnlyParent,
  runWithLambdaTraceHeader,
} = require('@xray-otel/propagator');
const { api, sdk, createProvider, sdkPackage, sdkVersion, apiVersion } = require('./otel');

const ROOT = 'Root=1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';

/** Minimal AsyncLocalStorage context manager (the contract tests install no context-async-hooks). */
class AlsContextManager {
  constructor() {
    this._als = new AsyncLocalStorage();
  }
  active() {
    return this._als.getStore() || api.ROOT_CONTEXT;
  }
  with(context, fn, thisArg, ...args) {
    return this._als.run(context, () => fn.call(thisArg, ...args));
  }
  bind(_context, target) {
    return target;
  }
  enable() {
    return this;
  }
  disable() {
    return this;
  }
}

describe(`contract: @xray-otel/propagator with ${sdkPackage} ${sdkVersion} / api ${apiVersion}`, () => {
  const propagator = new AWSXRayPropagator();
  before(() => {
    api.context.setGlobalContextManager(new AlsContextManager());
    api.propagation.setGlobalPropagator(propagator);
  });
  after(() => {
    api.context.disable();
    api.propagation.disable();
  });

  function tracerWith(sampler) {
    // A recording processor of our own: SimpleSpanProcessor's constructor differs between 2.x and 3.x.
    const spans = [];
    const recorder = {
      onStart() {},
      onEnd(span) {
        if (span.spanContext().traceFlags & api.TraceFlags.SAMPLED) spans.push(span);
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const provider = createProvider({ sampler, spanProcessors: [recorder] });
    return { tracer: provider.getTracer('contract'), finished: async () => spans };
  }

  function inject() {
    const carrier = {};
    api.propagation.inject(api.context.active(), carrier);
    return carrier['x-amzn-trace-id'];
  }

  it('extract -> real child span -> inject continues the trace with the child as Parent', async () => {
    const { tracer, finished } = tracerWith(new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() }));
    const extracted = api.propagation.extract(api.ROOT_CONTEXT, {
      'x-amzn-trace-id': `${ROOT};Parent=${PARENT};Sampled=1;Lineage=10:1234abcd:3`,
    });
    const header = api.context.with(extracted, () =>
      tracer.startActiveSpan('server', (span) => {
        const out = inject();
        span.end();
        return out;
      }),
    );
    const [span] = await finished();
    assert.equal(span.spanContext().traceId, '5759e988bd862e3fe1be46a994272793');
    const parentSpanId = span.parentSpanContext ? span.parentSpanContext.spanId : span.parentSpanId;
    assert.equal(parentSpanId, PARENT);
    assert.equal(header, `${ROOT};Parent=${span.spanContext().spanId};Sampled=1;Lineage=10:1234abcd:3`);
  });

  it('Sampled=0 is obeyed by the SDK ParentBasedSampler and by ours; header says Sampled=0', async () => {
    for (const sampler of [
      new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
      new AWSXRayParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    ]) {
      const { tracer, finished } = tracerWith(sampler);
      const extracted = api.propagation.extract(api.ROOT_CONTEXT, {
        'x-amzn-trace-id': `${ROOT};Parent=${PARENT};Sampled=0`,
      });
      const header = api.context.with(extracted, () =>
        tracer.startActiveSpan('server', (span) => {
          const out = inject();
          span.end();
          return out;
        }),
      );
      assert.equal((await finished()).length, 0);
      assert.match(header, /^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=0$/);
    }
  });

  it('Sampled=? is decided by the root sampler of AWSXRayParentBasedSampler', async () => {
    for (const [root, expected] of [
      [new sdk.AlwaysOnSampler(), 1],
      [new sdk.AlwaysOffSampler(), 0],
    ]) {
      const { tracer, finished } = tracerWith(new AWSXRayParentBasedSampler({ root }));
      const extracted = api.propagation.extract(api.ROOT_CONTEXT, {
        'x-amzn-trace-id': `${ROOT};Parent=${PARENT};Sampled=?`,
      });
      assert.ok(isSamplingDeferred(extracted));
      api.context.with(extracted, () => tracer.startSpan('server').end());
      assert.equal((await finished()).length, expected);
    }
  });

  it('root only (ALB): the span joins the trace, its parent is the derived synthetic id, no tracestate', async () => {
    const { tracer, finished } = tracerWith(
      new AWSXRayParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    );
    const extracted = api.propagation.extract(api.ROOT_CONTEXT, { 'x-amzn-trace-id': `Self=1-1-1;${ROOT}` });
    assert.equal(api.context.with(extracted, inject), ROOT);
    api.context.with(extracted, () => tracer.startSpan('server').end());
    const [span] = await finished();
    assert.equal(span.spanContext().traceId, '5759e988bd862e3fe1be46a994272793');
    const parent = span.parentSpanContext || { spanId: span.parentSpanId };
    const remote = api.trace.getSpanContext(extracted);
    assert.equal(parent.spanId, remote.spanId);
    assert.ok(isRootOnlyParent(span.spanContext().traceId, parent.spanId));
    // Nothing marks it, so nothing is inherited into outgoing W3C tracestate headers.
    assert.equal(remote.traceState, undefined);
    assert.equal(span.spanContext().traceState, undefined);
    // The span itself is no synthetic parent.
    assert.equal(isRootOnlyParent(span.spanContext().traceId, span.spanContext().spanId), false);
  });

  it('garbage extracts to the same context and injects nothing', async () => {
    const extracted = api.propagation.extract(api.ROOT_CONTEXT, { 'x-amzn-trace-id': 'garbage' });
    assert.equal(extracted, api.ROOT_CONTEXT);
    assert.equal(api.context.with(extracted, inject), undefined);
  });

  it('Lambda: the invocation header is the parent of the handler span', async () => {
    const lambda = new AWSXRayLambdaPropagator();
    const { tracer, finished } = tracerWith(new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() }));
    runWithLambdaTraceHeader(`${ROOT};Parent=${PARENT};Sampled=1`, () => {
      const extracted = lambda.extract(api.ROOT_CONTEXT, {}, api.defaultTextMapGetter);
      api.context.with(extracted, () => tracer.startSpan('handler').end());
    });
    const [span] = await finished();
    const parentSpanId = span.parentSpanContext ? span.parentSpanContext.spanId : span.parentSpanId;
    assert.equal(parentSpanId, PARENT);
  });
});
