// Spans/s to a local UDP sink (a child process counting datagrams, standing in for the X-Ray daemon):
//  - ours:  AWSXRayUdpSpanExporter.export() of batches of 512 realistic HTTP server spans, awaiting
//           the result callback (every datagram handed to the kernel);
//  - peer:  aws-xray-sdk-core 3.12 in manual mode, an equivalent segment per span (`new Segment`,
//           http block, annotation, metadata, `close()` which sends through its own UDP emitter),
//           512 per batch, awaiting the emitter's send callbacks;
//  - floor: `dgram.send` of the same datagrams serialized beforehand, on a connected socket.
// tinybench's per-call timing does not fit an async batch, so this is a timed loop with interleaved
// rounds (median reported) and the sent-vs-received loss measured at the sink for each scenario.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import { QUICK } from './harness.mjs';

const require = createRequire(import.meta.url);
const { AWSXRayUdpSpanExporter, toDatagram } = require('@xray-otel/exporter-udp');
const { spanToSegments, serializeSegmentWithInfo } = require('@xray-otel/translator');

const BATCH = 512;
const DURATION_MS = QUICK ? 150 : 1500;
const WARMUP_MS = QUICK ? 30 : 300;
const ROUNDS = QUICK ? 1 : 3;

// ---- the sink: a separate process, so receiving does not compete with the sender's event loop ----
const SINK_SOURCE = `
const dgram = require('node:dgram');
const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
let count = 0, bytes = 0;
socket.on('message', (m) => { count++; bytes += m.length; });
socket.bind(0, '127.0.0.1', () => process.send({ port: socket.address().port }));
process.on('message', (m) => {
  if (m === 'read') process.send({ count, bytes });
  else if (m === 'reset') { count = 0; bytes = 0; process.send({ reset: true }); }
  else if (m === 'exit') socket.close(() => process.exit(0));
});`;

