import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import FakeTimers from '@sinonjs/fake-timers';
import { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BatchSpanProcessor,
  BasicTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AWSXRayIdGenerator } from '@xray-otel/id-generator';
import { XRayLocal, decodeOtlpProtobuf } from '@xray-otel/local';
import { serializeSegment, spanToSegments, type TranslatorOptions } from '@xray-otel/translator';
import {
  AWSXRayAnnotationsSpanProcessor,
  AWSXRayCollectorSpanExporter,
  createCollectorSpanExporter,
  resolveCollectorProtocol,
  type OtlpProtocol,
} from '../src';
import { failureReason, loadUpstream } from '../src/collector';
import { resolveAnnotationsOptions } from '../src/annotations-processor';
import { exportSpans, KeepAllProcessor } from './helpers';

const RESOURCE = { 'service.name': 'orders', 'deployment.environment': 'test', 'host.id': 'i-0abc' };

/** A small realistic trace: server span, HTTP client child with an error, DB child, custom attributes. */
function makeTrace(tracer: ReturnType<BasicTracerProvider['getTracer']>): void {
  const server = tracer.startSpan('GET /orders/:id', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'GET',
      'url.scheme': 'https',
      'server.address': 'shop.example.com',
      'url.path': '/orders/42',
      'http.route': '/orders/:id',
      'http.response.status_code': 200,
      'order.id': 'o-42',
      'customer.tier': 'gold',
      'cart.total': 12.5,
      'cart.items': 3,
      vip: true,
      tags: ['a', 'b'],
      'enduser.id': 'alice',
      'aws.xray.metadata.debug': '{"cache":"miss"}',
    },
  });
  const ctx = trace.setSpan(context.active(), server);
  const client = tracer.startSpan(
    'GET',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'http://stock/items/42',
        'http.response.status_code': 503,
        'order.id': 'o-42',
      },
    },
    ctx,
  );
  client.recordException(new Error('stock unavailable'));
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'stock unavailable' });
  client.end();
  const db = tracer.startSpan(
    'SELECT orders',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'postgresql',
        'db.name': 'shop',
        'db.statement': 'SELECT * FROM orders WHERE id = $1',
      },
    },
    ctx,
  );
  db.setAttribute('customer.tier', 'gold');
  db.end();
  server.setAttribute('late.key', 'set-after-start');
  server.end();
}

function provider(processors: unknown[]): BasicTracerProvider {
  return new BasicTracerProvider({
    idGenerator: new AWSXRayIdGenerator(),
    resource: resourceFromAttributes(RESOURCE),
    spanProcessors: processors as SimpleSpanProcessor[],
  });
}

