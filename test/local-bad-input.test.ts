// Bad input into a real xray-local (XRayLocal on ephemeral loopback ports): garbage and malformed
// datagrams, truncated and oversized documents, invalid OTLP (over UDP and HTTP), oversized HTTP
// bodies, malformed filter expressions, wrong methods and unknown paths. Each is refused with a
// reason (/api/rejected, /api/stats rejectedByReason, or the HTTP status), and the server keeps
// working: a valid document sent afterwards is accepted and queryable.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import { context, SpanKind } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { MAX_OTLP_BODY_BYTES } from '../packages/local/src/server';
import type { Rejection } from '../packages/local/src/types';
import { HEADER_LINE } from './helpers/daemon';
import { otlpDatagram, request, segmentDatagram, startLocal, type LocalServer } from './helpers/local-server';
import { newSegmentId, newTraceId } from './helpers/processes';

function validSegment(name = 'bad-input-check') {
  const now = Date.now() / 1000;
  return { name, id: newSegmentId(), trace_id: newTraceId(), start_time: now, end_time: now + 0.01 };
}

/** Protobuf bytes of one SERVER span whose attribute `blob` is `blobBytes` long. */
function otlpRequest(blobBytes: number): Uint8Array {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bad-input-otlp' }),
    idGenerator: new AWSXRayIdGenerator(),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const span = provider
    .getTracer('bad-input')
    .startSpan(
      'GET /big',
      { kind: SpanKind.SERVER, attributes: { blob: 'x'.repeat(blobBytes) } },
      context.active(),
    );
  span.end();
  return ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!;
}

