import * as assert from 'node:assert/strict';
import { MAX_SEGMENT_BYTES, serializeSegment, spanToSegments } from '@xray-otel/translator';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  AWSXRayUdpSpanExporter,
  DaemonAddressError,
  DATAGRAM_HEADER,
  ExportResultCode,
  type ExportResult,
} from '../src';
import { captureDiag } from '../../core/test/helpers';
import { createSink, span, spanId, splitDatagram, traceId, type UdpSink } from './helpers';

/** Type-level contract, checked by `npm run lint`: the exporter is an SDK `SpanExporter`. */
export function asSdkSpanExporter(exporter: AWSXRayUdpSpanExporter): SpanExporter {
  return exporter;
}

function exportAsync(
  exporter: AWSXRayUdpSpanExporter,
  spans: ReturnType<typeof span>[],
): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** Every document is accounted for once nothing is pending. */
function assertAccounted(exporter: AWSXRayUdpSpanExporter): void {
  const c = exporter.counters;
  const errors = Object.values(c.sendErrors).reduce((a, b) => a + b, 0);
  assert.equal(c.pending, 0);
  assert.equal(c.documentsSent + errors + c.documentsDropped, c.documents, JSON.stringify(c));
  // The counters every exporter has: each span exported or failed, once.
  assert.equal(c.spansExported + c.spansFailed, c.spansReceived, JSON.stringify(c));
}

