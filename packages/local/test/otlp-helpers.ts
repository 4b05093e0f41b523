/** Real SDK spans for the OTLP tests (sdk-trace-base 2.x). */
import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export function realSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'cloud.provider': 'aws' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('otlp-test', '1.2.3');
  const server = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.path': '/cart' },
  });
  const parent = trace.setSpan(ROOT_CONTEXT, server);
  {
    const client = tracer.startSpan(
      'GET',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'GET',
          'url.full': 'http://inventory/items',
          'http.response.status_code': 503,
          list: ['a', 'b'],
          ok: true,
          ratio: 0.5,
        },
      },
      parent,
    );
    client.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    client.recordException(new Error('upstream failed'));
    client.end();
    tracer.startSpan('work', { kind: SpanKind.INTERNAL }, parent).end();
    server.end();
  }
  return exporter.getFinishedSpans();
}

/**
 * SDK spans that use every field OTLP carries for a span: attributes of every type (arrays included),
 * all kinds, events with attributes, links with trace state and remote flag, both statuses, a remote
 * parent with trace state, and a resource and scope.
 */
export function everyFieldSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'checkout',
      'service.instance.id': 7,
      'host.arch.bits': 64.5,
      'cloud.available': true,
      'host.ips': ['10.0.0.1', '10.0.0.2'],
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('round-trip', '4.5.6');
  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '5759e988bd862e3fe1be46a994272793',
    spanId: '53995c3f42cd8ad8',
    traceFlags: 1,
    isRemote: true,
    traceState: createTraceState('vendor=a,other=b'),
  });
  const start: [number, number] = [1795345064, 826123456];
  const server = tracer.startSpan(
    'GET /cart/{id}',
    {
      kind: SpanKind.SERVER,
      startTime: start,
      attributes: {
        string: 'é ✓ 服务',
        empty: '',
        int: 42,
        negative: -7,
        max: Number.MAX_SAFE_INTEGER,
        double: 0.25,
        bool: false,
        strings: ['a', ''],
        ints: [1, 2, 3],
        doubles: [1.5, -2.25],
        bools: [true, false],
        none: [],
      },
      links: [
        {
          context: {
            traceId: 'a006649127e371903a2de979581cf771',
            spanId: '70de5b6f19ff9a0a',
            traceFlags: 0,
            isRemote: true,
            traceState: createTraceState('k=v'),
          },
          attributes: { 'link.reason': 'batch', 'link.index': 3 },
        },
        {
          context: { traceId: '1234567890abcdef1234567890abcdef', spanId: '1234567890abcdef', traceFlags: 1 },
        },
      ],
    },
    remoteParent,
  );
  server.addEvent('cache.miss', { key: 'cart:1', size: 3, hit: false }, [1795345064, 900000001]);
  server.setStatus({ code: SpanStatusCode.OK });
  const parent = trace.setSpan(ROOT_CONTEXT, server);
  const kinds = [SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];
  kinds.forEach((kind, i) => {
    const child = tracer.startSpan(`child ${kind}`, { kind, startTime: [start[0], start[1] + i] }, parent);
    if (kind === SpanKind.CLIENT) {
      child.recordException(new Error('upstream failed'), [start[0] + 1, 5]);
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    }
    child.end([start[0] + 2, i]);
  });
  server.end([start[0] + 3, 999999999]);
  return exporter.getFinishedSpans();
}
