// Real SDK spans (@opentelemetry/sdk-trace-base) for the tests that feed exporters directly.
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

const tracer = new BasicTracerProvider().getTracer('xray-otel-tests');

/** `count` ended SERVER spans, each its own trace (so each becomes one segment document). */
export function makeServerSpans(
  count: number,
  attributes: Record<string, string | number> = {},
): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan(`GET /item/${i % 10}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.full': `http://127.0.0.1/item/${i % 10}`,
        'http.response.status_code': 200,
        ...attributes,
      },
    });
    span.end();
    spans.push(span as unknown as ReadableSpan);
  }
  return spans;
}
