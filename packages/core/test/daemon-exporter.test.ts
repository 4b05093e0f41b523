import * as assert from 'node:assert/strict';
import { DiagLogLevel } from '@opentelemetry/api';
import { UdpDaemonSpanExporter, type DatagramEncoder, type DatagramSink } from '../src/daemon-exporter';
import { ExportResultCode, type ExportResult } from '../src/exporter';
import { DATAGRAM_HEADER } from '../src/constants';
import { captureDiag } from './helpers';
import { createSink, freePort, type UdpSink } from './udp-sink';

/** A test span: its name is what the encoder sends; `datagrams` > 1 makes a multi-datagram unit. */
interface TestSpan {
  name: string;
  datagrams?: number;
  fail?: string;
  truncated?: boolean;
  throws?: boolean;
}

const encoder: DatagramEncoder<TestSpan> = (spans, sink) => {
  for (const span of spans) {
    if (span.throws) throw new Error('encoder bug');
    if (span.fail !== undefined) {
      sink.fail(1, span.fail, `span ${span.name} cannot be encoded (${span.fail})`);
      continue;
    }
    if (span.truncated) sink.truncated(1, `span ${span.name} shrunk`);
    const count = span.datagrams ?? 1;
    if (count === 0) {
      sink.send([], 1);
      continue;
    }
    const datagrams = Array.from({ length: count }, (_, i) =>
      Buffer.from(`${DATAGRAM_HEADER}${span.name}#${i}`),
    );
    sink.send(count === 1 ? datagrams[0] : datagrams, 1);
  }
};

