import * as assert from 'node:assert/strict';
import { DiagLogLevel, ROOT_CONTEXT, context, defaultTextMapGetter, diag, trace } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AWSXRayLambdaPropagator } from '@xray-otel/propagator';
import { flushAfterInvocation, forceFlushTracing } from '../src/lambda';

/** A tracer provider that counts flushes (the global one, through the API's proxy). */
function installProvider(forceFlush: () => Promise<void>): { flushes: number } {
  const state = { flushes: 0 };
  const provider = {
    getTracer: () => trace.getTracer('noop'),
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

describe('register lambda: flushAfterInvocation', () => {
  const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  before(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  after(() => context.disable());
  afterEach(() => trace.disable());

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
    })({}, { xRayTraceId: header });
    assert.equal(seen?.traceId, '5759e988bd862e3fe1be46a994272793');
    assert.equal(seen?.spanId, '53995c3f42cd8ad8');
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

  it('no provider that flushes: nothing to do', async () => {
    trace.disable();
    await forceFlushTracing();
  });
});
