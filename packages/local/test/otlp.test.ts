import * as assert from 'node:assert/strict';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpanLike } from '@xray-otel/translator';
import {
  decodeOtlpJson,
  decodeOtlpProtobuf,
  encodeExportResponse,
  loadOtlpRoot,
  OTLP_PROTO_DIR,
  encodeRpcStatus,
  exportResponseJson,
  spansOfRequest,
  toReadableSpan,
  translateSpans,
} from '../src/otlp';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { everyFieldSpans, realSpans } from './otlp-helpers';

const hrToNanos = (t: readonly [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** The translator's type leaves the scope open (`unknown`); both sides are `{ name, version? }`. */
function scopeOf(scope: unknown) {
  const { name, version } = scope as { name: string; version?: string };
  return { name, version };
}

/** What an SDK span carries that OTLP transports, in the shape of the decoder's ReadableSpanLike. */
function otlpFields(span: ReadableSpan | ReadableSpanLike) {
  const context = span.spanContext();
  // The SDK's TraceState serializes; the decoder hands the header value on as it came.
  const state = (value: object | string | undefined) =>
    typeof value === 'string' ? value : (value as { serialize(): string } | undefined)?.serialize();
  return {
    name: span.name,
    kind: span.kind,
    traceId: context.traceId,
    spanId: context.spanId,
    traceFlags: context.traceFlags,
    traceState: state(context.traceState),
    parentSpanId: span.parentSpanContext?.spanId,
    parentIsRemote: span.parentSpanContext && Boolean(span.parentSpanContext.isRemote),
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: { code: span.status.code, message: span.status.message },
    attributes: span.attributes,
    events: (span.events ?? []).map((e) => ({ name: e.name, time: e.time, attributes: e.attributes ?? {} })),
    links: (span.links ?? []).map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      traceFlags: l.context.traceFlags,
      isRemote: Boolean(l.context.isRemote),
      traceState: state(l.context.traceState),
      attributes: l.attributes ?? {},
    })),
    resource: span.resource?.attributes,
    scope: scopeOf(span.instrumentationScope),
  };
}