const xrayTraceId = (traceId: string): string => `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;

/** What the daemon path sends for these spans: the translator's documents, as JSON. */
function daemonDocuments(spans: readonly ReadableSpan[], options: TranslatorOptions): unknown[] {
  return spans.flatMap((span) =>
    spanToSegments(span, options).map((segment) => JSON.parse(serializeSegment(segment))),
  );
}

/**
 * The one field that legitimately differs: `cause.exceptions[].id` is a random 64-bit id drawn at each
 * translation (the collector's awsxray exporter does the same), so two translations of one span never
 * agree on it. Checked for shape, then removed.
 */
function withoutExceptionIds(document: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(document)) as { cause?: { exceptions?: { id?: string }[] } };
  for (const exception of copy.cause?.exceptions ?? []) {
    assert.match(exception.id ?? '', /^[0-9a-f]{16}$/);
    delete exception.id;
  }
  return copy;
}

const byId = (a: unknown, b: unknown): number =>
  (a as { id: string }).id < (b as { id: string }).id ? -1 : 1;

describe('AWSXRayCollectorSpanExporter', () => {
  describe('through a real OTLP/HTTP receiver (xray-local): the same documents as the daemon path', () => {
    let local: XRayLocal;
    let otlpPort: number;
    before(async () => {
      local = new XRayLocal({ udpPort: 0, tcpPort: 0, otlpPort: 0, uiPort: 0, quiet: true });
      otlpPort = (await local.start()).otlpPort;
    });
    after(() => local.stop());

    const cases: {
      protocol: OtlpProtocol;
      annotations: ConstructorParameters<typeof AWSXRayAnnotationsSpanProcessor>[0];
      translator: TranslatorOptions;
    }[] = [
      {
        protocol: 'http/protobuf',
        annotations: {
          indexedAttributes: [
            'order.id',
            'customer.tier',
            'late.key',
            'otel.resource.deployment.environment',
          ],
        },
        translator: {
          indexedAttributes: [
            'order.id',
            'customer.tier',
            'late.key',
            'otel.resource.deployment.environment',
          ],
        },
      },
      {
        protocol: 'http/json',
        annotations: { indexedAttributes: ['order.id', 'late.key'] },
        translator: { indexedAttributes: ['order.id', 'late.key'] },
      },
      {
        protocol: 'http/protobuf',
        annotations: { indexAllAttributes: true },
        translator: { indexAllAttributes: true },
      },
      { protocol: 'http/json', annotations: { indexedAttributes: [] }, translator: {} },
    ];
    for (const { protocol, annotations, translator } of cases) {
      it(`${protocol}, annotations ${JSON.stringify(annotations)}`, async () => {
        const exporter = createCollectorSpanExporter({
          protocol,
          url: `http://127.0.0.1:${otlpPort}/v1/traces`,
        });
        assert.equal(exporter.protocol, protocol);
        const kept = new KeepAllProcessor();
        const tracerProvider = provider([
          new AWSXRayAnnotationsSpanProcessor(annotations),
          new SimpleSpanProcessor(exporter as never),
          kept,
        ]);
        makeTrace(tracerProvider.getTracer('orders-app', '1.0.0'));
        await tracerProvider.forceFlush();
        await tracerProvider.shutdown();
        assert.deepEqual(exporter.counters, {
          spansReceived: 3,
          spansExported: 3,
          spansFailed: 0,
          spansTruncated: 0,
          failures: {},
          pending: 0,
          exportFailures: {},
        });

        const stored = local.store.getTrace(xrayTraceId(kept.spans[0].spanContext().traceId));
        assert.ok(stored);
        const viaCollector = [...stored.documents].sort(byId);
        const viaDaemon = daemonDocuments(kept.spans, translator).sort(byId);
        assert.equal(viaCollector.length, 3);
        // Document by document, nothing removed: both paths run the same translator.
        for (let i = 0; i < viaDaemon.length; i++) {
          assert.deepEqual(withoutExceptionIds(viaCollector[i]), withoutExceptionIds(viaDaemon[i]));
        }
        const server = viaDaemon.find((d) => (d as { type?: string }).type === undefined) as {
          annotations?: Record<string, unknown>;
        };
        if (translator.indexedAttributes?.includes('order.id')) {
          assert.equal(server.annotations?.['order.id'], 'o-42');
          assert.equal(
            server.annotations?.['late.key'],
            'set-after-start',
            'keys set after start are annotated (onEnding)',
          );
        }
        if (translator.indexAllAttributes) {
          assert.equal(server.annotations?.vip, true);
          assert.equal(server.annotations?.['otel.resource.host.id'], 'i-0abc');
        }
      });
    }
  });

  describe('gRPC', () => {
    it('spans arrive intact at a TraceService/Export server', async () => {
      const requests: Buffer[] = [];
      const server = new grpc.Server();
      const raw = (value: Buffer): Buffer => value;
      server.addService(
        {
          Export: {
            path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
            requestStream: false,
            responseStream: false,
            requestSerialize: raw,
            requestDeserialize: raw,
            responseSerialize: raw,
            responseDeserialize: raw,
          },
        },
        {
          Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
            requests.push(call.request);
            // An empty ExportTraceServiceResponse.
            callback(null, Buffer.alloc(0));
          },
        },
      );
      const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
          error ? reject(error) : resolve(bound),
        ),
      );
      try {
        const exporter = createCollectorSpanExporter({ protocol: 'grpc', url: `http://127.0.0.1:${port}` });
        const kept = new KeepAllProcessor();
        const tracerProvider = provider([new SimpleSpanProcessor(exporter as never), kept]);
        makeTrace(tracerProvider.getTracer('orders-app'));
        await tracerProvider.forceFlush();
        await tracerProvider.shutdown();
        const received = requests.flatMap((request) => {
          const decoded = decodeOtlpProtobuf(request);
          assert.ok(decoded.ok);
          return decoded.spans;
        });
        assert.equal(received.length, 3);
        for (const original of kept.spans) {
          const span = received.find((s) => s.spanContext().spanId === original.spanContext().spanId);
          assert.ok(span);
          assert.equal(span.name, original.name);
          assert.equal(span.kind, original.kind);
          assert.deepEqual(span.attributes, original.attributes);
          assert.deepEqual(span.startTime, original.startTime);
          assert.deepEqual(span.endTime, original.endTime);
          assert.equal(span.parentSpanContext?.spanId, original.parentSpanContext?.spanId);
          assert.deepEqual(span.status.code, original.status.code);
          assert.equal(span.events?.length, original.events.length);
        }
        assert.equal(exporter.counters.spansExported, 3);
      } finally {
        server.forceShutdown();
      }
    });

    it('an unreachable gRPC collector: counted as grpc-<code>, nothing thrown', async () => {
      const exporter = createCollectorSpanExporter({
        protocol: 'grpc',
        url: 'http://127.0.0.1:1',
        timeoutMillis: 300,
      });
      const kept = new KeepAllProcessor();
      provider([kept]).getTracer('t').startSpan('x').end();
      const result = await exportSpans(exporter as never, kept.spans);
      assert.equal(result.code, 1);
      const c = exporter.counters;
      assert.equal(c.spansFailed, 1);
      assert.match(Object.keys(c.exportFailures)[0], /^grpc-\d+$/);
      await exporter.shutdown();
    });
  });

  describe('collector outage', () => {
    it('receiver down 5 s then back: the batch the exporter holds is delivered by the upstream retries and counted; the rest follow', async () => {
      // Fake time (timers and Date) for the retries and the BatchSpanProcessor; real loopback sockets.
      // Between fake steps the test yields a few real milliseconds so that a refused connection or a
      // request completes; mocha keeps its own timer references, so its timeout still works.
      const realSetTimeout = globalThis.setTimeout;
      const realPause = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));
      let delivered = 0;
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const decoded = decodeOtlpProtobuf(Buffer.concat(chunks));
          if (decoded.ok) delivered += decoded.spans.length;
          res.writeHead(200, { 'content-type': 'application/x-protobuf' });
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown): void => {
        rejections.push(reason);
      };
      process.on('unhandledRejection', onRejection);
      const clock = FakeTimers.install({
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      });
      /** Advances fake time by `ms` in 50 ms steps, letting real I/O run between steps. */
      const advance = async (ms: number): Promise<void> => {
        for (let elapsed = 0; elapsed < ms; elapsed += 50) {
          await clock.tickAsync(50);
          await realPause(2);
        }
      };
      try {
        const exporter = createCollectorSpanExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
        const processor = new BatchSpanProcessor(exporter as never, {
          maxQueueSize: 10,
          maxExportBatchSize: 5,
          scheduledDelayMillis: 100,
        });
        const tracerProvider = provider([processor]);
        const tracer = tracerProvider.getTracer('t');
        for (let i = 0; i < 30; i++) tracer.startSpan('work-' + i).end();
        await advance(4_900);
        // The outage: the first batch (batch size reached) is held by the exporter while the upstream
        // exporter retries (1 s, then x1.5 with jitter, within its 10 s export timeout).
        assert.equal(delivered, 0);
        assert.deepEqual(exporter.counters, {
          spansReceived: 5,
          spansExported: 0,
          spansFailed: 0,
          spansTruncated: 0,
          failures: {},
          pending: 1,
          exportFailures: {},
        });
        server.listen(port, '127.0.0.1');
        await advance(7_100);
        // One more span after the outage, then shut down (fake time keeps running meanwhile).
        tracer.startSpan('after').end();
        let shutDown = false;
        const shutdown = tracerProvider.shutdown().then(() => (shutDown = true));
        for (let i = 0; i < 200 && !shutDown; i++) await advance(50);
        await shutdown;
        const c = exporter.counters;
        // 5 held by the exporter + at most 10 queued by the processor (the rest of the 30 it drops:
        // upstream's BatchSpanProcessor behaviour) + the one after the outage.
        assert.ok(delivered >= 11 && delivered <= 16, `${delivered} delivered`);
        assert.deepEqual(c, {
          spansReceived: delivered,
          spansExported: delivered,
          spansFailed: 0,
          spansTruncated: 0,
          failures: {},
          pending: 0,
          exportFailures: {},
        });
        assert.deepEqual(rejections, []);
      } finally {
        clock.uninstall();
        process.off('unhandledRejection', onRejection);
        if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('failures are counted by reason and logged (rate-limited), never thrown', async () => {
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(400);
          res.end('bad');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      const warnings: string[] = [];
      diag.setLogger(
        {
          error: () => {},
          warn: (m: string) => warnings.push(m),
          info: () => {},
          debug: () => {},
          verbose: () => {},
        },
        DiagLogLevel.WARN,
      );
      try {
        const kept = new KeepAllProcessor();
        provider([kept]).getTracer('t').startSpan('x').end();
        const exporter = createCollectorSpanExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
        for (let i = 0; i < 3; i++) assert.equal((await exportSpans(exporter as never, kept.spans)).code, 1);
        assert.deepEqual(exporter.counters.exportFailures, { 'http-400': 3 });
        assert.equal(
          warnings.filter((w) => w.includes('http-400')).length,
          1,
          'one line per reason per interval',
        );
        const refused = createCollectorSpanExporter({
          url: 'http://127.0.0.1:1/v1/traces',
          timeoutMillis: 300,
        });
        assert.equal((await exportSpans(refused as never, kept.spans)).code, 1);
        assert.equal(refused.counters.spansFailed, 1);
        await exporter.shutdown();
        await refused.shutdown();
        // After shutdown the upstream exporter fails the export: counted, not thrown.
        assert.equal((await exportSpans(exporter as never, kept.spans)).code, 1);
        await exporter.forceFlush();
      } finally {
        diag.disable();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('an upstream export() that throws: one FAILED callback, asynchronously, counted and logged', async () => {
      const errors: string[] = [];
      diag.setLogger(
        {
          error: () => {},
          warn: (m: string) => errors.push(m),
          info: () => {},
          debug: () => {},
          verbose: () => {},
        },
        DiagLogLevel.WARN,
      );
      try {
        const exporter = new AWSXRayCollectorSpanExporter({ url: 'http://127.0.0.1:1/v1/traces' });
        (exporter.delegate as { export: unknown }).export = () => {
          throw new TypeError('upstream bug');
        };
        const kept = new KeepAllProcessor();
        const tracer = provider([kept]).getTracer('t');
        tracer.startSpan('a').end();
        tracer.startSpan('b').end();
        const results: { code: number; error?: Error }[] = [];
        const delivered = new Promise<void>((resolve) =>
          exporter.export(kept.spans, (result) => {
            results.push(result);
            resolve();
          }),
        );
        assert.equal(results.length, 0, 'not called back synchronously');
        await delivered;
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(results.length, 1, 'called back once');
        assert.equal(results[0].code, 1);
        assert.match(String(results[0].error?.message), /upstream bug/);
        assert.deepEqual(exporter.counters, {
          spansReceived: 2,
          spansExported: 0,
          spansFailed: 2,
          spansTruncated: 0,
          failures: { TypeError: 2 },
          pending: 0,
          exportFailures: { TypeError: 1 },
        });
        assert.ok(
          errors.some((m) => /2 span\(s\) could not be exported .*\(TypeError\): upstream bug/.test(m)),
          errors.join('\n'),
        );
        await exporter.shutdown();
      } finally {
        diag.disable();
      }
    });

    it('a throwing result callback or a failing shutdown is reported, not thrown', async () => {
      const exporter = new AWSXRayCollectorSpanExporter({
        url: 'http://127.0.0.1:1/v1/traces',
        timeoutMillis: 100,
      });
      await new Promise<void>((resolve) =>
        exporter.export([], () => {
          setImmediate(resolve);
          throw new Error('boom');
        }),
      );
      (exporter.delegate as { shutdown: () => Promise<void> }).shutdown = () =>
        Promise.reject(new Error('nope'));
      await exporter.shutdown();
    });
  });

  describe('configuration', () => {
    it('protocol: option, then OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL, then http/protobuf', () => {
      assert.equal(resolveCollectorProtocol(undefined, {}), 'http/protobuf');
      assert.equal(resolveCollectorProtocol(undefined, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), 'grpc');
      assert.equal(
        resolveCollectorProtocol(undefined, {
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        }),
        'http/json',
      );
      assert.equal(
        resolveCollectorProtocol('grpc', { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }),
        'grpc',
      );
      assert.equal(
        resolveCollectorProtocol(undefined, { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: ' ' }),
        'http/protobuf',
      );
      assert.equal(
        resolveCollectorProtocol(undefined, { OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' }),
        'http/protobuf',
      );
    });

    it('reads the protocol from the environment and lets the upstream exporter read the endpoint', async () => {
      const local = new XRayLocal({ udpPort: 0, tcpPort: 0, otlpPort: 0, uiPort: 0, quiet: true });
      const { otlpPort } = await local.start();
      const saved = { ...process.env };
      try {
        process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'http/json';
        process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${otlpPort}`;
        const exporter = createCollectorSpanExporter({
          headers: { 'x-test': '1' },
          compression: 'gzip',
          exporterConfig: {},
        });
        assert.equal(exporter.protocol, 'http/json');
        const kept = new KeepAllProcessor();
        provider([kept]).getTracer('t').startSpan('env', { kind: SpanKind.SERVER }).end();
        assert.equal((await exportSpans(exporter as never, kept.spans)).code, 0);
        assert.ok(local.store.getTrace(xrayTraceId(kept.spans[0].spanContext().traceId)));
        await exporter.shutdown();
      } finally {
        process.env = saved;
        await local.stop();
      }
    });

    it('the upstream package: loaded by protocol; missing or without OTLPTraceExporter is a clear error', () => {
      const asked: string[] = [];
      class Fake {}
      const load = (name: string) => {
        asked.push(name);
        return { OTLPTraceExporter: Fake };
      };
      assert.equal(loadUpstream('http/protobuf', load), Fake);
      assert.equal(loadUpstream('http/json', load), Fake);
      assert.equal(loadUpstream('grpc', load), Fake);
      assert.deepEqual(asked, [
        '@opentelemetry/exporter-trace-otlp-proto',
        '@opentelemetry/exporter-trace-otlp-http',
        '@opentelemetry/exporter-trace-otlp-grpc',
      ]);
      assert.throws(
        () =>
          loadUpstream('grpc', () => {
            throw new Error("Cannot find module '@opentelemetry/exporter-trace-otlp-grpc'");
          }),
        /OTLP protocol grpc needs the package @opentelemetry\/exporter-trace-otlp-grpc \(npm install @opentelemetry\/exporter-trace-otlp-grpc\): Cannot find module/,
      );
      for (const foreign of [{}, { OTLPTraceExporter: 'not a class' }, undefined]) {
        assert.throws(
          () => loadUpstream('http/json', () => foreign),
          /@opentelemetry\/exporter-trace-otlp-http has no OTLPTraceExporter/,
          JSON.stringify(foreign),
        );
      }
      // The default loader is Node's require: the installed packages load.
      assert.equal(typeof loadUpstream('http/protobuf'), 'function');
    });

    it('failureReason', () => {
      assert.equal(failureReason('grpc', { code: 14 }), 'grpc-14');
      assert.equal(failureReason('http/json', { code: 503 }), 'http-503');
      assert.equal(failureReason('http/json', { code: 'ECONNRESET' }), 'ECONNRESET');
      assert.equal(failureReason('http/json', new Error('Request timed out')), 'timeout');
      assert.equal(failureReason('http/json', new TypeError('x')), 'TypeError');
      assert.equal(failureReason('http/json', new Error('x')), 'unknown');
      assert.equal(failureReason('http/json', undefined), 'unknown');
    });
  });
});

describe('AWSXRayAnnotationsSpanProcessor', () => {
  it('reads OTEL_AWS_XRAY_INDEXED_ATTRIBUTES and OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES', () => {
    assert.deepEqual(resolveAnnotationsOptions({}, {}), { indexedAttributes: [], indexAllAttributes: false });
    assert.deepEqual(
      resolveAnnotationsOptions(
        {},
        { OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: ' a, b ,,c', OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES: 'TRUE' },
      ),
      { indexedAttributes: ['a', 'b', 'c'], indexAllAttributes: true },
    );
    assert.deepEqual(
      resolveAnnotationsOptions(
        { indexedAttributes: ['x'], indexAllAttributes: false },
        { OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES: 'true' },
      ),
      {
        indexedAttributes: ['x'],
        indexAllAttributes: false,
      },
    );
  });

  it('a span that cannot be written: warned through diag, never thrown, the span goes on', () => {
    const warnings: unknown[][] = [];
    diag.setLogger(
      {
        error: () => {},
        warn: (...args: unknown[]) => warnings.push(args),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.WARN,
    );
    try {
      const processor = new AWSXRayAnnotationsSpanProcessor({ indexedAttributes: ['order.id'] });
      const ended = {
        attributes: { 'order.id': 'o-1' },
        setAttribute: () => {
          throw new Error('span already ended');
        },
      };
      const unreadable = {
        get attributes(): Record<string, unknown> {
          throw new Error('no attributes');
        },
        setAttribute: () => undefined,
      };
      processor.onStart(ended);
      processor.onEnding(unreadable);
      assert.equal(warnings.length, 2);
      assert.match(String(warnings[0][0]), /could not set aws\.xray\.annotations/);
      assert.match(String((warnings[0][1] as Error).message), /span already ended/);
      assert.match(String((warnings[1][1] as Error).message), /no attributes/);
    } finally {
      diag.disable();
    }
  });

  it('keeps the keys the app listed itself, and does nothing when unconfigured', async () => {
    const kept = new KeepAllProcessor();
    const tracerProvider = provider([
      new AWSXRayAnnotationsSpanProcessor({ indexedAttributes: ['a'] }),
      kept,
    ]);
    const tracer = tracerProvider.getTracer('t');
    tracer.startSpan('one', { attributes: { 'aws.xray.annotations': ['mine'] } }).end();
    const two = tracer.startSpan('two');
    two.setAttribute('aws.xray.annotations', ['later']);
    two.end();
    assert.deepEqual(kept.spans[0].attributes['aws.xray.annotations'], ['mine', 'a']);
    assert.deepEqual(kept.spans[1].attributes['aws.xray.annotations'], ['later', 'a']);
    const plain = new KeepAllProcessor();
    const none = new AWSXRayAnnotationsSpanProcessor({ indexedAttributes: [] });
    provider([none, plain]).getTracer('t').startSpan('three').end();
    assert.equal(plain.spans[0].attributes['aws.xray.annotations'], undefined);
    none.onEnd();
    await none.forceFlush();
    await none.shutdown();
  });
});