describe('AWSXRayUdpSpanExporter', () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  const exporters: AWSXRayUdpSpanExporter[] = [];
  const sinks: UdpSink[] = [];

  function newExporter(options: ConstructorParameters<typeof AWSXRayUdpSpanExporter>[0]) {
    const exporter = new AWSXRayUdpSpanExporter(options);
    exporters.push(exporter);
    return exporter;
  }
  async function newSink(type: 'udp4' | 'udp6' = 'udp4'): Promise<UdpSink> {
    const sink = await createSink(type);
    sinks.push(sink);
    return sink;
  }

  before(() => process.on('unhandledRejection', onRejection));
  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((e) => e.shutdown()));
    await Promise.all(sinks.splice(0).map((s) => s.close()));
  });
  after(() => {
    process.off('unhandledRejection', onRejection);
    assert.deepEqual(rejections, [], 'no unhandled rejection');
  });

  it('sends one datagram per document: header line, newline, the document, no trailing newline', async () => {
    const sink = await newSink();
    const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}` });
    const server = span({ name: 'GET /orders', kind: 1 });
    const client = span({
      name: 'stock',
      kind: 2,
      traceId: server.spanContext().traceId,
      parentSpanId: server.spanContext().spanId,
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'http://stock/items',
        'http.response.status_code': 503,
      },
    });
    let called = false;
    const result = await new Promise<ExportResult>((resolve) => {
      exporter.export([server, client], (r) => {
        called = true;
        resolve(r);
      });
      // export() returns at once; the callback comes later.
      assert.equal(called, false);
    });
    assert.deepEqual(result, { code: ExportResultCode.SUCCESS });
    const datagrams = await sink.waitFor(2);
    assert.equal(datagrams.length, 2);
    const expected = [server, client].map((s) => DATAGRAM_HEADER + serializeSegment(spanToSegments(s)[0]));
    assert.deepEqual(datagrams.map((d) => d.toString('utf8')).sort(), expected.sort());
    for (const datagram of datagrams) {
      // One newline only: the daemon splits at the first one and takes the rest as one document.
      assert.equal(datagram.indexOf(0x0a), 29);
      assert.equal(datagram.indexOf(0x0a, 30), -1);
      const { header, document } = splitDatagram(datagram);
      assert.deepEqual(JSON.parse(header), { format: 'json', version: 1 });
      assert.equal(typeof JSON.parse(document).id, 'string');
    }
    const byId = new Map(
      datagrams.map((d) => JSON.parse(splitDatagram(d).document)).map((doc) => [doc.id, doc]),
    );
    const clientDoc = byId.get(client.spanContext().spanId);
    const serverDoc = byId.get(server.spanContext().spanId);
    // Non-root work goes out as an independent subsegment (xray-protocol.md §2.2).
    assert.equal(clientDoc.type, 'subsegment');
    assert.equal(clientDoc.trace_id, serverDoc.trace_id);
    assert.equal(clientDoc.parent_id, server.spanContext().spanId);
    assert.equal(serverDoc.type, undefined);

    const c = exporter.counters;
    assert.equal(c.spansReceived, 2);
    assert.equal(c.documents, 2);
    assert.equal(c.documentsSent, 2);
    assert.equal(c.bytesSent, datagrams[0].length + datagrams[1].length);
    assertAccounted(exporter);
  });

  it('sends both documents of a LOCAL_ROOT client span as two datagrams', async () => {
    const sink = await newSink();
    const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}` });
    const local = span({
      kind: 2,
      attributes: { 'aws.span.kind': 'LOCAL_ROOT', 'http.request.method': 'GET', 'url.full': 'http://a/b' },
    });
    assert.equal(spanToSegments(local).length, 2);
    assert.equal((await exportAsync(exporter, [local])).code, ExportResultCode.SUCCESS);
    const docs = (await sink.waitFor(2)).map((d) => JSON.parse(splitDatagram(d).document));
    assert.equal(docs.length, 2);
    assert.equal(exporter.counters.documents, 2);
  });

  it('falls back to AWS_XRAY_DAEMON_ADDRESS', async () => {
    const sink = await newSink();
    const saved = process.env.AWS_XRAY_DAEMON_ADDRESS;
    process.env.AWS_XRAY_DAEMON_ADDRESS = `tcp:127.0.0.1:2000 udp:127.0.0.1:${sink.port}`;
    try {
      // No options object at all: everything from the environment and the defaults.
      const exporter = new AWSXRayUdpSpanExporter();
      exporters.push(exporter);
      assert.equal(exporter.daemonAddress.tcp.port, 2000);
      await exportAsync(exporter, [span()]);
      assert.equal((await sink.waitFor(1)).length, 1);
    } finally {
      if (saved === undefined) delete process.env.AWS_XRAY_DAEMON_ADDRESS;
      else process.env.AWS_XRAY_DAEMON_ADDRESS = saved;
    }
  });

  it('throws a DaemonAddressError at construction for a bad address', () => {
    assert.throws(() => new AWSXRayUdpSpanExporter({ daemonAddress: '127.0.0.1:99999' }), DaemonAddressError);
  });

  it('shrinks a document over 64 kB, counts it as truncated, and the datagram arrives', async () => {
    const sink = await newSink();
    const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}` });
    const attributes: Record<string, unknown> = { 'http.request.method': 'GET' };
    for (let i = 0; i < 70; i++) attributes[`filler.${i}`] = 'x'.repeat(1000);
    const big = span({ attributes });
    // Just under the limit: sent whole.
    const fits: Record<string, unknown> = { 'filler.0': 'y'.repeat(60000) };
    const near = span({ attributes: fits });
    assert.equal((await exportAsync(exporter, [big, near])).code, ExportResultCode.SUCCESS);
    const datagrams = await sink.waitFor(2);
    const c = exporter.counters;
    assert.equal(c.documentsTruncated, 1);
    assert.equal(c.documentsSent, 2);
    for (const datagram of datagrams) {
      assert.ok(datagram.length <= MAX_SEGMENT_BYTES + DATAGRAM_HEADER.length, String(datagram.length));
      assert.ok(datagram.length > 59000, String(datagram.length));
    }
    const docs = datagrams.map((d) => JSON.parse(splitDatagram(d).document));
    const shrunk = docs.find((doc) => doc.id === big.spanContext().spanId);
    assert.equal(shrunk.metadata.xray_otel.truncated, true);
  });

  it('accounts for every document of a 10,000-span burst', async function () {
    this.timeout(30000);
    const sink = await newSink();
    const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}` });
    const spans = Array.from({ length: 10000 }, () => span());
    const result = await exportAsync(exporter, spans);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    const c = exporter.counters;
    assert.equal(c.spansReceived, 10000);
    assert.equal(c.documents, 10000);
    assertAccounted(exporter);
    // Loopback may drop at the receiver when its buffer is full; never more than was sent.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(sink.datagrams.length <= c.documentsSent);
    assert.ok(sink.datagrams.length > 0);
  });

  it('caps pending datagrams: beyond maxPendingDatagrams documents are dropped and counted', async () => {
    const sink = await newSink();
    const log = captureDiag();
    try {
      const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}`, maxPendingDatagrams: 100 });
      // The first export waits for the socket to connect, so all 1,000 are pending at once.
      const result = await exportAsync(
        exporter,
        Array.from({ length: 1000 }, () => span()),
      );
      assert.equal(result.code, ExportResultCode.SUCCESS);
      const c = exporter.counters;
      assert.equal(c.documentsDropped, 900);
      assert.equal(c.documentsSent, 100);
      assertAccounted(exporter);
      assert.equal(log.lines.filter((l) => l.includes('document dropped')).length, 1);
    } finally {
      log.restore();
    }
  });

  it('counts a TranslationError span and sends the rest of the batch', async () => {
    const sink = await newSink();
    const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}` });
    const bad = span({ traceId: 'not-a-trace-id' });
    const result = await exportAsync(exporter, [span(), bad, span()]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.equal((await sink.waitFor(2)).length, 2);
    const c = exporter.counters;
    assert.deepEqual(c.translationErrors, { 'invalid-trace-id': 1 });
    assert.equal(c.spansReceived, 3);
    assert.equal(c.documents, 2);
    // Nothing to send is not a transport failure: SUCCESS (documented), counted.
    assert.equal((await exportAsync(exporter, [bad])).code, ExportResultCode.SUCCESS);
    assert.equal((await exportAsync(exporter, [])).code, ExportResultCode.SUCCESS);
    assert.equal(exporter.counters.translationErrors['invalid-trace-id'], 2);
  });

  it('counts a span that cannot even be read as unreadable-span', async () => {
    const sink = await newSink();
    const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}`, skipTimestampValidation: false });
    const hostile = span();
    Object.defineProperty(hostile, 'status', {
      get: () => {
        throw new Error('boom');
      },
    });
    const expired = span({ traceId: '5759e988bd862e3fe1be46a994272793' });
    assert.equal((await exportAsync(exporter, [hostile, expired, span()])).code, ExportResultCode.SUCCESS);
    assert.deepEqual(exporter.counters.translationErrors, { 'unreadable-span': 1, 'expired-trace-id': 1 });
  });

  it('forceFlush resolves once every datagram has been handed to the kernel', async () => {
    const sink = await newSink();
    const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}` });
    await exporter.forceFlush(); // nothing pending
    const results: ExportResult[] = [];
    exporter.export([span(), span()], (r) => results.push(r));
    exporter.export([span()], (r) => results.push(r));
    assert.equal(exporter.counters.pending, 3);
    await exporter.forceFlush();
    assert.equal(exporter.counters.pending, 0);
    assert.equal(exporter.counters.documentsSent, 3);
    assert.equal(results.length, 2);
    assert.equal((await sink.waitFor(3)).length, 3);
  });

  it('shutdown flushes, closes, is idempotent; export afterwards fails and is counted', async () => {
    const sink = await newSink();
    const exporter = newExporter({ daemonAddress: `127.0.0.1:${sink.port}` });
    let first: ExportResult | undefined;
    exporter.export([span(), span()], (r) => (first = r));
    const a = exporter.shutdown();
    const b = exporter.shutdown();
    assert.equal(a, b);
    await a;
    assert.deepEqual(first, { code: ExportResultCode.SUCCESS });
    assert.equal(exporter.counters.documentsSent, 2);
    const after = await exportAsync(exporter, [span(), span(), span()]);
    assert.equal(after.code, ExportResultCode.FAILED);
    assert.match(String(after.error?.message), /shut down/);
    assert.equal(exporter.counters.spansDroppedAfterShutdown, 3);
    assert.equal(exporter.counters.spansReceived, 5);
    await exporter.shutdown();
    await exporter.forceFlush();
    assert.equal((await sink.waitFor(2)).length, 2);
  });

  it('shutdown without any export resolves (no socket was opened)', async () => {
    const exporter = new AWSXRayUdpSpanExporter({ daemonAddress: '127.0.0.1:2000' });
    await exporter.shutdown();
  });

  it('uses the translator options (indexedAttributes)', async () => {
    const sink = await newSink();
    const exporter = newExporter({
      daemonAddress: `127.0.0.1:${sink.port}`,
      indexedAttributes: ['order.id'],
    });
    await exportAsync(exporter, [
      span({ attributes: { 'order.id': 'o-42' }, spanId: spanId(), traceId: traceId() }),
    ]);
    const [doc] = (await sink.waitFor(1)).map((d) => JSON.parse(splitDatagram(d).document));
    assert.equal(doc.annotations['order.id'], 'o-42');
  });

  it('passes redact and cleanNames to the translator (defaults: names cleaned, nothing redacted)', async () => {
    const attributes = {
      'aws.local.service': 'orders (prod)',
      'http.request.method': 'GET',
      'url.full': 'https://shop.example.com/orders?token=t1',
      'http.request.header.authorization': ['Bearer s3cr3t'],
    };
    const documents = async (options: ConstructorParameters<typeof AWSXRayUdpSpanExporter>[0]) => {
      const sink = await newSink();
      const exporter = newExporter({ ...options, daemonAddress: `127.0.0.1:${sink.port}` });
      await exportAsync(exporter, [span({ attributes, spanId: spanId(), traceId: traceId() })]);
      const [doc] = (await sink.waitFor(1)).map((d) => JSON.parse(splitDatagram(d).document));
      return doc;
    };
    const defaults = await documents({});
    assert.equal(defaults.name, 'orders prod');
    assert.deepEqual(defaults.metadata.default['http.request.header.authorization'], ['Bearer s3cr3t']);
    const redacted = await documents({ redact: true, cleanNames: false });
    assert.equal(redacted.name, 'orders (prod)');
    assert.deepEqual(redacted.metadata.default['http.request.header.authorization'], ['REDACTED']);
    assert.equal(redacted.http.request.url, 'https://shop.example.com/orders?token=REDACTED');
  });
});
