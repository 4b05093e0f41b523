import * as assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, SamplingDecision, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AWSXRayIdGenerator } from '@xray-otel/id-generator';
import { XRayLocal } from '@xray-otel/local';
import {
  AWSXRayOtlpUdpSpanExporter,
  MAX_DATAGRAM_BYTES,
  SAMPLED_PREFIX,
  TRUNCATED_ATTRIBUTE,
  UNSAMPLED_PREFIX,
} from '../src';
import { datagramSize, toOtlpDatagram } from '../src/otlp-udp';
import {
  decodeDatagram,
  exportSpans,
  KeepAllProcessor,
  listenOtlpUdp,
  type OtlpUdpListener,
} from './helpers';

const HEADER = '{"format":"json","version":1}';

/** Spans whose name starts with `u-` are recorded but not sampled (T1U); the rest are sampled. */
function providerKeepingAll(): { provider: BasicTracerProvider; kept: KeepAllProcessor } {
  const kept = new KeepAllProcessor();
  const provider = new BasicTracerProvider({
    idGenerator: new AWSXRayIdGenerator(),
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    sampler: {
      shouldSample: (_context, _traceId, name) => ({
        decision: name.startsWith('u-') ? SamplingDecision.RECORD : SamplingDecision.RECORD_AND_SAMPLED,
      }),
      toString: () => 'by-name',
    },
    spanProcessors: [kept],
  });
  return { provider, kept };
}

