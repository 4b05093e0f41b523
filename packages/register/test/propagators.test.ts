import * as assert from 'node:assert/strict';
import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { AWSXRayLambdaPropagator, AWSXRayPropagator } from '@xray-otel/propagator';
import { createPropagator, getPropagatorNames } from '../src/propagators';
import { captureDiag } from './diag-capture';

// core comes from sdk-node's own dependency (maybe another copy than the workspace's): compare names.
function kind(value: unknown): string | undefined {
  return (value as object | null)?.constructor.name;
}

describe('register propagators', () => {
  it('names: option, else OTEL_PROPAGATORS, else xray,tracecontext,baggage', () => {
    assert.deepEqual(getPropagatorNames({}), ['xray', 'tracecontext', 'baggage']);
    assert.deepEqual(getPropagatorNames({ OTEL_PROPAGATORS: 'TraceContext, xray-lambda,tracecontext' }), [
      'tracecontext',
      'xray-lambda',
    ]);
    assert.deepEqual(getPropagatorNames({ OTEL_PROPAGATORS: 'tracecontext' }, ['xray']), ['xray']);
    assert.deepEqual(getPropagatorNames({ OTEL_PROPAGATORS: '' }), ['xray', 'tracecontext', 'baggage']);
  });

  it('Lambda default: xray-lambda first (the invocation trace header), then tracecontext, baggage', () => {
    assert.deepEqual(getPropagatorNames({ AWS_LAMBDA_FUNCTION_NAME: 'f' }), [
      'xray-lambda',
      'tracecontext',
      'baggage',
    ]);
    assert.deepEqual(getPropagatorNames({ AWS_LAMBDA_FUNCTION_NAME: 'f', OTEL_PROPAGATORS: 'xray' }), [
      'xray',
    ]);
  });

  it('default: a composite that injects X-Amzn-Trace-Id, traceparent and baggage', () => {
    const propagator = createPropagator(getPropagatorNames({}));
    assert.equal(kind(propagator), 'CompositePropagator');
    assert.deepEqual(propagator!.fields(), ['x-amzn-trace-id', 'traceparent', 'tracestate', 'baggage']);
  });

  it('extracts an X-Ray header, including a Root-only one, through the default composite', () => {
    const propagator = createPropagator(getPropagatorNames({}))!;
    const ctx = propagator.extract(
      ROOT_CONTEXT,
      { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' },
      defaultTextMapGetter,
    );
    assert.equal(trace.getSpanContext(ctx)?.traceId, '5759e988bd862e3fe1be46a994272793');
    const carrier: Record<string, string> = {};
    propagator.inject(ctx, carrier, defaultTextMapSetter);
    assert.match(
      carrier['x-amzn-trace-id'],
      /^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1/,
    );
  });

  it('one name gives that propagator itself', () => {
    assert.ok(createPropagator(['xray']) instanceof AWSXRayPropagator);
    assert.ok(createPropagator(['xray-lambda']) instanceof AWSXRayLambdaPropagator);
    assert.equal(kind(createPropagator(['tracecontext'])), 'W3CTraceContextPropagator');
    assert.equal(kind(createPropagator(['baggage'])), 'W3CBaggagePropagator');
  });

  it('none gives null (NodeSDK then leaves the global propagator alone), with a warning if mixed', () => {
    assert.equal(createPropagator(['none']), null);
    const { result, messages } = captureDiag(() => createPropagator(['xray', 'none']));
    assert.equal(result, null);
    assert.match(messages[0], /"none" with other names/);
  });

  it('unknown names are reported and skipped; only unknown names give null', () => {
    const { result, messages } = captureDiag(() => createPropagator(['b3', 'xray']));
    assert.ok(result instanceof AWSXRayPropagator);
    assert.match(
      messages[0],
      /^warn: @xray-otel\/register: Propagator "b3" requested through OTEL_PROPAGATORS is unknown/,
    );
    const only = captureDiag(() => createPropagator(['jaeger']));
    assert.equal(only.result, null);
  });

  it('names: unknown ones are said and dropped; none left means the default, said too', () => {
    const some = captureDiag(() => getPropagatorNames({ OTEL_PROPAGATORS: 'b3,xray' }));
    assert.deepEqual(some.result, ['xray']);
    assert.deepEqual(some.messages, [
      'warn: @xray-otel/register: OTEL_PROPAGATORS: "b3" unknown to @xray-otel/register ' +
        '(known: xray, xray-lambda, tracecontext, baggage, none); using xray.',
    ]);
    const none = captureDiag(() => getPropagatorNames({ OTEL_PROPAGATORS: 'b3,jaeger' }));
    assert.deepEqual(none.result, ['xray', 'tracecontext', 'baggage']);
    assert.match(
      none.messages[0],
      /"b3", "jaeger" unknown .*; using xray,tracecontext,baggage \(the default\)\.$/,
    );
    const lambda = captureDiag(() =>
      getPropagatorNames({ OTEL_PROPAGATORS: 'b3', AWS_LAMBDA_FUNCTION_NAME: 'f' }),
    );
    assert.deepEqual(lambda.result, ['xray-lambda', 'tracecontext', 'baggage']);
    assert.deepEqual(captureDiag(() => getPropagatorNames({ OTEL_PROPAGATORS: 'none,b3' })).result, [
      'none',
      'b3',
    ]);
  });
});
