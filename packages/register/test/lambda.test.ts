import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DiagLogLevel,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  defaultTextMapGetter,
  diag,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AwsLambdaInstrumentation } from '@opentelemetry/instrumentation-aws-lambda';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { AWSXRayIdGenerator } from '@xray-otel/id-generator';
import { AWSXRayLambdaPropagator, AWSXRayParentBasedSampler } from '@xray-otel/propagator';
import {
  TRACER_NAME,
  flushAfterInvocation,
  forceFlushTracing,
  invokeHandler,
  isInvocationSpan,
} from '../src/lambda';

/** A tracer provider that counts flushes (the global one, through the API's proxy). */
function installProvider(forceFlush: () => Promise<void>): { flushes: number } {
  const state = { flushes: 0 };
  const provider = {
    getTracer: () => ({ startSpan: () => trace.wrapSpanContext(INVALID_SPAN_CONTEXT) }),
    forceFlush: () => {
      state.flushes += 1;
      return forceFlush();
    },
  };
  trace.disable();
  trace.setGlobalTracerProvider(provider as unknown as TracerProvider);
  return state;
}

/** Diag messages while the promise of `fn` runs. */
async function captureDiagAsync(fn: () => Promise<unknown>): Promise<string[]> {
  const messages: string[] = [];
  const record = (message: string): void => {
    messages.push(message);
  };
  diag.setLogger(
    { error: record, warn: record, info: record, debug: record, verbose: record },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  try {
    await fn();
  } finally {
    diag.disable();
  }
  return messages;
}

/**
 * The real SDK as the global provider, with register's sampler rule and a batch processor that
 * would wait a minute: spans seen right after an invocation prove the wrapper flushed them.
 */
function installSdk(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    idGenerator: new AWSXRayIdGenerator(),
    sampler: new AWSXRayParentBasedSampler({ root: { shouldSample: () => ({ decision: 2 }) } }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })],
  });
  trace.disable();
  trace.setGlobalTracerProvider(provider);
  return exporter;
}

const ROOT = '5759e988bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';
const HEADER = `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${PARENT};Sampled=1`;
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:checkout';

function lambdaContext(overrides: Record<string, unknown> = {}) {
  return {
    functionName: 'checkout',
    awsRequestId: 'req-1',
    invokedFunctionArn: ARN,
    xRayTraceId: HEADER,
    ...overrides,
  };
}

const byName = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const span = spans.find((s) => s.name === name);
  assert.ok(span, `${name} in ${spans.map((s) => s.name).join(', ')}`);
  return span;
};

/** The invocation span and the handler's child, checked against the header. */
function assertInvocation(spans: ReadableSpan[], child = 'handler-child'): ReadableSpan {
  const invocation = byName(spans, 'checkout');
  assert.equal(invocation.kind, SpanKind.SERVER);
  assert.equal(invocation.spanContext().traceId, ROOT);
  assert.equal(invocation.parentSpanContext?.spanId, PARENT);
  assert.equal(invocation.parentSpanContext?.isRemote, true);
  const inner = byName(spans, child);
  assert.equal(inner.spanContext().traceId, ROOT);
  assert.equal(inner.parentSpanContext?.spanId, invocation.spanContext().spanId);
  return invocation;
}

const childSpan = (): void => trace.getTracer('app').startSpan('handler-child').end();

