// Faults on the daemon path: nobody listening, an unresolvable daemon host, documents over the size
// limit, a burst of 10,000 spans, and a service started with a garbage AWS_XRAY_DAEMON_ADDRESS.
// The exporter runs in this process with real SDK spans (@opentelemetry/sdk-trace-base); the last
// case runs the sample Express service as a child with `-r @xray-otel/register`.
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as path from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AWSXRayUdpSpanExporter, type AWSXRayUdpSpanExporterCounters } from '../packages/exporter-udp/src';
import {
  HEADER_LINE,
  MAX_DOCUMENT_BYTES,
  schemaErrors,
  startDaemon,
  type DaemonListener,
} from './helpers/daemon';
import { APPS, get, sleep, startApp, stopAllApps } from './helpers/processes';
import { makeServerSpans } from './helpers/spans';

const IPV4_MAX_UDP_PAYLOAD = 65507;

type ExportCode = number;

/** export() with a bounded wait for its callback. */
function exportBounded(
  exporter: AWSXRayUdpSpanExporter,
  spans: ReadableSpan[],
  timeoutMs = 10000,
): Promise<ExportCode> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`export callback not called within ${timeoutMs} ms`)),
      timeoutMs,
    );
    exporter.export(spans, (result) => {
      clearTimeout(timer);
      resolve(result.code);
    });
  });
}

async function bounded<T>(promise: Promise<T>, what: string, timeoutMs = 10000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} did not settle within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

/** Every document is accounted for once nothing is pending: sent, failed or dropped. */
function assertAccounted(counters: AWSXRayUdpSpanExporterCounters, spans: number) {
  assert.equal(counters.pending, 0, JSON.stringify(counters));
  assert.equal(counters.spansReceived, spans);
  assert.equal(sum(counters.translationErrors), 0, JSON.stringify(counters.translationErrors));
  assert.ok(counters.documents >= spans, JSON.stringify(counters));
  assert.equal(
    counters.documentsSent + sum(counters.sendErrors) + counters.documentsDropped,
    counters.documents,
    `sent + errors + dropped = documents: ${JSON.stringify(counters)}`,
  );
}