function exportAsync(exporter: UdpDaemonSpanExporter<TestSpan>, spans: TestSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe('UdpDaemonSpanExporter', () => {
  const exporters: UdpDaemonSpanExporter<TestSpan>[] = [];
  const sinks: UdpSink[] = [];
  function newExporter(daemonAddress: string, maxPendingDatagrams?: number): UdpDaemonSpanExporter<TestSpan> {
    const exporter = new UdpDaemonSpanExporter<TestSpan>({
      daemonAddress,
      maxPendingDatagrams,
      encoder,
      logPrefix: 'test: ',
      datagramName: 'a test datagram',
    });
    exporters.push(exporter);
    return exporter;
  }
  async function newSink(): Promise<UdpSink> {
    const sink = await createSink();
    sinks.push(sink);
    return sink;
  }
  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((e) => e.shutdown()));
    await Promise.all(sinks.splice(0).map((s) => s.close()));
  });

  it('sends what the encoder makes and counts spans and datagrams; the callback comes asynchronously', async () => {
    const sink = await newSink();
    const exporter = newExporter(`127.0.0.1:${sink.port}`);
    let called = false;
    const result = new Promise<ExportResult>((resolve) =>
      exporter.export([{ name: 'a' }, { name: 'b', datagrams: 2 }], (r) => {
        called = true;
        resolve(r);
      }),
    );
    assert.equal(called, false);
    assert.deepEqual(await result, { code: ExportResultCode.SUCCESS });
    const received = (await sink.waitFor(3)).map((d) => d.toString().slice(DATAGRAM_HEADER.length)).sort();
    assert.deepEqual(received, ['a#0', 'b#0', 'b#1']);
    const c = exporter.counters;
    assert.equal(c.spansReceived, 2);
    assert.equal(c.spansExported, 2);
    assert.equal(c.spansFailed, 0);
    assert.equal(c.datagramsSent, 3);
    assert.equal(c.pending, 0);
    assert.deepEqual(c.failures, {});
  });

  it('counts encoder failures and truncations; a batch with nothing to send is SUCCESS', async () => {
    const sink = await newSink();
    const log = captureDiag();
    try {
      const exporter = newExporter(`127.0.0.1:${sink.port}`);
      const result = await exportAsync(exporter, [
        { name: 'ok', truncated: true },
        { name: 'bad', fail: 'too-large' },
        { name: 'bad2', fail: 'too-large' },
      ]);
      assert.equal(result.code, ExportResultCode.SUCCESS);
      assert.equal(
        (await exportAsync(exporter, [{ name: 'bad3', fail: 'invalid-trace-id' }])).code,
        ExportResultCode.SUCCESS,
      );
      assert.equal((await exportAsync(exporter, [])).code, ExportResultCode.SUCCESS);
      const c = exporter.counters;
      assert.equal(c.spansReceived, 4);
      assert.equal(c.spansExported, 1);
      assert.equal(c.spansFailed, 3);
      assert.equal(c.spansTruncated, 1);
      assert.deepEqual(c.failures, { 'too-large': 2, 'invalid-trace-id': 1 });
      // One line per reason per interval, each with the exporter's prefix.
      assert.deepEqual(log.lines.filter((l) => l.startsWith('test: ')).sort(), [
        'test: span bad cannot be encoded (too-large)',
        'test: span bad3 cannot be encoded (invalid-trace-id)',
        'test: span ok shrunk',
      ]);
    } finally {
      log.restore();
    }
  });

  it('a span is failed if any of its datagrams fails; the batch is FAILED when none was sent', async () => {
    const exporter = newExporter('nonexistent.invalid:2000');
    const result = await exportAsync(exporter, [{ name: 'a', datagrams: 2 }, { name: 'b' }]);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(
      String(result.error?.message),
      /no test datagram could be sent to the X-Ray daemon at nonexistent\.invalid:2000 \((ENOTFOUND|EAI_AGAIN)\)/,
    );
    const c = exporter.counters;
    const code = Object.keys(c.sendErrors)[0];
    assert.deepEqual(c.failures, { [code]: 2 });
    assert.equal(c.sendErrors[code], 3);
    assert.equal(c.spansFailed, 2);
  });

  it('spans sent with no datagram at all count as exported and make no datagram', async () => {
    const sink = await newSink();
    const exporter = newExporter(`127.0.0.1:${sink.port}`);
    assert.equal(
      (await exportAsync(exporter, [{ name: 'empty', datagrams: 0 }])).code,
      ExportResultCode.SUCCESS,
    );
    assert.equal(exporter.counters.spansExported, 1);
    assert.equal(exporter.counters.datagramsSent, 0);
  });

  it('queue full: the spans beyond the bound fail as QUEUE_FULL, the batch is SUCCESS', async () => {
    const sink = await newSink();
    const exporter = newExporter(`127.0.0.1:${sink.port}`, 10);
    const spans = Array.from({ length: 25 }, (_, i) => ({ name: `s${i}` }));
    assert.equal((await exportAsync(exporter, spans)).code, ExportResultCode.SUCCESS);
    const c = exporter.counters;
    assert.equal(c.spansExported, 10);
    assert.deepEqual(c.failures, { QUEUE_FULL: 15 });
    assert.equal(c.datagramsDropped, 15);
  });

  it('an encoder that throws costs only the spans it had not reported', async () => {
    const sink = await newSink();
    const exporter = newExporter(`127.0.0.1:${sink.port}`);
    const result = await exportAsync(exporter, [
      { name: 'a' },
      { name: 'boom', throws: true },
      { name: 'c' },
    ]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    const c = exporter.counters;
    assert.equal(c.spansExported, 1);
    assert.deepEqual(c.failures, { 'encode-error': 2 });
    assert.equal(c.spansExported + c.spansFailed, c.spansReceived);
  });

  it('after shutdown: FAILED, counted as shutdown, and shutdown is idempotent', async () => {
    const sink = await newSink();
    const exporter = newExporter(`127.0.0.1:${sink.port}`);
    let first: ExportResult | undefined;
    exporter.export([{ name: 'a' }], (r) => (first = r));
    const a = exporter.shutdown();
    assert.equal(exporter.shutdown(), a);
    await a;
    assert.deepEqual(first, { code: ExportResultCode.SUCCESS });
    const after = await exportAsync(exporter, [{ name: 'b' }, { name: 'c' }]);
    assert.equal(after.code, ExportResultCode.FAILED);
    assert.match(String(after.error?.message), /shut down/);
    assert.deepEqual(exporter.counters.failures, { shutdown: 2 });
    assert.equal(exporter.counters.spansReceived, 3);
  });

  it('ECONNREFUSED: counted per span and per datagram, said once', async () => {
    const port = await freePort();
    const log = captureDiag();
    try {
      const exporter = newExporter(`127.0.0.1:${port}`);
      for (let i = 0; i < 3; i++) await exportAsync(exporter, [{ name: 'a' }, { name: 'b' }]);
      const c = exporter.counters;
      assert.ok((c.failures.ECONNREFUSED ?? 0) >= 1, JSON.stringify(c));
      assert.equal(c.spansExported + c.spansFailed, 6);
      assert.equal(log.lines.filter((l) => l.includes('ECONNREFUSED')).length, 1, log.lines.join('\n'));
    } finally {
      log.restore();
    }
  });

  it('a sink kept past encode() refuses to be used', async () => {
    const sink = await newSink();
    let kept: DatagramSink | undefined;
    const exporter = new UdpDaemonSpanExporter<TestSpan>({
      daemonAddress: `127.0.0.1:${sink.port}`,
      encoder: (spans, s) => {
        kept = s;
        for (const span of spans) s.send(Buffer.from(span.name), 1);
      },
      logPrefix: 'test: ',
      datagramName: 'a test datagram',
    });
    exporters.push(exporter);
    await exportAsync(exporter, [{ name: 'a' }]);
    assert.throws(() => kept?.send(Buffer.from('late'), 1), /only valid during encode\(\)/);
  });

  it('a throwing result callback goes to diag, not to the app', async () => {
    const sink = await newSink();
    const log = captureDiag(DiagLogLevel.ERROR);
    try {
      const exporter = newExporter(`127.0.0.1:${sink.port}`);
      exporter.export([{ name: 'a' }], () => {
        throw new Error('callback bug');
      });
      await exporter.forceFlush();
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(
        log.lines.some((l) => l.includes('callback threw')),
        log.lines.join('\n'),
      );
    } finally {
      log.restore();
    }
  });
});