describe('AWSXRayOtlpUdpSpanExporter', () => {
  let listener: OtlpUdpListener;
  beforeEach(async () => {
    listener = await listenOtlpUdp();
  });
  afterEach(async () => {
    await listener.close();
  });

  it('sends header + T1S + base64 protobuf; the spans decode back intact', async () => {
    const { provider, kept } = providerKeepingAll();
    const tracer = provider.getTracer('test', '1.2.3');
    const server = tracer.startSpan('GET /cart', {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': 'GET', 'cart.items': 3, flag: true, tags: ['a', 'b'] },
    });
    server.addEvent('checkpoint', { step: 1 });
    server.end();
    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${listener.port}` });
    const result = await exportSpans(exporter, kept.spans);
    assert.equal(result.code, 0);
    await listener.waitForSpans(1);
    const [datagram] = listener.datagrams;
    assert.equal(datagram.header, HEADER);
    assert.equal(datagram.prefix, SAMPLED_PREFIX);
    const span = datagram.spans[0];
    const original = kept.spans[0];
    assert.equal(span.spanContext().traceId, original.spanContext().traceId);
    assert.equal(span.spanContext().spanId, original.spanContext().spanId);
    assert.equal(span.name, 'GET /cart');
    assert.deepEqual(span.attributes, original.attributes);
    assert.deepEqual(span.startTime, original.startTime);
    assert.deepEqual(span.endTime, original.endTime);
    assert.equal(span.events?.[0].name, 'checkpoint');
    assert.equal(span.resource?.attributes['service.name'], 'checkout');
    assert.equal((span.instrumentationScope as { version?: string } | undefined)?.version, '1.2.3');
    const c = exporter.counters;
    assert.equal(c.spansSent, 1);
    assert.equal(c.datagramsSent, 1);
    assert.equal(c.bytesSent, datagram.size);
    await exporter.shutdown();
  });

  it('500 spans of mixed sizes: no datagram over 64,000 bytes, T1S/T1U per span, big spans shrunk not dropped', async function () {
    this.timeout(60_000);
    const { provider, kept } = providerKeepingAll();
    const tracer = provider.getTracer('test');
    const expectedSampled = new Map<string, boolean>();
    const big = new Set<string>();
    const hugeAttribute = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const name = (i % 3 === 0 ? 'u-' : 's-') + i;
      const attributes: Record<string, string | number> = { index: i };
      if (i % 50 === 0) attributes.payload = 'x'.repeat(100_000);
      else if (i % 7 === 0) attributes.payload = 'y'.repeat(20_000);
      else if (i % 11 === 0) attributes.payload = 'z'.repeat(2_000);
      const span = tracer.startSpan(name, { attributes });
      if (i % 25 === 0) for (let e = 0; e < 20; e++) span.addEvent('event-' + e, { text: 'e'.repeat(5_000) });
      span.end();
      expectedSampled.set(span.spanContext().spanId, !name.startsWith('u-'));
      // Too big on their own: 100 kB of attributes, or 100 kB of events.
      if (i % 25 === 0) big.add(span.spanContext().spanId);
      if (i % 50 === 0) hugeAttribute.add(span.spanContext().spanId);
    }
    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${listener.port}` });
    // In chunks, so the loopback receive buffer is drained between them.
    for (let i = 0; i < 500; i += 50) {
      assert.equal((await exportSpans(exporter, kept.spans.slice(i, i + 50))).code, 0);
      await listener.waitForSpans(Math.min(i + 50, 500));
    }
    await exporter.forceFlush();
    const seen = new Map<string, ReadableSpan | unknown>();
    for (const datagram of listener.datagrams) {
      assert.ok(datagram.size <= MAX_DATAGRAM_BYTES, `datagram of ${datagram.size} bytes`);
      assert.equal(datagram.header, HEADER);
      for (const span of datagram.spans) {
        const id = span.spanContext().spanId;
        assert.equal(datagram.prefix, expectedSampled.get(id) ? SAMPLED_PREFIX : UNSAMPLED_PREFIX, span.name);
        assert.equal((span.spanContext().traceFlags ?? 0) & 1, expectedSampled.get(id) ? 1 : 0);
        assert.equal(span.attributes[TRUNCATED_ATTRIBUTE], big.has(id) ? true : undefined, span.name);
        if (big.has(id)) {
          if (hugeAttribute.has(id)) assert.equal(span.attributes.payload, undefined);
          assert.equal(span.attributes.index, Number(span.name.slice(2)), 'smaller attributes are kept');
          assert.deepEqual(span.events, [], 'events dropped first');
        }
        seen.set(id, span);
      }
    }
    assert.equal(seen.size, 500);
    const c = exporter.counters;
    assert.equal(c.spansReceived, 500);
    assert.equal(c.spansSent, 500);
    assert.equal(c.spansShrunk, big.size);
    assert.equal(c.spansFailed, 0);
    assert.equal(c.datagramsSent, listener.datagrams.length);
    assert.ok(listener.datagrams.length > 20, 'split into many datagrams');
    await exporter.shutdown();
  });

  it('shrinks links too, and drops (counts) a span too big even when bare', async () => {
    const { provider, kept } = providerKeepingAll();
    const tracer = provider.getTracer('test');
    const other = tracer.startSpan('other');
    other.end();
    const links = Array.from({ length: 200 }, () => ({
      context: other.spanContext(),
      attributes: { note: 'l'.repeat(500) },
    }));
    tracer.startSpan('s-linked', { links, attributes: { keep: 1 } }).end();
    tracer.startSpan('s-' + 'n'.repeat(70_000)).end();
    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${listener.port}` });
    const result = await exportSpans(exporter, kept.spans.slice(1));
    assert.equal(result.code, 0, 'partial failure is SUCCESS');
    await listener.waitForSpans(1);
    const linked = listener.datagrams[0].spans[0];
    assert.equal(linked.name, 's-linked');
    assert.deepEqual(linked.links, []);
    assert.equal(linked.attributes.keep, 1);
    assert.equal(linked.attributes[TRUNCATED_ATTRIBUTE], true);
    const c = exporter.counters;
    assert.equal(c.spansShrunk, 1);
    assert.equal(c.spansFailed, 1);
    assert.deepEqual(c.failures, { 'too-large': 1 });
    assert.deepEqual(c.sendErrors, {});
    // Only the too-large span: nothing could be sent, and retrying cannot help (SUCCESS, counted).
    assert.equal((await exportSpans(exporter, kept.spans.slice(2))).code, 0);
    assert.deepEqual(exporter.counters.failures, { 'too-large': 2 });
    await exporter.shutdown();
  });

  it('never throws: an unresolvable host fails the export and is counted', async () => {
    const { provider, kept } = providerKeepingAll();
    provider.getTracer('t').startSpan('s-1').end();
    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: 'no-such-host.invalid:2000' });
    const result = await exportSpans(exporter, kept.spans);
    assert.equal(result.code, 1);
    assert.ok(result.error instanceof Error);
    const c = exporter.counters;
    assert.equal(c.spansFailed, 1);
    assert.equal(Object.keys(c.sendErrors).length, 1);
    assert.equal(c.pending, 0);
    await exporter.shutdown();
  });

  it('a span the serializer cannot read fails alone as unreadable-span; the rest of the batch is sent', async () => {
    const { provider, kept } = providerKeepingAll();
    const tracer = provider.getTracer('t');
    for (let i = 0; i < 5; i++) tracer.startSpan(`s-${i}`).end();
    const hostile = kept.spans[2];
    Object.defineProperty(hostile, 'attributes', {
      get: () => {
        throw new Error('unreadable');
      },
    });
    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${listener.port}` });
    const result = await exportSpans(exporter, kept.spans);
    assert.equal(result.code, 0);
    await listener.waitForSpans(4);
    const names = listener.datagrams.flatMap((d) => d.spans.map((s) => s.name)).sort();
    assert.deepEqual(names, ['s-0', 's-1', 's-3', 's-4']);
    const c = exporter.counters;
    assert.deepEqual(c.failures, { 'unreadable-span': 1 });
    assert.equal(c.spansExported, 4);
    await exporter.shutdown();
  });

  it('export() of nothing succeeds; after shutdown() export fails; shutdown is idempotent', async () => {
    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${listener.port}` });
    assert.equal((await exportSpans(exporter, [])).code, 0);
    const { provider, kept } = providerKeepingAll();
    provider.getTracer('t').startSpan('s-1').end();
    await exporter.forceFlush();
    const first = exporter.shutdown();
    assert.equal(exporter.shutdown(), first);
    await first;
    const result = await exportSpans(exporter, kept.spans);
    assert.equal(result.code, 1);
    assert.deepEqual(exporter.counters.failures, { shutdown: 1 });
  });

  it('a throwing result callback is reported, not thrown', async () => {
    const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${listener.port}` });
    await new Promise<void>((resolve) =>
      exporter.export([], () => {
        setImmediate(resolve);
        throw new Error('boom');
      }),
    );
    await exporter.shutdown();
  });

  it('reads AWS_XRAY_DAEMON_ADDRESS (both forms) and defaults to 127.0.0.1:2000', () => {
    const saved = process.env.AWS_XRAY_DAEMON_ADDRESS;
    try {
      delete process.env.AWS_XRAY_DAEMON_ADDRESS;
      assert.deepEqual(new AWSXRayOtlpUdpSpanExporter().daemonAddress.udp, {
        host: '127.0.0.1',
        port: 2000,
        family: 4,
      });
      process.env.AWS_XRAY_DAEMON_ADDRESS = 'tcp:127.0.0.1:2000 udp:169.254.100.1:2000';
      assert.equal(new AWSXRayOtlpUdpSpanExporter().daemonAddress.udp.host, '169.254.100.1');
      process.env.AWS_XRAY_DAEMON_ADDRESS = '[::1]:3000';
      assert.deepEqual(new AWSXRayOtlpUdpSpanExporter().daemonAddress.udp, {
        host: '::1',
        port: 3000,
        family: 6,
      });
    } finally {
      if (saved === undefined) delete process.env.AWS_XRAY_DAEMON_ADDRESS;
      else process.env.AWS_XRAY_DAEMON_ADDRESS = saved;
    }
  });

  it('datagramSize is the exact size of the datagram', () => {
    for (const n of [0, 1, 2, 3, 4, 100, 47_000]) {
      assert.equal(toOtlpDatagram('T1S', new Uint8Array(n)).length, datagramSize(n));
    }
    assert.equal(decodeDatagram(toOtlpDatagram('T1U', new Uint8Array(0))).prefix, 'T1U');
  });

  it('xray-local accepts the datagrams on its UDP port and assembles the traces', async () => {
    const local = new XRayLocal({ udpPort: 0, tcpPort: 0, otlpPort: 0, uiPort: 0, quiet: true });
    const ports = await local.start();
    try {
      const { provider, kept } = providerKeepingAll();
      const tracer = provider.getTracer('t');
      const root = tracer.startSpan('s-root', { kind: SpanKind.SERVER });
      const { trace, context } = await import('@opentelemetry/api');
      const child = tracer.startSpan(
        's-child',
        { kind: SpanKind.CLIENT },
        trace.setSpan(context.active(), root),
      );
      child.end();
      root.end();
      const exporter = new AWSXRayOtlpUdpSpanExporter({ daemonAddress: `127.0.0.1:${ports.udpPort}` });
      assert.equal((await exportSpans(exporter, kept.spans)).code, 0);
      await exporter.shutdown();
      const traceId = root.spanContext().traceId;
      const xrayId = `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
      for (let i = 0; i < 100 && !local.store.getTrace(xrayId); i++)
        await new Promise((r) => setTimeout(r, 20));
      const stored = local.store.getTrace(xrayId);
      assert.ok(stored, 'trace assembled');
      const ids = stored.documents.map((d) => (d as { id: string }).id).sort();
      assert.deepEqual(ids, [root.spanContext().spanId, child.spanContext().spanId].sort());
    } finally {
      await local.stop();
    }
  });
});