/** A UDP port on 127.0.0.1 with nobody listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('e2e faults on the daemon path', function () {
  this.timeout(60000);
  const exporters: AWSXRayUdpSpanExporter[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let daemon: DaemonListener;

  function exporterTo(daemonAddress: string, options: { maxPendingDatagrams?: number } = {}) {
    const exporter = new AWSXRayUdpSpanExporter({ daemonAddress, ...options });
    exporters.push(exporter);
    return exporter;
  }

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    daemon = await startDaemon();
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await Promise.all(
      exporters.map((e) => bounded(e.shutdown(), 'exporter shutdown').catch(() => undefined)),
    );
    await stopAllApps();
    await daemon?.close();
  });

  afterEach(() => {
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });

  it('no daemon listening (ECONNREFUSED): every export calls back, nothing throws, counters add up', async () => {
    const exporter = exporterTo(`127.0.0.1:${await closedPort()}`);
    // Several rounds: a connected UDP socket learns ECONNREFUSED from the ICMP reply to the previous
    // datagram, so errors show up on later sends.
    for (let round = 0; round < 5; round++) {
      await exportBounded(exporter, makeServerSpans(3));
      await sleep(20);
    }
    await bounded(exporter.forceFlush(), 'forceFlush');
    assertAccounted(exporter.counters, 15);
    console.log(`      counters (no daemon): ${JSON.stringify(exporter.counters)}`);
    await bounded(exporter.shutdown(), 'shutdown');
  });

  it('unresolvable daemon host (nonexistent.invalid:2000): export fails softly, nothing sent', async () => {
    const exporter = exporterTo('nonexistent.invalid:2000');
    const codes = [
      await exportBounded(exporter, makeServerSpans(4)),
      await exportBounded(exporter, makeServerSpans(2)),
    ];
    await bounded(exporter.forceFlush(), 'forceFlush');
    const counters = exporter.counters;
    assertAccounted(counters, 6);
    assert.equal(counters.documentsSent, 0, JSON.stringify(counters));
    assert.ok(sum(counters.sendErrors) + counters.documentsDropped === counters.documents);
    assert.ok(
      codes.every((c) => c === 1),
      `export results FAILED: ${codes}`,
    );
    console.log(`      counters (unresolvable): ${JSON.stringify(counters)}`);
  });

  it('a span with ~100 kB of attributes: shrunk, marked, received, at most 64,000 bytes', async () => {
    daemon.clear();
    const exporter = exporterTo(daemon.address);
    const [span] = makeServerSpans(1, {
      'app.payload': 'x'.repeat(60000),
      'app.more': 'y'.repeat(40000),
      'app.small': 'kept?',
    });
    const traceId = span.spanContext().traceId;
    const xrayTraceId = `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
    await exportBounded(exporter, [span]);
    await bounded(exporter.forceFlush(), 'forceFlush');
    const [doc] = await daemon.waitFor(
      (docs) => docs.some((d) => d.trace_id === xrayTraceId),
      'the big document',
    );
    const datagram = daemon.datagrams.find((d) => d.document?.trace_id === xrayTraceId)!;
    assert.equal(datagram.headerLine, HEADER_LINE);
    assert.ok(datagram.documentBytes <= MAX_DOCUMENT_BYTES, `${datagram.documentBytes} bytes`);
    assert.ok(datagram.raw.length <= IPV4_MAX_UDP_PAYLOAD);
    assert.equal(schemaErrors(datagram.document), undefined);
    assert.equal(doc.id, span.spanContext().spanId);
    const marker = doc.metadata?.xray_otel as { truncated?: boolean; original_bytes?: number } | undefined;
    assert.equal(marker?.truncated, true, JSON.stringify(doc.metadata).slice(0, 500));
    assert.ok(Number(marker?.original_bytes) > 100000);
    assert.equal(exporter.counters.documentsTruncated, 1);
    assertAccounted(exporter.counters, 1);
  });

  // Its memory bound (heap growth after GC) is checked by `npm run test:load`
  // (test/load/exporter-udp-burst.load.ts), not here.
  it('10,000 spans in a burst: no crash, counters account for every document', async () => {
    daemon.clear();
    const exporter = exporterTo(daemon.address);
    // As the BatchSpanProcessor does: batches of 512, the next one once the previous called back.
    const spans = makeServerSpans(10000, { 'app.note': 'burst' });
    const codes: number[] = [];
    for (let i = 0; i < spans.length; i += 512)
      codes.push(await exportBounded(exporter, spans.slice(i, i + 512)));
    await bounded(exporter.forceFlush(), 'forceFlush');
    const counters = exporter.counters;
    assertAccounted(counters, 10000);
    assert.equal(counters.documents, 10000);
    assert.ok(counters.documentsSent > 0);
    assert.equal(codes.length, Math.ceil(10000 / 512));
    assert.ok(
      codes.every((code) => code === 0),
      `every batch SUCCESS: ${[...new Set(codes)]}`,
    );
    await daemon.waitFor((docs) => docs.length > 0, 'a burst document');
    const received = daemon.datagrams.length;
    assert.ok(received > 0 && received <= counters.documentsSent, `received ${received}`);
    console.log(
      `      burst: ${counters.documentsSent} sent, ${sum(counters.sendErrors)} errors, ` +
        `${counters.documentsDropped} dropped, ${received} received by the listener`,
    );
    daemon.clear();
  });

  it('10,000 spans exported at once with a small pending limit: drops are counted, not queued', async () => {
    daemon.clear();
    const exporter = exporterTo(daemon.address, { maxPendingDatagrams: 1000 });
    const spans = makeServerSpans(10000);
    const results = await bounded(
      Promise.all(
        Array.from({ length: 20 }, (_, i) => exportBounded(exporter, spans.slice(i * 500, i * 500 + 500))),
      ),
      'all exports',
      30000,
    );
    assert.equal(results.length, 20);
    await bounded(exporter.forceFlush(), 'forceFlush');
    assertAccounted(exporter.counters, 10000);
    console.log(`      at once: ${JSON.stringify({ ...exporter.counters, translationErrors: undefined })}`);
    daemon.clear();
  });

  for (const address of ['garbage', 'nonexistent.invalid:2000']) {
    it(`a service started with AWS_XRAY_DAEMON_ADDRESS=${address} still serves requests`, async () => {
      const app = await startApp({
        name: `express-app.cjs (${address})`,
        args: ['-r', '@xray-otel/register', path.join(APPS, 'express-app.cjs')],
        env: { AWS_XRAY_DAEMON_ADDRESS: address, OTEL_SERVICE_NAME: 'faulty' },
      });
      try {
        for (const route of ['/', '/annotated', '/boom']) {
          const res = await get(`${app.url}${route}`);
          assert.equal(res.status, route === '/boom' ? 500 : 200);
        }
        await sleep(400);
        assert.equal(app.child.exitCode, null, 'still running');
        if (address === 'garbage') {
          // Tracing is off and the reason is on stderr.
          assert.match(app.stderr(), /AWS_XRAY_DAEMON_ADDRESS|daemon address/i, app.stderr());
        }
      } finally {
        await app.stop();
      }
    });
  }
});
