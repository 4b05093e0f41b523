import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { ExportResultCode } from '@opentelemetry/core';
import { XRayLocal, type XRayLocalAddresses } from '../src/server';
import { datagram, segment, udpFixtures } from './helpers';
import { realSpans } from './otlp-helpers';

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('server', () => {
  let server: XRayLocal;
  let addresses: XRayLocalAddresses;
  let client: dgram.Socket;
  const warnings: string[] = [];
  const send = (payload: Buffer) =>
    new Promise<void>((resolve, reject) =>
      client.send(payload, addresses.udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
  const url = (port: number, p: string) => `http://127.0.0.1:${port}${p}`;

  before(async () => {
    server = new XRayLocal({
      udpPort: 0,
      tcpPort: 0,
      otlpPort: 0,
      uiPort: 0,
      logger: { info: () => undefined, warn: (l) => warnings.push(l) },
    });
    addresses = await server.start();
    assert.equal(await server.start(), addresses);
    client = dgram.createSocket('udp4');
  });
  after(async () => {
    client.close();
    await server.stop();
    await server.stop();
  });

  it('binds ephemeral ports on 127.0.0.1', () => {
    assert.equal(addresses.host, '127.0.0.1');
    for (const port of [addresses.udpPort, addresses.tcpPort, addresses.otlpPort, addresses.uiPort])
      assert.ok(port > 0);
    assert.equal(server.addresses, addresses);
  });

  it('stores every valid fixture datagram and rejects bad ones with reasons, never crashing', async () => {
    const fixtures = udpFixtures().filter(
      (f) => f.name.startsWith('node-01') || f.name.startsWith('py-deb095'),
    );
    for (const fixture of fixtures) await send(fixture.bin);
    await send(Buffer.from('garbage'));
    await send(datagram('{"name":'));
    await send(datagram(segment({ trace_id: '1-abc' })));
    await send(Buffer.alloc(0));
    await until(() => server.stats().received === fixtures.length + 4, 'datagrams');
    const stats = server.stats();
    assert.equal(stats.accepted, fixtures.length);
    assert.equal(stats.documents, fixtures.length);
    assert.deepEqual(stats.rejectedByReason, {
      'invalid-header': 2,
      'invalid-json': 1,
      'invalid-trace-id': 1,
    });
    assert.equal(stats.receivedBySource.udp, fixtures.length + 4);
    const rejected = server.rejected(10);
    assert.equal(rejected[0].reason, 'invalid-header');
    assert.equal(rejected[1].reason, 'invalid-trace-id');
    assert.match(rejected[1].sample, /1-abc/);
    assert.ok(
      warnings.some((w) =>
        w.startsWith('xray-local: rejected udp document: invalid-trace-id: trace_id "1-abc"'),
      ),
    );
  });

  it('receives OTLP over UDP (T1S)', async () => {
    const before = server.stats().accepted;
    const request = Buffer.from(ProtobufTraceSerializer.serializeRequest(realSpans())!);
    await send(Buffer.from('{"format":"json","version":1}\nT1S' + request.toString('base64')));
    await send(
      Buffer.from('{"format":"json","version":1}\nT1U' + Buffer.from([0x0a, 0xff]).toString('base64')),
    );
    await send(Buffer.from('{"format":"json","version":1}\nT1S!!'));
    await until(
      () =>
        server.stats().accepted === before + 3 && (server.stats().rejectedByReason['invalid-otlp'] ?? 0) >= 2,
      'otlp-udp',
    );
    assert.equal(server.stats().receivedBySource['otlp-udp'], 5);
  });

  it('receives OTLP/HTTP protobuf from the real exporter', async () => {
    const exporter = new OTLPTraceExporter({ url: url(addresses.otlpPort, '/v1/traces') });
    const spans = realSpans();
    const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export(spans, resolve),
    );
    await exporter.shutdown();
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assert.equal(server.stats().receivedBySource['otlp-http-protobuf'], 3);
    const traceId = spans[0].spanContext().traceId;
    const trace = server.store.getTrace(`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`);
    assert.ok(trace);
  });

  it('receives OTLP/JSON (plain and gzip) and reports partial success', async () => {
    const body = Buffer.from(JsonTraceSerializer.serializeRequest(realSpans())!);
    const plain = await fetch(url(addresses.otlpPort, '/v1/traces'), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
    });
    assert.equal(plain.status, 200);
    assert.deepEqual(await plain.json(), {});
    const gzip = await fetch(url(addresses.otlpPort, '/v1/traces'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: zlib.gzipSync(body),
    });
    assert.equal(gzip.status, 200);
    const partial = JSON.parse(body.toString('utf8'));
    partial.resourceSpans[0].scopeSpans[0].spans[0].spanId = 'xx';
    const answer = await fetch(url(addresses.otlpPort, '/v1/traces'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(partial),
    });
    const json = (await answer.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    assert.equal(json.partialSuccess.rejectedSpans, '1');
    assert.match(json.partialSuccess.errorMessage, /invalid-span-id/);
  });

  it('answers OTLP/HTTP errors: 400, 404, 405, 415', async () => {
    const post = (p: string, type: string, body: string | Uint8Array, extra: Record<string, string> = {}) =>
      fetch(url(addresses.otlpPort, p), {
        method: 'POST',
        headers: { 'content-type': type, ...extra },
        body,
      });
    assert.equal((await post('/v1/traces', 'application/json', '{')).status, 400);
    const badProto = await post('/v1/traces', 'application/x-protobuf', new Uint8Array([0x0a, 0xff, 0xff]));
    assert.equal(badProto.status, 400);
    assert.equal(badProto.headers.get('content-type'), 'application/x-protobuf');
    assert.equal(
      (await post('/v1/traces', 'application/json', 'not gzip', { 'content-encoding': 'gzip' })).status,
      400,
    );
    assert.equal(
      (await post('/v1/traces', 'application/x-protobuf', 'x', { 'content-encoding': 'br' })).status,
      415,
    );
    assert.equal((await post('/v1/traces', 'text/plain', 'x')).status, 415);
    assert.equal((await post('/v1/metrics', 'application/json', '{}')).status, 404);
    const get = await fetch(url(addresses.otlpPort, '/v1/traces'));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  it('answers the sampling API on the TCP port', async () => {
    const answer = await fetch(url(addresses.tcpPort, '/GetSamplingRules'), { method: 'POST', body: '{}' });
    const json = (await answer.json()) as { SamplingRuleRecords: { SamplingRule: { RuleName: string } }[] };
    assert.equal(json.SamplingRuleRecords[0].SamplingRule.RuleName, 'Default');
  });

  it('serves the JSON API and 404 on the UI port', async () => {
    const stats = await fetch(url(addresses.uiPort, '/api/stats'));
    assert.equal(stats.status, 200);
    assert.equal(((await stats.json()) as { accepted: number }).accepted, server.stats().accepted);
    assert.equal((await fetch(url(addresses.uiPort, '/no/such/thing'))).status, 404);
  });

  it('saves, loads, evicts and warns for a non-loopback host', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-local-server-'));
    const file = path.join(dir, 'docs.ndjson');
    const lines: string[] = [];
    const logger = { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    try {
      const first = new XRayLocal({ udpPort: 0, tcpPort: 0, otlpPort: 0, uiPort: 0, saveFile: file, logger });
      await first.start();
      first.receiveDatagram(datagram(segment()));
      first.receiveDatagram(
        datagram(segment({ id: '1111111111111111', trace_id: '1-581cf771-a006649127e371903a2de970' })),
      );
      await first.stop();
      const second = new XRayLocal({
        host: '0.0.0.0',
        udpPort: 0,
        tcpPort: 0,
        otlpPort: 0,
        uiPort: 0,
        loadFile: file,
        maxTraces: 1,
        logger,
      });
      await second.start();
      assert.equal(second.stats().receivedBySource.load, 2);
      assert.equal(second.stats().traces, 1);
      assert.equal(second.stats().evicted, 1);
      await second.stop();
      assert.ok(lines.some((l) => /not a loopback address/.test(l)));
      assert.ok(lines.some((l) => /loaded 2 documents/.test(l)));
      assert.ok(lines.some((l) => /stopped; 2 datagrams, 2 accepted, 0 rejected/.test(l)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validates documents loaded with --load like documents on the wire', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-local-load-'));
    const file = path.join(dir, 'docs.ndjson');
    const lines: string[] = [];
    const logger = { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    fs.writeFileSync(
      file,
      [
        JSON.stringify(segment()),
        JSON.stringify(segment({ id: '2222222222222222', trace_id: '1-abc' })),
        'not json',
      ].join('\n'),
    );
    const server = new XRayLocal({ udpPort: 0, tcpPort: 0, otlpPort: 0, uiPort: 0, loadFile: file, logger });
    try {
      await server.start();
      assert.equal(server.stats().documents, 1);
      assert.ok(
        lines.some((l) => /loaded 1 documents .*\(2 lines skipped/.test(l)),
        lines.join('\n'),
      );
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails to start on a busy port, with the port error, and closes what it opened', async () => {
    const busy = new XRayLocal({
      udpPort: 0,
      tcpPort: addresses.tcpPort,
      otlpPort: 0,
      uiPort: 0,
      quiet: true,
    });
    await assert.rejects(busy.start(), (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE');
    assert.equal(busy.addresses, undefined);
    const badRules = new XRayLocal({
      udpPort: 0,
      tcpPort: 0,
      otlpPort: 0,
      uiPort: 0,
      samplingRulesFile: '/nonexistent/rules.json',
      quiet: true,
    });
    await assert.rejects(badRules.start(), /cannot read sampling rules file/);
    assert.throws(() => new XRayLocal({ udpPort: 70000 }), /udpPort must be an integer/);
  });
});