describe('register lambda: flushAfterInvocation', () => {
  before(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  after(() => context.disable());
  afterEach(() => {
    trace.disable();
    propagation.disable();
  });

  describe('the invocation span (real SDK)', () => {
    it('async handler: the span joins the header, the handler spans are its children, flushed', async () => {
      const exporter = installSdk();
      const handler = flushAfterInvocation(async (event: { n: number }) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        childSpan();
        return event.n * 2;
      });
      assert.equal(await handler({ n: 21 }, lambdaContext()), 42);
      const invocation = assertInvocation(exporter.getFinishedSpans());
      assert.equal(invocation.instrumentationScope.name, TRACER_NAME);
      // A cold start, unless this process started over 10 s ago (lambda-span.test.ts has the rule).
      assert.equal(typeof invocation.attributes['faas.coldstart'], 'boolean');
      assert.deepEqual(invocation.attributes, {
        'faas.coldstart': invocation.attributes['faas.coldstart'],
        'faas.invocation_id': 'req-1',
        'cloud.resource_id': ARN,
        'cloud.account.id': '123456789012',
      });
      assert.equal(invocation.status.code, SpanStatusCode.UNSET);
      // The second invocation of the same wrapper is warm.
      exporter.reset();
      await handler({ n: 1 }, lambdaContext({ awsRequestId: 'req-2' }));
      const second = byName(exporter.getFinishedSpans(), 'checkout');
      assert.equal(second.attributes['faas.coldstart'], false);
      assert.equal(second.attributes['faas.invocation_id'], 'req-2');
    });

    it('sync handler returning a value', async () => {
      const exporter = installSdk();
      const result = await flushAfterInvocation((event: string) => {
        childSpan();
        return `sync ${event}`;
      })('ok', lambdaContext());
      assert.equal(result, 'sync ok');
      assertInvocation(exporter.getFinishedSpans());
    });

    it('callback handler: resolves on callback(null, result), the span ends before the flush', async () => {
      const exporter = installSdk();
      const handler = flushAfterInvocation(
        (event: string, _context: object, callback: (error: unknown, result?: string) => void) => {
          setTimeout(() => {
            childSpan();
            callback(null, `cb ${event}`);
          }, 5);
        },
      );
      assert.equal(await handler('ok', lambdaContext()), 'cb ok');
      assertInvocation(exporter.getFinishedSpans());
    });

    it('errors thrown, rejected or given to the callback: re-raised unchanged, recorded', async () => {
      const exporter = installSdk();
      const thrown = new Error('thrown');
      const rejected = new TypeError('rejected');
      const called = { code: 'E_CALLBACK', message: 'given to the callback' };
      const handlers = [
        flushAfterInvocation(() => {
          childSpan();
          throw thrown;
        }),
        flushAfterInvocation(async () => {
          childSpan();
          throw rejected;
        }),
        flushAfterInvocation((_e: unknown, _c: object, callback: (error: unknown) => void) => {
          childSpan();
          callback(called);
        }),
        flushAfterInvocation((_e: unknown, _c: object, callback: (error: unknown) => void) =>
          callback('a string'),
        ),
      ];
      const expected: [unknown, string][] = [
        [thrown, 'thrown'],
        [rejected, 'rejected'],
        [called, 'given to the callback'],
        ['a string', 'a string'],
      ];
      for (let i = 0; i < handlers.length; i++) {
        exporter.reset();
        await assert.rejects(handlers[i]({}, lambdaContext()), (error: unknown) => {
          assert.equal(error, expected[i][0]);
          return true;
        });
        const invocation = byName(exporter.getFinishedSpans(), 'checkout');
        assert.deepEqual(invocation.status, { code: SpanStatusCode.ERROR, message: expected[i][1] });
        const event = invocation.events.find((e) => e.name === 'exception');
        assert.equal(event?.attributes?.['exception.message'], expected[i][1]);
      }
    });

    it('Sampled=0: nothing is exported, the handler runs', async () => {
      const exporter = installSdk();
      const result = await flushAfterInvocation(() => {
        childSpan();
        return 'done';
      })(
        {},
        lambdaContext({ xRayTraceId: `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${PARENT};Sampled=0` }),
      );
      assert.equal(result, 'done');
      assert.deepEqual(exporter.getFinishedSpans(), []);
    });

    it('no context.xRayTraceId: _X_AMZN_TRACE_ID, and the name from AWS_LAMBDA_FUNCTION_NAME', async () => {
      const exporter = installSdk();
      process.env._X_AMZN_TRACE_ID = HEADER;
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'checkout';
      try {
        await flushAfterInvocation(childSpan)({}, {});
      } finally {
        delete process.env._X_AMZN_TRACE_ID;
        delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      }
      const invocation = assertInvocation(exporter.getFinishedSpans());
      assert.deepEqual(Object.keys(invocation.attributes), ['faas.coldstart']);
    });

    it('no header at all: a new trace; an X-Amzn-Trace-Id in the event headers (any case) is used', async () => {
      const exporter = installSdk();
      await flushAfterInvocation(childSpan)({}, lambdaContext({ xRayTraceId: undefined }));
      const alone = byName(exporter.getFinishedSpans(), 'checkout');
      assert.equal(alone.parentSpanContext, undefined);
      assert.equal(
        byName(exporter.getFinishedSpans(), 'handler-child').spanContext().traceId,
        alone.spanContext().traceId,
      );
      exporter.reset();
      const event = {
        headers: { 'X-Amzn-Trace-Id': HEADER, Host: 'api.example.com', 'X-Forwarded-Proto': 'https' },
        path: '/orders',
        queryStringParameters: { id: '7' },
      };
      await flushAfterInvocation(childSpan)(event, lambdaContext({ xRayTraceId: '' }));
      const invocation = assertInvocation(exporter.getFinishedSpans());
      assert.equal(invocation.attributes['url.full'], 'https://api.example.com/orders?id=7');
    });

    it('inside an active span already: that span is the parent', async () => {
      const exporter = installSdk();
      const tracer = trace.getTracer('outer');
      await tracer.startActiveSpan('outer', async (outer) => {
        await flushAfterInvocation(childSpan)({}, lambdaContext());
        outer.end();
      });
      await forceFlushTracing();
      const outer = byName(exporter.getFinishedSpans(), 'outer');
      const invocation = byName(exporter.getFinishedSpans(), 'checkout');
      assert.equal(invocation.parentSpanContext?.spanId, outer.spanContext().spanId);
    });

    it('wrapped twice: one invocation span', async () => {
      const exporter = installSdk();
      await flushAfterInvocation(flushAfterInvocation(childSpan))({}, lambdaContext());
      assert.equal(exporter.getFinishedSpans().filter((s) => s.name === 'checkout').length, 1);
      assertInvocation(exporter.getFinishedSpans());
    });
  });

  describe('with the real aws-lambda instrumentation', () => {
    let dir: string;
    const saved: Record<string, string | undefined> = {};
    const env = (): Record<string, string> => ({
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: 'index.handler',
      _X_AMZN_TRACE_ID: HEADER,
    });

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'xray-lambda-'));
      // The handler module the instrumentation patches; the wrapped handler comes from this test.
      writeFileSync(join(dir, 'index.js'), 'exports.handler = globalThis.__xrayOtelTestHandler;\n');
      for (const [key, value] of Object.entries(env())) {
        saved[key] = process.env[key];
        process.env[key] = value;
      }
    });
    after(() => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      delete (globalThis as { __xrayOtelTestHandler?: unknown }).__xrayOtelTestHandler;
      rmSync(dir, { recursive: true, force: true });
    });

    it("exactly one invocation span (the instrumentation's); the handler spans are its children", async () => {
      const exporter = installSdk();
      propagation.setGlobalPropagator(new AWSXRayLambdaPropagator());
      (globalThis as { __xrayOtelTestHandler?: unknown }).__xrayOtelTestHandler = flushAfterInvocation(
        async () => {
          childSpan();
          return 'instrumented';
        },
      );
      const instrumentation = new AwsLambdaInstrumentation();
      instrumentation.setTracerProvider(trace.getTracerProvider());
      instrumentation.enable();
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(join(dir, 'index.js')) as {
          handler: (event: unknown, context: unknown) => Promise<unknown>;
        };
        assert.equal(await module.handler({}, lambdaContext()), 'instrumented');
      } finally {
        instrumentation.disable();
      }
      const spans = exporter.getFinishedSpans();
      const invocations = spans.filter((s) => s.kind === SpanKind.SERVER);
      assert.equal(
        invocations.length,
        1,
        spans.map((s) => `${s.name}/${s.instrumentationScope.name}`).join(),
      );
      assert.equal(invocations[0].instrumentationScope.name, '@opentelemetry/instrumentation-aws-lambda');
      assertInvocation(spans);
    });
  });

  describe('ES modules', () => {
    it("import { flushAfterInvocation } from '@xray-otel/register/lambda' in a .mjs handler", async () => {
      const fixture = join(__dirname, 'fixtures', 'lambda-esm.mjs');
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [fixture, HEADER],
          { env: { PATH: process.env.PATH ?? '' } },
          (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
        ),
      );
      const result = JSON.parse(stdout) as {
        result: string;
        spans: { name: string; traceId: string; spanId: string; parentSpanId?: string; kind: number }[];
      };
      assert.equal(result.result, 'esm ok');
      const invocation = result.spans.find((s) => s.name === 'esm-fn');
      const inner = result.spans.find((s) => s.name === 'esm-child');
      assert.ok(invocation && inner, stdout);
      assert.equal(invocation.kind, SpanKind.SERVER);
      assert.equal(invocation.traceId, ROOT);
      assert.equal(invocation.parentSpanId, PARENT);
      assert.equal(inner.parentSpanId, invocation.spanId);
    });
  });

  describe('invokeHandler and isInvocationSpan', () => {
    it('a callback handler that also returns a promise: the first to settle wins', async () => {
      assert.equal(
        await invokeHandler(
          async (_e: unknown, _c: unknown, callback: (error: unknown, result: string) => void) => {
            callback(null, 'callback first');
            return 'promise later';
          },
          {},
          {},
        ),
        'callback first',
      );
      assert.equal(
        await invokeHandler(
          (_e: unknown, _c: unknown, _callback: (error: unknown, result: string) => void) =>
            Promise.resolve('promise'),
          {},
          {},
        ),
        'promise',
      );
      await assert.rejects(
        invokeHandler(
          (_e: unknown, _c: unknown, _callback: unknown) => Promise.reject(new Error('promise failed')),
          {},
          {},
        ),
        /promise failed/,
      );
      await assert.rejects(
        invokeHandler(
          (_e: unknown, _c: unknown, _callback: unknown) => {
            throw new Error('sync');
          },
          {},
          {},
        ),
        /sync/,
      );
    });

    it('a SERVER span with this request ID is an invocation span; others are not', () => {
      const provider = new BasicTracerProvider();
      const tracer = provider.getTracer('elsewhere');
      const server = tracer.startSpan('fn', {
        kind: SpanKind.SERVER,
        attributes: { 'faas.invocation_id': 'req-1' },
      });
      assert.equal(isInvocationSpan(server, { awsRequestId: 'req-1' }), true);
      assert.equal(isInvocationSpan(server, { awsRequestId: 'req-2' }), false);
      assert.equal(isInvocationSpan(server, undefined), false);
      assert.equal(isInvocationSpan(tracer.startSpan('internal'), { awsRequestId: 'req-1' }), false);
      assert.equal(isInvocationSpan(undefined, { awsRequestId: 'req-1' }), false);
      assert.equal(isInvocationSpan(trace.wrapSpanContext(INVALID_SPAN_CONTEXT), {}), false);
    });
  });

  describe('the flush', () => {
    it('flushes after the handler resolves, and returns its result', async () => {
      const order: string[] = [];
      const state = installProvider(async () => {
        order.push('flush');
      });
      const handler = flushAfterInvocation(async (event: { n: number }) => {
        order.push('handler');
        return event.n * 2;
      });
      assert.equal(await handler({ n: 21 }, {}), 42);
      assert.deepEqual(order, ['handler', 'flush']);
      assert.equal(state.flushes, 1);
    });

    it('flushes after the handler throws (sync or async), and rethrows', async () => {
      const state = installProvider(() => Promise.resolve());
      await assert.rejects(
        flushAfterInvocation(() => {
          throw new Error('sync');
        })({}, {}),
        /sync/,
      );
      await assert.rejects(flushAfterInvocation(() => Promise.reject(new Error('async')))({}, {}), /async/);
      assert.equal(state.flushes, 2);
    });

    it('runs the handler under context.xRayTraceId for the xray-lambda propagator', async () => {
      installProvider(() => Promise.resolve());
      const seen = await flushAfterInvocation(() => {
        const extracted = new AWSXRayLambdaPropagator().extract(ROOT_CONTEXT, {}, defaultTextMapGetter);
        return trace.getSpanContext(extracted);
      })({}, { xRayTraceId: HEADER });
      assert.equal(seen?.traceId, ROOT);
      assert.equal(seen?.spanId, PARENT);
    });

    it('a failing or slow flush never fails the invocation', async () => {
      installProvider(() => Promise.reject(new Error('network')));
      assert.match(
        (await captureDiagAsync(() => forceFlushTracing())).join('\n'),
        /flush after the invocation failed/,
      );
      installProvider(() => new Promise<void>(() => undefined));
      assert.match((await captureDiagAsync(() => forceFlushTracing(20))).join('\n'), /took over 20 ms/);
      assert.equal(await flushAfterInvocation(() => 'ok', { timeoutMs: 20 })({}, {}), 'ok');
    });

    it('a tracer that throws: the handler still runs, the problem is said', async () => {
      const provider = {
        getTracer: () => {
          throw new Error('broken tracer');
        },
      };
      trace.disable();
      trace.setGlobalTracerProvider(provider as unknown as TracerProvider);
      let result: unknown;
      const messages = await captureDiagAsync(async () => {
        result = await flushAfterInvocation(() => 'still ran')({}, {});
      });
      assert.equal(result, 'still ran');
      assert.match(messages.join('\n'), /could not start the invocation span/);
    });

    it('no provider that flushes: nothing to do', async () => {
      trace.disable();
      await forceFlushTracing();
    });
  });
});