const sink = spawn(process.execPath, ['-e', SINK_SOURCE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const nextMessage = () => new Promise((resolve) => sink.once('message', resolve));
const sinkPort = (await nextMessage()).port;
async function sinkCall(message) {
  const reply = nextMessage();
  sink.send(message);
  return reply;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- realistic spans (as in translator.bench.mjs) ----
const nowSeconds = Math.floor(Date.now() / 1000);
const traceId = nowSeconds.toString(16) + '5c32505172034cd358cba576';
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
  },
};
function httpServerSpan(i) {
  const context = { traceId, spanId: (0x1000000 + i).toString(16).padStart(16, '0'), traceFlags: 1 };
  return {
    name: 'GET /api/orders/:id',
    kind: 1,
    spanContext: () => context,
    parentSpanContext: { traceId, spanId: '6771c54ca262d739', traceFlags: 1, isRemote: true },
    startTime: [nowSeconds, 125000000],
    endTime: [nowSeconds, 187500000],
    status: { code: 0 },
    attributes: {
      'http.request.method': 'GET',
      'url.path': '/api/orders/42',
      'url.scheme': 'https',
      'server.address': 'shop.example.com',
      'http.response.status_code': 200,
      'user_agent.original':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0',
      'client.address': '203.0.113.7',
      'http.route': '/api/orders/:id',
      'order.id': 'o-42',
    },
    links: [],
    events: [],
    resource,
    instrumentationScope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
    ended: true,
  };
}
const spans = Array.from({ length: BATCH }, (_, i) => httpServerSpan(i));

// ---- scenario: ours ----
const exporter = new AWSXRayUdpSpanExporter({
  daemonAddress: `127.0.0.1:${sinkPort}`,
  indexedAttributes: ['order.id'],
});
const ours = {
  name: 'AWSXRayUdpSpanExporter',
  sentBase: 0,
  sent: () => exporter.counters.documentsSent,
  batch: () => new Promise((resolve) => exporter.export(spans, resolve)),
};

// ---- scenario: aws-xray-sdk-core (manual mode) ----
delete process.env.AWS_XRAY_DAEMON_ADDRESS; // it would override setDaemonAddress
const AWSXRay = require('aws-xray-sdk-core');
const SegmentEmitter = require('aws-xray-sdk-core/dist/lib/segment_emitter');
AWSXRay.enableManualMode();
AWSXRay.setLogger({ error() {}, warn() {}, info() {}, debug() {} });
AWSXRay.setDaemonAddress(`127.0.0.1:${sinkPort}`);
let classicSent = 0;
let classicPending = 0;
let classicDrained;
function buildClassicSegment() {
  const segment = new AWSXRay.Segment('checkout', traceId.replace(/^(.{8})/, '1-$1-'), '6771c54ca262d739');
  segment.http = {
    request: {
      method: 'GET',
      url: 'https://shop.example.com/api/orders/42',
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0',
      client_ip: '203.0.113.7',
    },
    response: { status: 200 },
  };
  segment.addAnnotation('order_id', 'o-42');
  segment.addMetadata('http.route', '/api/orders/:id');
  return segment;
}
function classicSegment() {
  buildClassicSegment().close(); // formats and sends through the SDK's own emitter
}
// Wrap the emitter's socket once it exists to count its send callbacks (awaited like ours).
classicSegment();
await sleep(20);
const classicSocket = SegmentEmitter.socket;
const originalSend = classicSocket.send.bind(classicSocket);
classicSocket.send = (message, offset, length, port, address, callback) => {
  classicPending++;
  originalSend(message, offset, length, port, address, (error) => {
    if (!error) classicSent++;
    if (--classicPending === 0 && classicDrained) classicDrained();
    callback(error);
  });
};
const classic = {
  name: 'aws-xray-sdk-core 3.12',
  sent: () => classicSent,
  batch: () => {
    for (let i = 0; i < BATCH; i++) classicSegment();
    if (classicPending === 0) return Promise.resolve();
    return new Promise((resolve) => (classicDrained = resolve));
  },
};

// ---- scenario: the floor ----
const datagrams = spans.map((span) => {
  const { json, bytes } = serializeSegmentWithInfo(
    spanToSegments(span, { indexedAttributes: ['order.id'] })[0],
  );
  return toDatagram(json, bytes);
});
const floorSocket = dgram.createSocket('udp4');
await new Promise((resolve) => floorSocket.connect(sinkPort, '127.0.0.1', resolve));
let floorSent = 0;
const floor = {
  name: 'dgram.send of pre-serialized (floor)',
  sent: () => floorSent,
  batch: () =>
    new Promise((resolve) => {
      let remaining = datagrams.length;
      for (const datagram of datagrams) {
        floorSocket.send(datagram, (error) => {
          if (!error) floorSent++;
          if (--remaining === 0) resolve();
        });
      }
    }),
};

const sized = buildClassicSegment();
sized.end_time = sized.start_time + 0.0625;
const classicBytes = Buffer.byteLength('{"format":"json","version":1}\n' + sized.format());
console.log(
  `datagram bytes: ours ${datagrams[0].length}, aws-xray-sdk-core ${classicBytes}; ` +
    `batches of ${BATCH} spans, ${DURATION_MS} ms per run, ${ROUNDS} round(s), sink in a child process`,
);

// ---- timed loop ----
/** Waits until the sink's count stops moving (its receive buffer drained), then returns it. */
async function sinkDrained() {
  let last = -1;
  for (;;) {
    const { count } = await sinkCall('read');
    if (count === last) return count;
    last = count;
    await sleep(QUICK ? 20 : 100);
  }
}

async function run(scenario, durationMs) {
  await sinkDrained(); // datagrams of the previous run must not count for this one
  await sinkCall('reset');
  const sentBefore = scenario.sent();
  let spansDone = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  while (process.hrtime.bigint() < deadline) {
    await scenario.batch();
    spansDone += BATCH;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const received = await sinkDrained();
  return { rate: spansDone / seconds, sent: scenario.sent() - sentBefore, received };
}

const scenarios = [ours, classic, floor];
const results = new Map(scenarios.map((s) => [s.name, []]));
for (const scenario of scenarios) await run(scenario, WARMUP_MS);
for (let round = 0; round < ROUNDS; round++) {
  for (const scenario of scenarios) results.get(scenario.name).push(await run(scenario, DURATION_MS));
}
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = scenarios.map((s) => {
  const runs = results.get(s.name);
  const sent = runs.reduce((a, r) => a + r.sent, 0);
  const received = runs.reduce((a, r) => a + r.received, 0);
  return { name: s.name, rate: median(runs.map((r) => r.rate)), sent, received };
});
const floorRate = summary[2].rate;
console.table(
  summary.map((s) => ({
    task: s.name,
    'spans/s (median)': Math.round(s.rate).toLocaleString('en-US'),
    'vs floor': `${(s.rate / floorRate).toFixed(2)}x`,
    sent: s.sent.toLocaleString('en-US'),
    received: s.received.toLocaleString('en-US'),
    loss: s.sent === 0 ? '' : `${((100 * (s.sent - s.received)) / s.sent).toFixed(2)} %`,
  })),
);
console.log(
  `ours / aws-xray-sdk-core: ${(summary[0].rate / summary[1].rate).toFixed(2)}x; ours / floor: ${(
    summary[0].rate / floorRate
  ).toFixed(2)}x; aws-xray-sdk-core / floor: ${(summary[1].rate / floorRate).toFixed(2)}x`,
);
const c = exporter.counters;
console.log(
  `exporter counters: documentsSent ${c.documentsSent}, sendErrors ${JSON.stringify(c.sendErrors)}, dropped ${c.documentsDropped}, pending ${c.pending}`,
);
if (QUICK) console.log('(BENCH_QUICK=1: a smoke run; the ratios are not meaningful)');

await exporter.shutdown();
floorSocket.close();
const sinkExited = new Promise((resolve) => sink.once('exit', resolve));
sink.send('exit');
await sinkExited;
