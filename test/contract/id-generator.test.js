'use strict';
// Contract: the public API of @xray-otel/id-generator inside a real SDK tracer provider.
const assert = require('node:assert/strict');
const { AWSXRayIdGenerator } = require('@xray-otel/id-generator');
const { api, createProvider, sdkPackage, sdkVersion, apiVersion } = require('./otel');

describe(`contract: @xray-otel/id-generator with ${sdkPackage} ${sdkVersion} / api ${apiVersion}`, () => {
  it('gives the SDK X-Ray trace IDs and valid span IDs', () => {
    const provider = createProvider({ idGenerator: new AWSXRayIdGenerator() });
    const tracer = provider.getTracer('contract');
    const before = Math.floor(Date.now() / 1000);
    const span = tracer.startSpan('work');
    const context = span.spanContext();
    span.end();
    assert.ok(api.isSpanContextValid(context));
    const epoch = parseInt(context.traceId.slice(0, 8), 16);
    assert.ok(epoch >= before && epoch <= before + 2);
    assert.match(context.spanId, /^[0-9a-f]{16}$/);
  });
});