describe('otlp', () => {
  for (const [format, decode] of [
    [
      'protobuf',
      (spans: ReturnType<typeof realSpans>) =>
        decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!),
    ],
    [
      'JSON',
      (spans: ReturnType<typeof realSpans>) =>
        decodeOtlpJson(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8')),
    ],
  ] as const) {
    it(`decodes a real ${format} request back to the SDK's spans`, () => {
      const spans = realSpans();
      const decoded = decode(spans);
      assert.ok(decoded.ok);
      assert.equal(decoded.spans.length, 3);
      for (const original of spans) {
        const span: ReadableSpanLike = decoded.spans.find(
          (s) => s.spanContext().spanId === original.spanContext().spanId,
        )!;
        assert.ok(span, original.name);
        assert.equal(span.name, original.name);
        assert.equal(span.kind, original.kind);
        assert.equal(span.spanContext().traceId, original.spanContext().traceId);
        assert.equal(span.parentSpanContext?.spanId, original.parentSpanContext?.spanId);
        assert.equal(hrToNanos(span.startTime), hrToNanos(original.startTime));
        assert.equal(hrToNanos(span.endTime), hrToNanos(original.endTime));
        assert.deepEqual(span.status.code, original.status.code);
        assert.deepEqual(span.attributes, original.attributes);
        assert.equal(span.events?.length, original.events.length);
        assert.equal(span.resource?.attributes['service.name'], 'checkout');
        assert.deepEqual(span.instrumentationScope, { name: 'otlp-test', version: '1.2.3' });
      }
      const translated = translateSpans(decoded.spans);
      assert.equal(translated.rejected.length, 0);
      assert.equal(translated.documents.length, 3);
      const server = translated.documents.find((d) => d.name === 'checkout')!;
      assert.equal(
        server.trace_id,
        '1-' + spans[0].spanContext().traceId.slice(0, 8) + '-' + spans[0].spanContext().traceId.slice(8),
      );
      const client = translated.documents.find((d) => d.namespace === 'remote')!;
      assert.equal(client.fault, true);
    });
  }

  for (const [format, encode] of [
    [
      'protobuf',
      (spans: ReadableSpan[]) => decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!),
    ],
    [
      'OTLP/JSON',
      (spans: ReadableSpan[]) =>
        decodeOtlpJson(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8')),
    ],
  ] as const) {
    it(`round-trips real SDK spans field for field through ${format} (every attribute type, events, links, status, resource, scope)`, () => {
      const spans = everyFieldSpans();
      assert.equal(spans.length, 5);
      const decoded = encode(spans);
      assert.ok(decoded.ok);
      assert.deepEqual(decoded.spans.map(otlpFields), spans.map(otlpFields));
      // The fields the comparison relies on are really there, not equal because both are empty.
      const server = otlpFields(decoded.spans.find((s) => s.kind === 1)!);
      assert.equal(server.parentIsRemote, true);
      assert.equal(server.traceState, 'vendor=a,other=b');
      assert.equal(server.links.length, 2);
      assert.deepEqual(server.links[0], {
        traceId: 'a006649127e371903a2de979581cf771',
        spanId: '70de5b6f19ff9a0a',
        traceFlags: 0,
        isRemote: true,
        traceState: 'k=v',
        attributes: { 'link.reason': 'batch', 'link.index': 3 },
      });
      assert.equal(server.attributes.max, Number.MAX_SAFE_INTEGER);
      assert.deepEqual(server.attributes.none, []);
      assert.equal(server.events[0].attributes.size, 3);
      assert.deepEqual(server.status, { code: 1, message: undefined });
      assert.deepEqual(server.resource?.['host.ips'], ['10.0.0.1', '10.0.0.2']);
      const client = otlpFields(decoded.spans.find((s) => s.kind === 2)!);
      assert.deepEqual(client.status, { code: 2, message: 'boom' });
      assert.equal(client.events[0].name, 'exception');
      assert.deepEqual(new Set(decoded.spans.map((s) => s.kind)), new Set([0, 1, 2, 3, 4]));
    });
  }

  it('loads the official opentelemetry-proto definitions the build copied, with their licence', () => {
    const trace = fs.readFileSync(
      path.join(OTLP_PROTO_DIR, 'opentelemetry/proto/trace/v1/trace.proto'),
      'utf8',
    );
    assert.match(trace, /^\/\/ Copyright 2019, OpenTelemetry Authors/);
    assert.match(
      fs.readFileSync(path.join(OTLP_PROTO_DIR, 'LICENSE'), 'utf8'),
      /Apache License\s+Version 2\.0/,
    );
    const root = loadOtlpRoot();
    assert.equal(root.lookupType('opentelemetry.proto.trace.v1.Span').fields.flags.id, 16);
    assert.equal(root.lookupType('opentelemetry.proto.trace.v1.Span.Link').fields.flags.id, 6);
    assert.throws(
      () => loadOtlpRoot(path.join(OTLP_PROTO_DIR, 'missing')),
      /OTLP definitions could not be loaded from .*missing .*npm run build/,
    );
  });

  it('maps OTLP kinds, status names, flags, values and ids (hex or base64) from OTLP/JSON', () => {
    const traceId = '5759e988bd862e3fe1be46a994272793';
    const kinds = [0, 1, 2, 3, 4, 5, 9].map((kind) => toReadableSpan({ kind }, undefined, undefined).kind);
    assert.deepEqual(kinds, [0, 0, 1, 2, 3, 4, 0]);
    assert.equal(toReadableSpan({ kind: 'SPAN_KIND_CONSUMER' }, undefined, undefined).kind, 4);
    assert.equal(toReadableSpan({ kind: '3' }, undefined, undefined).kind, 2);
    assert.equal(toReadableSpan({ kind: 'NOPE' }, undefined, undefined).kind, 0);
    const span = toReadableSpan(
      {
        traceId: Buffer.from(traceId, 'hex').toString('base64'),
        spanId: '53995C3F42CD8AD8',
        parentSpanId: '1234567890abcdef',
        flags: 0x301,
        traceState: 'a=b',
        name: 'n',
        startTimeUnixNano: '1795345064826123456',
        endTimeUnixNano: { low: 0, high: 1 },
        status: { code: 'STATUS_CODE_ERROR', message: 'bad' },
        attributes: [
          { key: 's', value: { stringValue: 'x' } },
          { key: 'i', value: { intValue: '42' } },
          { key: 'l', value: { intValue: { low: 5, high: 0 } } },
          { key: 'd', value: { doubleValue: 1.5 } },
          { key: 'b', value: { boolValue: true } },
          { key: 'a', value: { arrayValue: { values: [{ stringValue: 'p' }, { intValue: 1 }] } } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: false } }] } } },
          { key: 'bytes', value: { bytesValue: Buffer.from('hi').toString('base64') } },
          { key: 'empty', value: {} },
          { notAKey: 1 },
        ],
        events: [{ name: 'e', timeUnixNano: 5 }, 'junk'],
        links: [{ traceId, spanId: 'abcdefabcdefabcd', traceState: 'x=y', attributes: [] }],
      },
      { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      { name: 'scope' },
    );
    const context = span.spanContext();
    assert.equal(context.traceId, traceId);
    assert.equal(context.spanId, '53995c3f42cd8ad8');
    assert.equal(context.traceFlags, 1);
    assert.equal(context.traceState, 'a=b');
    assert.deepEqual(span.parentSpanContext, { traceId, spanId: '1234567890abcdef', isRemote: true });
    assert.deepEqual(span.startTime, [1795345064, 826123456]);
    assert.deepEqual(span.endTime, [4, 294967296]);
    assert.deepEqual(span.status, { code: 2, message: 'bad' });
    assert.deepEqual(span.attributes, {
      s: 'x',
      i: 42,
      l: 5,
      d: 1.5,
      b: true,
      a: ['p', 1],
      kv: { inner: false },
      bytes: new Uint8Array([0x68, 0x69]),
      empty: undefined,
    });
    assert.deepEqual(span.events, [{ name: 'e', time: [0, 5], attributes: {} }]);
    assert.equal(span.links?.[0].context.traceState, 'x=y');
    assert.deepEqual(span.resource, { attributes: { 'service.name': 'svc' } });
    const bare = toReadableSpan({ startTimeUnixNano: 'garbage', traceId: 'zz' }, undefined, undefined);
    assert.deepEqual(bare.startTime, [0, 0]);
    assert.equal(bare.spanContext().traceId, 'zz');
    assert.equal(bare.name, '');
    assert.equal(bare.parentSpanContext, undefined);
    assert.equal(
      toReadableSpan(
        { attributes: [{ key: 'b', value: { bytesValue: new Uint8Array([1]) } }] },
        undefined,
        undefined,
      ).attributes.b instanceof Uint8Array,
      true,
    );
  });

  it('skips malformed request structure without throwing', () => {
    assert.deepEqual(spansOfRequest(null), []);
    assert.deepEqual(spansOfRequest({ resourceSpans: [1, { scopeSpans: [2, { spans: [3] }] }] }), []);
    const json = decodeOtlpJson('{"resourceSpans":"nope"}');
    assert.ok(json.ok && json.spans.length === 0);
  });

  it('rejects undecodable input as invalid-otlp', () => {
    const protobuf = decodeOtlpProtobuf(new Uint8Array([0x0a, 0xff, 0xff, 0xff]));
    assert.ok(
      !protobuf.ok && protobuf.reason === 'invalid-otlp' && /could not be decoded/.test(protobuf.detail),
    );
    const json = decodeOtlpJson('{');
    assert.ok(!json.ok && /not JSON/.test(json.detail));
    const array = decodeOtlpJson('[]');
    assert.ok(!array.ok && /JSON object/.test(array.detail));
  });

  it("turns the translator's errors into rejections with its reason", () => {
    const good = toReadableSpan(
      {
        traceId: '5759e988bd862e3fe1be46a994272793',
        spanId: '53995c3f42cd8ad8',
        name: 'ok',
        startTimeUnixNano: '1',
        endTimeUnixNano: '2',
      },
      undefined,
      undefined,
    );
    const badId = toReadableSpan(
      { traceId: '5759e988bd862e3fe1be46a994272793', spanId: 'xx', name: 'bad' },
      undefined,
      undefined,
    );
    const throwing = {
      ...good,
      name: 'throws',
      spanContext: () => {
        throw new Error('hostile');
      },
    };
    const result = translateSpans([good, badId, throwing]);
    assert.equal(result.documents.length, 1);
    assert.equal(result.rejectedSpans, 2);
    assert.equal(result.rejected[0].reason, 'invalid-span-id');
    assert.match(result.rejected[0].detail, /^span "bad": /);
  });

  it('encodes export responses with partial_success only when spans were rejected', () => {
    assert.equal(encodeExportResponse(0, '').length, 0);
    assert.ok(encodeExportResponse(2, 'x').length > 0);
    assert.equal(exportResponseJson(0, ''), '{}');
    assert.deepEqual(JSON.parse(exportResponseJson(2, 'm')), {
      partialSuccess: { rejectedSpans: '2', errorMessage: 'm' },
    });
    assert.ok(encodeRpcStatus(3, 'bad').length > 0);
  });
});