describe('xray-local bad input: refused with a reason, and the server keeps running', function () {
  this.timeout(60000);
  let local: LocalServer;
  const ui = () => `http://127.0.0.1:${local.uiPort}`;
  const otlp = () => local.otlpUrl;

  before(async () => {
    local = await startLocal();
  });

  after(async () => {
    await local?.stop();
  });

  /** Sends `datagrams`, waits until that many more datagrams were received; the new rejections. */
  async function rejectionsFor(...datagrams: Buffer[]): Promise<Rejection[]> {
    const before = await local.api.stats();
    await local.send(...datagrams);
    const after = await local.api.waitForStats(
      (s) => s.received >= before.received + datagrams.length,
      `${datagrams.length} datagrams received`,
    );
    return (await local.api.rejected(1000)).slice(0, after.rejected - before.rejected);
  }

  const udpCases: [string, () => Buffer, string, RegExp][] = [
    [
      'random bytes',
      () => Buffer.from(randomBytes(512).map((b) => (b === 0x0a ? 0x20 : b))),
      'invalid-header',
      /newline/,
    ],
    [
      'a document without the header line',
      () => Buffer.from(JSON.stringify(validSegment())),
      'invalid-header',
      /newline/,
    ],
    [
      'a header that is not JSON',
      () => Buffer.from(`format=json\n${JSON.stringify(validSegment())}`),
      'invalid-header',
      /not JSON/,
    ],
    [
      'format "xml"',
      () => Buffer.from(`{"format":"xml","version":1}\n${JSON.stringify(validSegment())}`),
      'invalid-header',
      /format/,
    ],
    [
      'version "1" as a string',
      () => Buffer.from(`{"format":"json","version":"1"}\n${JSON.stringify(validSegment())}`),
      'invalid-header',
      /version/,
    ],
    [
      'the header line only',
      () => Buffer.from(`${HEADER_LINE}\n`),
      'invalid-header',
      /nothing after the header/,
    ],
    [
      'truncated JSON',
      () => segmentDatagram(validSegment()).subarray(0, HEADER_LINE.length + 30),
      'invalid-json',
      /./,
    ],
    ['a JSON array', () => Buffer.from(`${HEADER_LINE}\n[1,2,3]`), 'schema', /./],
    [
      'a bad trace id',
      () => segmentDatagram({ ...validSegment(), trace_id: '1-zz-not-a-trace-id' }),
      'invalid-trace-id',
      /trace_id/,
    ],
    ['a bad segment id', () => segmentDatagram({ ...validSegment(), id: 'XYZ' }), 'invalid-id', /id/],
    ['no name', () => segmentDatagram({ ...validSegment(), name: undefined }), 'missing-field', /name/],
    [
      'a 65,000-byte document (over the 64,000-byte limit, under the UDP maximum)',
      () => segmentDatagram({ ...validSegment(), metadata: { default: { blob: 'x'.repeat(64950) } } }),
      'too-large',
      /64000|64 ?kB|bytes/,
    ],
    [
      'OTLP over UDP: T1S + base64 of garbage',
      () => Buffer.from(`${HEADER_LINE}\nT1S${randomBytes(300).toString('base64')}`),
      'invalid-otlp',
      /./,
    ],
    [
      'OTLP over UDP: T1S + not base64',
      () => Buffer.from(`${HEADER_LINE}\nT1S!!! not base64 ***`),
      'invalid-otlp',
      /./,
    ],
  ];

  describe('UDP datagrams', () => {
    for (const [label, make, reason, detail] of udpCases) {
      it(`${label} -> ${reason}`, async () => {
        const datagram = make();
        const rejections = await rejectionsFor(datagram);
        assert.equal(rejections.length, 1, JSON.stringify(rejections));
        const [rejection] = rejections;
        assert.equal(rejection.reason, reason, rejection.detail);
        assert.match(rejection.detail, detail);
        assert.ok(['udp', 'otlp-udp'].includes(rejection.source), rejection.source);
        assert.ok(rejection.sample.length <= 2048 && rejection.receivedAt > 0);
      });
    }

    it('a 70,000-byte datagram never leaves the sender (IPv4 UDP maximum is 65,507 bytes)', async () => {
      const socket = dgram.createSocket('udp4');
      try {
        const big = segmentDatagram({
          ...validSegment(),
          metadata: { default: { blob: 'x'.repeat(70000) } },
        });
        const error = await new Promise<Error | null>((resolve) =>
          socket.send(big, local.udpPort, '127.0.0.1', (err) => resolve(err)),
        );
        assert.equal((error as NodeJS.ErrnoException | null)?.code, 'EMSGSIZE');
      } finally {
        socket.close();
      }
    });
  });

  describe('OTLP/HTTP', () => {
    const post = (body: Buffer | string, contentType = 'application/x-protobuf', path = '') =>
      request(otlp() + path, { method: 'POST', headers: { 'content-type': contentType }, body });

    it('garbage protobuf -> 400 and an invalid-otlp rejection', async () => {
      const before = await local.api.stats();
      const answer = await post(randomBytes(2000));
      assert.equal(answer.status, 400);
      const stats = await local.api.stats();
      assert.equal(
        stats.rejectedByReason['invalid-otlp'],
        (before.rejectedByReason['invalid-otlp'] ?? 0) + 1,
      );
      const [latest] = await local.api.rejected(1);
      assert.equal(latest.reason, 'invalid-otlp');
      assert.equal(latest.source, 'otlp-http-protobuf');
    });

    it('malformed OTLP/JSON -> 400', async () => {
      const answer = await post('{"resourceSpans": [', 'application/json');
      assert.equal(answer.status, 400);
      assert.match(JSON.parse(answer.body).message, /not JSON/);
    });

    it('a span whose document would be 70,000 bytes -> shrunk under 64,000 bytes by the translator, marked', async () => {
      // Unlike a datagram (refused as too-large above), an OTLP span is translated here, and the
      // translator's size guard cuts it to fit X-Ray's limit, leaving a marker (translator serialize.ts).
      const before = await local.api.stats();
      const answer = await post(Buffer.from(otlpRequest(70000)));
      assert.equal(answer.status, 200, answer.body);
      const stats = await local.api.waitForStats(
        (s) => s.accepted === before.accepted + 1,
        'the span accepted',
      );
      assert.equal(stats.rejected, before.rejected);
      const [summary] = await local.api.traces('service("bad-input-otlp")');
      const trace = (await local.api.trace(summary.id))!;
      const document = trace.documents[0] as { metadata?: Record<string, Record<string, unknown>> };
      assert.ok(Buffer.byteLength(JSON.stringify(document)) <= 64000);
      assert.equal(
        document.metadata?.xray_otel?.truncated,
        true,
        JSON.stringify(document.metadata?.xray_otel),
      );
    });

    it(`a 10 MB garbage body -> 400 invalid-otlp`, async () => {
      const answer = await post(randomBytes(10 * 1024 * 1024));
      assert.equal(answer.status, 400);
      const [latest] = await local.api.rejected(1);
      assert.equal(latest.reason, 'invalid-otlp');
    });

    it(`a body over the limit (${MAX_OTLP_BODY_BYTES} bytes) -> 413, read no further`, async () => {
      const answer = await post(Buffer.alloc(MAX_OTLP_BODY_BYTES + 1024 * 1024, 0x41)).catch(
        (error: Error) => error,
      );
      // The server may answer 413 and close before the whole body is written: an EPIPE / reset is a
      // refusal too. It must not have accepted anything.
      if (answer instanceof Error) assert.match(answer.message, /EPIPE|ECONNRESET|socket hang up/);
      else assert.equal(answer.status, 413, answer.body);
      // Counted and kept with its reason like any other rejection.
      const [latest] = await local.api.rejected(1);
      assert.equal(latest.reason, 'too-large');
    });

    it('wrong content type -> 415; GET -> 405; another path -> 404', async () => {
      assert.equal((await post('x', 'text/plain')).status, 415);
      const get = await request(otlp());
      assert.equal(get.status, 405);
      assert.equal(get.headers.allow, 'POST');
      assert.equal((await post(Buffer.alloc(0), 'application/x-protobuf', '/../../v1/metrics')).status, 404);
      const metrics = await request(otlp().replace('/v1/traces', '/v1/metrics'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: Buffer.alloc(0),
      });
      assert.equal(metrics.status, 404);
    });
  });

  describe('JSON API', () => {
    const malformed: [string, number][] = [
      ['service("a"', 11],
      ['http.status = ', 14],
      ['fault AND', 9],
      ['(fault', 6],
      ['fault)', 5],
      ['annotation.x ==== 3', 14],
      ['http.status = "abc" AND @', 24],
      ['responsetime > ', 15],
    ];
    for (const [filter, near] of malformed) {
      it(`malformed filter ${JSON.stringify(filter)} -> 400 with a position`, async () => {
        const answer = await request(`${ui()}/api/traces?filter=${encodeURIComponent(filter)}`);
        assert.equal(answer.status, 400, answer.body);
        const body = JSON.parse(answer.body) as { error: string; position: number };
        assert.equal(typeof body.position, 'number');
        assert.ok(body.position >= 0 && body.position <= filter.length, `position ${body.position}`);
        assert.ok(
          Math.abs(body.position - near) <= 6,
          `position ${body.position} near ${near}: ${body.error}`,
        );
        assert.match(body.error, /position \d+/);
      });
    }

    it('a bad limit -> 400', async () => {
      assert.equal((await request(`${ui()}/api/traces?limit=-1`)).status, 400);
      assert.equal((await request(`${ui()}/api/traces?limit=abc`)).status, 400);
    });

    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      it(`${method} /api/traces -> 405, allow: GET`, async () => {
        const answer = await request(`${ui()}/api/traces`, {
          method,
          body: method === 'DELETE' ? undefined : '{}',
        });
        assert.equal(answer.status, 405);
        assert.equal(answer.headers.allow, 'GET');
      });
    }

    it('unknown paths -> 404', async () => {
      assert.equal((await request(`${ui()}/api/nope`)).status, 404);
      assert.equal((await request(`${ui()}/api/traces/1-00000000-000000000000000000000000`)).status, 404);
      assert.equal((await request(`${ui()}/api/traces/%E0%A4%A`)).status, 400, 'a malformed escape');
      assert.equal((await request(`${ui()}/no/such/page`)).status, 404);
    });
  });

  // Last (mocha runs a describe's own tests before its nested describes): after all of the above.
  describe('afterwards', () => {
    it('counts every rejection by reason, and still accepts and serves a valid document', async () => {
      const stats = await local.api.stats();
      const byReason = stats.rejectedByReason;
      assert.ok(byReason['invalid-header'] >= 6, JSON.stringify(byReason));
      for (const reason of [
        'invalid-json',
        'schema',
        'invalid-trace-id',
        'invalid-id',
        'missing-field',
        'too-large',
        'invalid-otlp',
      ]) {
        assert.ok(byReason[reason] >= 1, `${reason} in ${JSON.stringify(byReason)}`);
      }
      const sum = Object.values(byReason).reduce((a, b) => a + b, 0);
      assert.equal(sum, stats.rejected);
      assert.equal(stats.accepted, 1, 'nothing bad was accepted (one: the shrunk OTLP span)');

      const segment = validSegment('still-running');
      await local.send(segmentDatagram(segment));
      const trace = await local.api.waitForTrace(segment.trace_id, () => true, 'the valid document');
      assert.equal(trace.summary.name, 'still-running');
      assert.equal((await local.api.stats()).accepted, 2);
      // And OTLP over UDP still works.
      await local.send(otlpDatagram(otlpRequest(10)));
      await local.api.waitForStats((s) => s.accepted === 3, 'the OTLP span accepted');
    });
  });
});
