import * as assert from 'node:assert/strict';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import {
  AWSXRayLambdaPropagator,
  getLambdaTraceHeader,
  runWithLambdaTraceHeader,
} from '../src/lambda-propagator';
import { isSamplingDeferred } from '../src/context-keys';

const ENV = '_X_AMZN_TRACE_ID';
const MAX_CONCURRENCY = 'AWS_LAMBDA_MAX_CONCURRENCY';
const LAMBDA_HEADER =
  'Root=1-5759e988-bd862e3fe1be46a994272799;Parent=32004dd2df090965;Sampled=1;Lineage=10:1234abcd:3';
const REQUEST_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0';

type Global = { awslambda?: { InvokeStore?: { getXRayTraceId?: () => unknown } } };

describe('AWSXRayLambdaPropagator', () => {
  const propagator = new AWSXRayLambdaPropagator();
  const saved = { env: process.env[ENV], max: process.env[MAX_CONCURRENCY] };

  function restore(name: string, value: string | undefined): void {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }

  beforeEach(() => {
    delete process.env[ENV];
    delete process.env[MAX_CONCURRENCY];
    delete (globalThis as Global).awslambda;
  });
  after(() => {
    restore(ENV, saved.env);
    restore(MAX_CONCURRENCY, saved.max);
    delete (globalThis as Global).awslambda;
  });

  function extractSpanId(carrier: Record<string, string> = {}, context = ROOT_CONTEXT): string | undefined {
    return trace.getSpanContext(propagator.extract(context, carrier, defaultTextMapGetter))?.spanId;
  }

  it('reads _X_AMZN_TRACE_ID at extract time, over the request header', () => {
    assert.equal(extractSpanId({ 'x-amzn-trace-id': REQUEST_HEADER }), '53995c3f42cd8ad8');
    process.env[ENV] = LAMBDA_HEADER;
    assert.equal(extractSpanId({ 'x-amzn-trace-id': REQUEST_HEADER }), '32004dd2df090965');
    process.env[ENV] = LAMBDA_HEADER.replace('32004dd2df090965', '1111111111111111');
    assert.equal(extractSpanId(), '1111111111111111');
  });

  it('keeps the request header when the Lambda header is invalid', () => {
    process.env[ENV] = 'garbage';
    assert.equal(extractSpanId({ 'x-amzn-trace-id': REQUEST_HEADER }), '53995c3f42cd8ad8');
    process.env[ENV] = '';
    assert.equal(getLambdaTraceHeader(), undefined);
  });

  it('a valid span already in the context wins over the Lambda header', () => {
    process.env[ENV] = LAMBDA_HEADER;
    const existing = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
    });
    assert.equal(extractSpanId({}, existing), 'b'.repeat(16));
  });

  it('runWithLambdaTraceHeader wins, per async context (concurrent invocations)', async () => {
    process.env[ENV] = LAMBDA_HEADER;
    const headerFor = (n: number) =>
      `Root=1-5759e988-bd862e3fe1be46a99427279${n};Parent=${String(n).repeat(16)};Sampled=1`;
    const seen = await Promise.all(
      [1, 2, 3].map((n) =>
        runWithLambdaTraceHeader(headerFor(n), async () => {
          await new Promise((resolve) => setTimeout(resolve, 5 * (4 - n)));
          return extractSpanId();
        }),
      ),
    );
    assert.deepEqual(seen, ['1111111111111111', '2222222222222222', '3333333333333333']);
    assert.equal(extractSpanId(), '32004dd2df090965');
  });

  it("uses the Lambda runtime's invoke store, and ignores the env var under multi-concurrency", () => {
    process.env[ENV] = LAMBDA_HEADER;
    process.env[MAX_CONCURRENCY] = '64';
    assert.equal(getLambdaTraceHeader(), undefined);
    (globalThis as Global).awslambda = { InvokeStore: { getXRayTraceId: () => REQUEST_HEADER } };
    assert.equal(getLambdaTraceHeader(), REQUEST_HEADER);
    (globalThis as Global).awslambda = { InvokeStore: { getXRayTraceId: () => undefined } };
    assert.equal(getLambdaTraceHeader(), undefined);
    delete process.env[MAX_CONCURRENCY];
    assert.equal(getLambdaTraceHeader(), LAMBDA_HEADER);
  });

  it('never throws, even when the runtime store does', () => {
    (globalThis as Global).awslambda = {
      InvokeStore: {
        getXRayTraceId: () => {
          throw new Error('boom');
        },
      },
    };
    assert.equal(propagator.extract(ROOT_CONTEXT, {}, defaultTextMapGetter), ROOT_CONTEXT);
  });

  it('injects like AWSXRayPropagator, with the Lineage Lambda gave', () => {
    process.env[ENV] = LAMBDA_HEADER.replace('Sampled=1', 'Sampled=?');
    const ctx = propagator.extract(ROOT_CONTEXT, {}, defaultTextMapGetter);
    assert.ok(isSamplingDeferred(ctx));
    const child = trace.setSpanContext(ctx, {
      traceId: '5759e988bd862e3fe1be46a994272799',
      spanId: 'cccccccccccccccc',
      traceFlags: TraceFlags.SAMPLED,
    });
    const carrier: Record<string, string> = {};
    propagator.inject(child, carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, {
      'x-amzn-trace-id':
        'Root=1-5759e988-bd862e3fe1be46a994272799;Parent=cccccccccccccccc;Sampled=1;Lineage=10:1234abcd:3',
    });
    assert.deepEqual(propagator.fields(), ['x-amzn-trace-id']);
  });
});
