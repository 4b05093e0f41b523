/** Real SDK spans for the OTLP tests (sdk-trace-base 2.x). */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
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
