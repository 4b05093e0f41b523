// Cost per span of @xray-otel/span-processor's AWSXRaySpanProcessor in a real SDK (2.x): a server
// span with an HTTP client child, each with the attributes instrumentation-http sets, started and
// ended through a BasicTracerProvider whose only other processor drops the spans. Baseline: the same
// provider without our processor; also ours with redaction off. Prints the overhead in ns per span.
import { createRequire } from 'node:module';
import { createBench, runAndReport } from './harness.mjs';

const require = createRequire(import.meta.url);
const api = require('@opentelemetry/api');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { AWSXRaySpanProcessor } = require('@xray-otel/span-processor');

const resource = resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.4.2' });
/** The exporting processor's place: receives every span, keeps none. */
const drop = {
  onStart() {},
  onEnd() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

function tracerWith(processors) {
  return new BasicTracerProvider({ resource, spanProcessors: [...processors, drop] }).getTracer('bench');
}

const baseline = tracerWith([]);
const withProcessor = tracerWith([new AWSXRaySpanProcessor()]);
const withoutRedaction = tracerWith([new AWSXRaySpanProcessor({ redact: false })]);

const serverAttributes = {
  'http.request.method': 'GET',
  'url.scheme': 'http',
  'url.path': '/api/orders/42',
  'server.address': 'checkout.internal',
  'server.port': 8080,
  'network.peer.address': '10.0.0.12',
  'user_agent.original': 'Mozilla/5.0',
};
const clientAttributes = {
  'http.request.method': 'GET',
  'server.address': 'inventory.internal',
  'server.port': 8081,
  'url.full': 'http://inventory.internal:8081/items/42?fields=stock',
};

/** Two spans (a server span and its client child), as one request makes them. */
function request(tracer) {
  const server = tracer.startSpan('GET', { kind: api.SpanKind.SERVER, attributes: serverAttributes });
  const client = tracer.startSpan(
    'GET',
    { kind: api.SpanKind.CLIENT, attributes: clientAttributes },
    api.trace.setSpan(api.ROOT_CONTEXT, server),
  );
  client.setAttribute('http.response.status_code', 200);
  client.end();
  server.setAttribute('http.route', '/api/orders/:id');
  server.setAttribute('http.response.status_code', 200);
  server.updateName('GET /api/orders/:id');
  server.end();
}

const bench = createBench();
bench
  .add('2 spans, SDK only', () => request(baseline))
  .add('2 spans, SDK + AWSXRaySpanProcessor', () => request(withProcessor))
  .add('2 spans, SDK + AWSXRaySpanProcessor (redact: false)', () => request(withoutRedaction));
const hz = await runAndReport(bench, {
  '2 spans, SDK + AWSXRaySpanProcessor': '2 spans, SDK only',
  '2 spans, SDK + AWSXRaySpanProcessor (redact: false)': '2 spans, SDK only',
});
const perSpan = (task) => ((1e9 / hz[task] - 1e9 / hz['2 spans, SDK only']) / 2).toFixed(0);
console.log(
  `span cost in the SDK alone: ${(1e9 / hz['2 spans, SDK only'] / 2).toFixed(0)} ns; ` +
    `AWSXRaySpanProcessor adds ${perSpan('2 spans, SDK + AWSXRaySpanProcessor')} ns per span ` +
    `(${perSpan('2 spans, SDK + AWSXRaySpanProcessor (redact: false)')} ns without redaction)`,
);
