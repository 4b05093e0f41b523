import * as assert from 'node:assert/strict';
import {
  createContextKey,
  createTraceState,
  defaultTextMapGetter,
  defaultTextMapSetter,
  diag,
  DiagLogLevel,
  isSpanContextValid,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import type { Context, TextMapGetter } from '@opentelemetry/api';
import { AWSXRayPropagator } from '../src/propagator';
import {
  getLineage,
  getTraceHeaderExtraFields,
  isSamplingDeferred,
  XRAY_SAMPLING_DEFERRED_KEY,
} from '../src/context-keys';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { isRootOnlyParent, rootOnlyParentSpanId } from '@xray-otel/core';

const propagator = new AWSXRayPropagator();
const ROOT = 'Root=1-5759e988-bd862e3fe1be46a994272793';
const TRACE = '5759e988bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';

function extract(header: unknown, context: Context = ROOT_CONTEXT): Context {
  return propagator.extract(context, { 'x-amzn-trace-id': header }, defaultTextMapGetter);
}

function inject(context: Context): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, defaultTextMapSetter);
  return carrier['x-amzn-trace-id'];
}

describe('AWSXRayPropagator', () => {
  it('fields() is the header name', () => {
    assert.deepEqual(propagator.fields(), ['x-amzn-trace-id']);
  });

  describe('extract', () => {
    it('Root/Parent/Sampled=1: a sampled remote parent, sampling not deferred', () => {
      const ctx = extract(`${ROOT};Parent=${PARENT};Sampled=1`);
      assert.deepEqual(trace.getSpanContext(ctx), {
        traceId: TRACE,
        spanId: PARENT,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      assert.equal(isSamplingDeferred(ctx), false);
    });

    it('Sampled=0: a not-sampled remote parent, sampling not deferred', () => {
      const ctx = extract(`${ROOT};Parent=${PARENT};Sampled=0`);
      assert.equal(trace.getSpanContext(ctx)?.traceFlags, TraceFlags.NONE);
      assert.equal(isSamplingDeferred(ctx), false);
      assert.equal(ctx.getValue(XRAY_SAMPLING_DEFERRED_KEY), undefined);
    });

    for (const sampled of [';Sampled=?', '', ';Sampled=true']) {
      it(`"${sampled}": trace and parent kept, flags NONE, sampling deferred`, () => {
        const ctx = extract(`${ROOT};Parent=${PARENT}${sampled}`);
        const spanContext = trace.getSpanContext(ctx)!;
        assert.equal(spanContext.spanId, PARENT);
        assert.equal(spanContext.traceFlags, TraceFlags.NONE);
        assert.equal(ctx.getValue(XRAY_SAMPLING_DEFERRED_KEY), true);
        assert.equal(isSamplingDeferred(ctx), true);
      });
    }

    it('root only (ALB): the parent derived from the trace ID, no traceState, sampling deferred', () => {
      const ctx = extract(`Self=1-67891234-12456789abcdef012345678;${ROOT}`);
      const spanContext = trace.getSpanContext(ctx)!;
      assert.ok(isSpanContextValid(spanContext));
      assert.equal(spanContext.traceId, TRACE);
      assert.equal(spanContext.isRemote, true);
      assert.equal(spanContext.spanId, rootOnlyParentSpanId(TRACE));
      assert.ok(isRootOnlyParent(spanContext.traceId, spanContext.spanId));
      // Nothing marks it: there is nothing for a child span to inherit into outgoing headers.
      assert.equal(spanContext.traceState, undefined);
      assert.equal(isSamplingDeferred(ctx), true);
      // The same trace ID always gives the same parent, recognisable in any process.
      assert.equal(trace.getSpanContext(extract(ROOT))!.spanId, spanContext.spanId);
    });

    it('root only with Sampled=1 is not deferred', () => {
      const ctx = extract(`${ROOT};Sampled=1`);
      assert.equal(trace.getSpanContext(ctx)?.traceFlags, TraceFlags.SAMPLED);
      assert.equal(isSamplingDeferred(ctx), false);
    });

    it('keeps a traceState already in the context (a W3C propagator ran first), unchanged', () => {
      const vendor = createTraceState('vendor=v1');
      const before = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: 'a'.repeat(32),
        spanId: 'b'.repeat(16),
        traceFlags: TraceFlags.SAMPLED,
        traceState: vendor,
      });
      const rootOnly = trace.getSpanContext(extract(ROOT, before))!;
      assert.equal(rootOnly.traceState, vendor);
      assert.ok(isRootOnlyParent(rootOnly.traceId, rootOnly.spanId));
      const withParent = trace.getSpanContext(extract(`${ROOT};Parent=${PARENT}`, before))!;
      assert.equal(withParent.traceState, vendor);
      assert.equal(isRootOnlyParent(withParent.traceId, withParent.spanId), false);
    });

    it('a child span of a root-only parent puts nothing of ours in outgoing W3C tracestate headers', () => {
      const provider = new BasicTracerProvider();
      const tracer = provider.getTracer('test');
      const w3c = new W3CTraceContextPropagator();
      for (const incoming of [
        ROOT_CONTEXT,
        w3c.extract(
          ROOT_CONTEXT,
          { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'vendor=v1' },
          defaultTextMapGetter,
        ),
      ]) {
        const ctx = extract(`${ROOT};Sampled=1`, incoming);
        const server = tracer.startSpan('server', {}, ctx);
        const child = tracer.startSpan('client', {}, trace.setSpan(ctx, server));
        const headers: Record<string, string> = {};
        w3c.inject(trace.setSpan(ctx, child), headers, defaultTextMapSetter);
        assert.equal(headers.traceparent, `00-${TRACE}-${child.spanContext().spanId}-01`);
        assert.ok(!(headers.tracestate ?? '').includes('xray-otel'), String(headers.tracestate));
        assert.equal(headers.tracestate, incoming === ROOT_CONTEXT ? undefined : 'vendor=v1');
        const xray: Record<string, string> = {};
        propagator.inject(trace.setSpan(ctx, child), xray, defaultTextMapSetter);
        assert.equal(xray['x-amzn-trace-id'], `${ROOT};Parent=${child.spanContext().spanId};Sampled=1`);
      }
    });

    it('keeps Lineage and application fields in the context, and a new header replaces them', () => {
      const ctx = extract(`${ROOT};Parent=${PARENT};Sampled=1;Lineage=10:1234abcd:3;Foo=bar`);
      assert.equal(getLineage(ctx), '10:1234abcd:3');
      assert.deepEqual(getTraceHeaderExtraFields(ctx), [['Foo', 'bar']]);
      const replaced = extract(`${ROOT};Parent=${PARENT};Sampled=?`, ctx);
      assert.equal(getLineage(replaced), undefined);
      assert.equal(getTraceHeaderExtraFields(replaced), undefined);
      assert.equal(isSamplingDeferred(extract(`${ROOT};Parent=${PARENT};Sampled=1`, replaced)), false);
    });

    it('returns the context unchanged for a missing, empty or bad header, logging one debug line', () => {
      const lines: string[] = [];
      diag.setLogger(
        {
          debug: (message: string) => {
            if (message.startsWith('@xray-otel')) lines.push(message);
          },
          info: () => {},
          warn: () => {},
          error: () => {},
          verbose: () => {},
        },
        { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
      );
      try {
        const key = createContextKey('marker');
        const base = ROOT_CONTEXT.setValue(key, 1);
        assert.equal(propagator.extract(base, {}, defaultTextMapGetter), base);
        assert.equal(extract('', base), base);
        assert.equal(extract('garbage-1', base), base);
        assert.equal(extract('garbage-2', base), base);
        assert.equal(extract(['garbage-3'], base), base);
        assert.ok(lines.length <= 1, 'rate-limited');
        if (lines.length === 1) assert.match(lines[0], /^@xray-otel\/propagator: x-amzn-trace-id: no Root/);
      } finally {
        diag.disable();
      }
    });

    it('reads an array of header lines as its first line', () => {
      const ctx = extract([`${ROOT};Parent=${PARENT};Sampled=1`, 'Root=1-5759e988-aaaaaaaaaaaaaaaaaaaaaaaa']);
      assert.equal(trace.getSpanContext(ctx)?.spanId, PARENT);
    });

    it('finds the header in any case when the carrier keeps the sender’s case', () => {
      const ctx = propagator.extract(
        ROOT_CONTEXT,
        { 'X-Amzn-Trace-Id': `${ROOT};Parent=${PARENT};Sampled=1` },
        defaultTextMapGetter,
      );
      assert.equal(trace.getSpanContext(ctx)?.spanId, PARENT);
    });

    it('never throws, even when the getter does', () => {
      const throwing: TextMapGetter = {
        get: () => {
          throw new Error('boom');
        },
        keys: () => [],
      };
      assert.equal(propagator.extract(ROOT_CONTEXT, {}, throwing), ROOT_CONTEXT);
    });
  });

  describe('inject', () => {
    it('writes Root, Parent and Sampled for a span', () => {
      const ctx = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: TRACE,
        spanId: PARENT,
        traceFlags: TraceFlags.SAMPLED,
      });
      assert.equal(inject(ctx), `${ROOT};Parent=${PARENT};Sampled=1`);
      const unsampled = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: TRACE,
        spanId: PARENT,
        traceFlags: TraceFlags.NONE,
      });
      assert.equal(inject(unsampled), `${ROOT};Parent=${PARENT};Sampled=0`);
    });

    it('writes nothing without a valid span context', () => {
      assert.equal(inject(ROOT_CONTEXT), undefined);
      const invalid = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '0'.repeat(32),
        spanId: PARENT,
        traceFlags: TraceFlags.SAMPLED,
      });
      assert.equal(inject(invalid), undefined);
    });

    it('forwards an extracted context as it came: no synthetic Parent, no decision not taken', () => {
      assert.equal(inject(extract(`Self=x;${ROOT}`)), ROOT);
      assert.equal(
        inject(extract(`${ROOT};Sampled=1;Lineage=10:1234abcd:3`)),
        `${ROOT};Sampled=1;Lineage=10:1234abcd:3`,
      );
      assert.equal(inject(extract(`${ROOT};Parent=${PARENT};Sampled=?`)), `${ROOT};Parent=${PARENT}`);
      assert.equal(
        inject(extract(`${ROOT};Parent=${PARENT};Sampled=0;Foo=bar;Lineage=a87bd80c:1`)),
        `${ROOT};Parent=${PARENT};Sampled=0;Lineage=a87bd80c:1;Foo=bar`,
      );
    });

    it('a child span of a root-only or deferred parent injects its own id and decision, with the kept fields', () => {
      for (const header of [
        `${ROOT};Lineage=10:1234abcd:3;Foo=bar`,
        `${ROOT};Parent=${PARENT};Foo=bar;Lineage=10:1234abcd:3`,
      ]) {
        const parentCtx = extract(header);
        const child = trace.setSpanContext(parentCtx, {
          traceId: TRACE,
          spanId: '1111111111111111',
          traceFlags: TraceFlags.SAMPLED,
        });
        assert.equal(
          inject(child),
          `${ROOT};Parent=1111111111111111;Sampled=1;Lineage=10:1234abcd:3;Foo=bar`,
        );
      }
    });

    it('never throws, even when the setter does', () => {
      const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: PARENT, traceFlags: 1 });
      propagator.inject(
        ctx,
        {},
        {
          set: () => {
            throw new Error('boom');
          },
        },
      );
      propagator.inject(
        ctx,
        {},
        {
          set: () => {
            throw 'not an error';
          },
        },
      );
    });
  });
});
