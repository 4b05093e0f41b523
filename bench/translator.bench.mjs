// Spans/s through `spanToSegment` + `serializeSegment`, against `JSON.stringify` of the same
// document built beforehand (the floor: what serializing alone costs). Issue target: >= 0.50x the
// floor. Two shapes: an HTTP server span with a typical resource, and a CLIENT span with an
// exception event carrying a ~10-frame JavaScript stack (resource language `nodejs`: the frames are
// parsed into the document since the translator follows collector-contrib PR #47603). The HTTP
// server span is also translated with `redact: true` (what @xray-otel/register may turn on), against
// the same floor: the cost of masking secrets when there are none.
import { createRequire } from 'node:module';
import { createBench, runAndReport } from './harness.mjs';

const require = createRequire(import.meta.url);
const { spanToSegment, serializeSegment } = require('@xray-otel/translator');

const now = Math.floor(Date.now() / 1000);
const traceId = now.toString(16) + '5c32505172034cd358cba576';

const resource = {
  attributes: {
    'service.name': 'checkout',
    'service.version': '1.4.2',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.2.0',
    'cloud.provider': 'aws',
    'cloud.platform': 'aws_ecs',
    'cloud.region': 'eu-west-1',
    'cloud.account.id': '123456789012',
    'aws.ecs.launchtype': 'fargate',
    'aws.ecs.task.arn': 'arn:aws:ecs:eu-west-1:123456789012:task/shop/0123456789abcdef0123456789abcdef',
    'aws.ecs.cluster.arn': 'arn:aws:ecs:eu-west-1:123456789012:cluster/shop',
    'container.id': 'a3c1f5e0d2b94c8f9e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f',
  },
};

function span({ name, kind, spanId, parentSpanId, attributes, events = [], status = { code: 0 } }) {
  const context = { traceId, spanId, traceFlags: 1 };
  return {
    name,
    kind,
    spanContext: () => context,
    parentSpanContext: parentSpanId
      ? { traceId, spanId: parentSpanId, traceFlags: 1, isRemote: true }
      : undefined,
    startTime: [now, 125000000],
    endTime: [now, 187500000],
    status,
    attributes,
    links: [],
    events,
    resource,
    instrumentationScope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
    ended: true,
    duration: [0, 62500000],
  };
}

const httpServer = span({
  name: 'GET /api/orders/:id',
  kind: 1, // SERVER
  spanId: '53995c3f42cd8ad8',
  parentSpanId: '6771c54ca262d739',
  attributes: {
    'http.request.method': 'GET',
    'url.path': '/api/orders/42',
    'url.query': 'expand=items',
    'url.scheme': 'https',
    'server.address': 'shop.example.com',
    'server.port': 443,
    'http.response.status_code': 200,
    'user_agent.original':
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0',
    'client.address': '203.0.113.7',
    'http.route': '/api/orders/:id',
    'network.protocol.version': '1.1',
    'network.peer.address': '10.0.3.17',
  },
});

const stacktrace = [
  "TypeError: Cannot read properties of undefined (reading 'sku')",
  '    at priceLine (/srv/app/src/pricing.js:41:23)',
  '    at Array.map (<anonymous>)',
  '    at priceOrder (/srv/app/src/pricing.js:17:28)',
  '    at InventoryClient.reserve (/srv/app/src/clients/inventory.js:88:11)',
  '    at async Promise.all (index 0)',
  '    at async placeOrder (/srv/app/src/orders.js:64:5)',
  '    at async /srv/app/src/routes/orders.js:23:20',
  '    at async Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
  '    at async next (/srv/app/node_modules/express/lib/router/route.js:149:13)',
  '    at async Route.dispatch (/srv/app/node_modules/express/lib/router/route.js:119:3)',
].join('\n');

const clientWithException = span({
  name: 'POST',
  kind: 2, // CLIENT
  spanId: '7d288ff745352cb5',
  parentSpanId: '53995c3f42cd8ad8',
  status: { code: 2, message: "Cannot read properties of undefined (reading 'sku')" },
  attributes: {
    'http.request.method': 'POST',
    'url.full': 'http://inventory.internal:8080/reserve',
    'server.address': 'inventory.internal',
    'server.port': 8080,
    'http.response.status_code': 500,
    'network.protocol.version': '1.1',
  },
  events: [
    {
      name: 'exception',
      time: [now, 180000000],
      attributes: {
        'exception.type': 'TypeError',
        'exception.message': "Cannot read properties of undefined (reading 'sku')",
        'exception.stacktrace': stacktrace,
      },
    },
  ],
});

// The floor documents: exactly what the translator produces, built once.
const httpServerDoc = spanToSegment(httpServer);
const clientDoc = spanToSegment(clientWithException);
console.log(
  `documents: http server ${JSON.stringify(httpServerDoc).length} chars, client+exception ${JSON.stringify(clientDoc).length} chars`,
);

// One options object for every span, as an exporter passes it (the redaction rules are resolved once).
const REDACT = { redact: true };

let sink = '';
const bench = createBench();
bench
  .add('http server: translate+serialize', () => {
    sink = serializeSegment(spanToSegment(httpServer));
  })
  .add('http server: serializeSegment only', () => {
    sink = serializeSegment(httpServerDoc);
  })
  .add('http server: JSON.stringify (floor)', () => {
    sink = JSON.stringify(httpServerDoc);
  })
  .add('http server, redact: translate+serialize', () => {
    sink = serializeSegment(spanToSegment(httpServer, REDACT));
  })
  .add('client+exception: translate+serialize', () => {
    sink = serializeSegment(spanToSegment(clientWithException));
  })
  .add('client+exception: serializeSegment only', () => {
    sink = serializeSegment(clientDoc);
  })
  .add('client+exception: JSON.stringify (floor)', () => {
    sink = JSON.stringify(clientDoc);
  });
const hz = await runAndReport(bench, {
  'http server: translate+serialize': 'http server: JSON.stringify (floor)',
  'http server: serializeSegment only': 'http server: JSON.stringify (floor)',
  'http server, redact: translate+serialize': 'http server: JSON.stringify (floor)',
  'client+exception: translate+serialize': 'client+exception: JSON.stringify (floor)',
  'client+exception: serializeSegment only': 'client+exception: JSON.stringify (floor)',
});
for (const shape of ['http server', 'client+exception']) {
  const ratio = hz[`${shape}: translate+serialize`] / hz[`${shape}: JSON.stringify (floor)`];
  console.log(
    `${shape}: ${ratio.toFixed(2)}x the JSON.stringify floor (target >= 0.50) ${ratio >= 0.5 ? 'OK' : 'MISSED'}`,
  );
}
if (sink.length === 0) console.log('');
