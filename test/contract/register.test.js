'use strict';
// @xray-otel/register on either OpenTelemetry line: the preload (-r, --import) sends a segment for a
// span the app makes to the daemon address, and xrayNodeSDKConfig() returns the X-Ray pieces.
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const dgram = require('node:dgram');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { api, createProvider, sdkVersion } = require('./otel');

const API = require.resolve('@opentelemetry/api');
const REGISTER = require.resolve('@xray-otel/register');

function startDaemon() {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const datagrams = [];
    socket.on('message', (message) => datagrams.push(message.toString()));
    socket.bind(0, '127.0.0.1', () => resolve({ socket, datagrams, port: socket.address().port }));
  });
}

function runNode(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      // From the folder above the tests, @xray-otel/register resolves as for a user (workspace or compat install).
      cwd: path.dirname(__dirname),
      env: { PATH: process.env.PATH || '', OTEL_NODE_RESOURCE_DETECTORS: 'env,process', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe(`contract: @xray-otel/register (SDK ${sdkVersion})`, function () {
  this.timeout(30000);
  let dir;
  let daemon;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-register-contract-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    daemon = await startDaemon();
  });
  afterEach(() => daemon.socket.close());

  async function segmentsAfter(args, scriptName, source) {
    const script = path.join(dir, scriptName);
    fs.writeFileSync(script, source);
    const result = await runNode([...args, script], {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
      OTEL_TRACES_EXPORTER: 'xray',
    });
    assert.equal(result.code, 0, result.stderr);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return daemon.datagrams.map((datagram) => {
      const newline = datagram.indexOf('\n');
      assert.equal(datagram.slice(0, newline), '{"format":"json","version":1}');
      return JSON.parse(datagram.slice(newline + 1));
    });
  }

  it('node -r @xray-otel/register: a span becomes a segment sent to AWS_XRAY_DAEMON_ADDRESS', async () => {
    const segments = await segmentsAfter(
      ['-r', REGISTER],
      'contract-app.js',
      `const api = require(${JSON.stringify(API)});
       api.trace.getTracer('contract').startActiveSpan('contract-cjs', (span) => span.end());`,
    );
    const segment = segments.find((s) => s.name === 'contract-cjs');
    assert.ok(segment, JSON.stringify(segments));
    assert.match(segment.trace_id, /^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    // AWSXRayIdGenerator: the trace ID starts with the epoch seconds.
    assert.ok(Math.abs(parseInt(segment.trace_id.slice(2, 10), 16) - Date.now() / 1000) < 600);
  });

  it('node --import @xray-otel/register: the same for an ES module app', async () => {
    const segments = await segmentsAfter(
      ['--import', '@xray-otel/register'],
      'contract-app.mjs',
      `import api from ${JSON.stringify(API)};
       api.trace.getTracer('contract').startActiveSpan('contract-esm', (span) => span.end());`,
    );
    assert.ok(
      segments.some((s) => s.name === 'contract-esm'),
      JSON.stringify(segments),
    );
  });

  it('xrayNodeSDKConfig() returns the X-Ray pieces of a NodeSDK configuration', async () => {
    const { xrayNodeSDKConfig } = require('@xray-otel/register/config');
    const config = xrayNodeSDKConfig({ env: { OTEL_NODE_RESOURCE_DETECTORS: 'env' }, instrumentations: [] });
    assert.equal(config.idGenerator.constructor.name, 'AWSXRayIdGenerator');
    assert.deepEqual(config.textMapPropagator.fields(), [
      'x-amzn-trace-id',
      'traceparent',
      'tracestate',
      'baggage',
    ]);
    assert.deepEqual(
      config.spanProcessors.map((p) => p.constructor.name),
      ['AWSXRaySpanProcessor', 'BatchSpanProcessor'],
    );
    assert.equal(config.resourceDetectors.length, 1);
    assert.match(config.sampler.toString(), /^AWSXRayParentBased\{root=AlwaysOnSampler/);
    assert.deepEqual(config.instrumentations, []);
    // It plugs into this line's NodeSDK.
    const { NodeSDK } = require('@opentelemetry/sdk-node');
    const sdk = new NodeSDK(config);
    sdk.start();
    await sdk.shutdown();
    const api = require('@opentelemetry/api');
    api.trace.disable();
    api.propagation.disable();
    api.context.disable();
  });

  it("flushAfterInvocation: an invocation span in the header's trace, the handler's spans its children", async () => {
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
    const { flushAfterInvocation } = require('@xray-otel/register/lambda');
    // A processor of our own (the processors' constructors differ between the lines): it records
    // what ended, and when the wrapper flushed.
    const events = [];
    const processor = {
      onStart() {},
      onEnd: (span) => events.push(span),
      forceFlush: () => {
        events.push('flush');
        return Promise.resolve();
      },
      shutdown: () => Promise.resolve(),
    };
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    api.trace.setGlobalTracerProvider(createProvider({ spanProcessors: [processor] }));
    try {
      const handler = flushAfterInvocation(async () => {
        api.trace.getTracer('contract').startSpan('contract-child').end();
        return 'ok';
      });
      const xRayTraceId = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
      assert.equal(await handler({}, { functionName: 'contract-fn', awsRequestId: 'r1', xRayTraceId }), 'ok');
      // The invocation span ended, then the wrapper flushed.
      assert.equal(events[events.length - 1], 'flush');
      const spans = events.filter((event) => event !== 'flush');
      const invocation = spans.find((span) => span.name === 'contract-fn');
      const child = spans.find((span) => span.name === 'contract-child');
      assert.ok(invocation && child, spans.map((span) => span.name).join());
      assert.equal(invocation.kind, api.SpanKind.SERVER);
      assert.equal(invocation.spanContext().traceId, '5759e988bd862e3fe1be46a994272793');
      assert.equal(invocation.parentSpanContext.spanId, '53995c3f42cd8ad8');
      assert.equal(invocation.attributes['faas.invocation_id'], 'r1');
      assert.equal(child.parentSpanContext.spanId, invocation.spanContext().spanId);
    } finally {
      api.trace.disable();
      api.context.disable();
    }
  });
});
