import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import type { Env } from '../src/env';
import type { NodeSDKLike, SdkNodeModule } from '../src/otel';
import { getLogLevel, startFromEnvironment, startOnce, withoutProcessEnv } from '../src/start';

class FakeProcess extends EventEmitter {
  readonly pid = 4242;
  constructor(readonly env: Env) {
    super();
  }
  kill(): boolean {
    return true;
  }
}

/** A NodeSDK stand-in that records what it was given and what was called. */
function fakeSdkNode(options: { throwOnStart?: boolean } = {}) {
  const calls: string[] = [];
  const configs: Record<string, unknown>[] = [];
  const sdkNode: SdkNodeModule = {
    NodeSDK: class implements NodeSDKLike {
      constructor(config: Record<string, unknown> = {}) {
        configs.push(config);
        calls.push('new:' + String(process.env.OTEL_LOG_LEVEL));
      }
      start(): void {
        calls.push('start');
        if (options.throwOnStart) throw new Error('start failed');
      }
      async shutdown(): Promise<void> {
        calls.push('shutdown');
      }
    } as unknown as SdkNodeModule['NodeSDK'],
  };
  return { sdkNode, calls, configs };
}

const noInstrumentations = { instrumentations: [] };

describe('register start', () => {
  afterEach(() => {
    trace.disable();
    propagation.disable();
    context.disable();
    diag.disable();
  });

  it('OTEL_LOG_LEVEL names, any case; unknown means INFO', () => {
    assert.equal(getLogLevel({}), undefined);
    assert.equal(getLogLevel({ OTEL_LOG_LEVEL: 'debug' }), DiagLogLevel.DEBUG);
    assert.equal(getLogLevel({ OTEL_LOG_LEVEL: 'NONE' }), DiagLogLevel.NONE);
    assert.equal(getLogLevel({ OTEL_LOG_LEVEL: 'chatty' }), DiagLogLevel.INFO);
  });

  it('OTEL_SDK_DISABLED=true: nothing is created, no listener is added', () => {
    const proc = new FakeProcess({ OTEL_SDK_DISABLED: 'true' });
    const { sdkNode, calls } = fakeSdkNode();
    assert.equal(startFromEnvironment({ process: proc, sdkNode }), undefined);
    assert.deepEqual(calls, []);
    assert.deepEqual(proc.eventNames(), []);
  });

  it('starts NodeSDK with the X-Ray config and installs the flush hooks', async () => {
    const proc = new FakeProcess({ OTEL_NODE_RESOURCE_DETECTORS: 'none' });
    const { sdkNode, calls, configs } = fakeSdkNode();
    const sdk = startFromEnvironment({ process: proc, sdkNode, config: noInstrumentations });
    assert.ok(sdk);
    assert.deepEqual(calls, ['new:undefined', 'start']);
    assert.deepEqual(Object.keys(configs[0]).sort(), [
      'idGenerator',
      'instrumentations',
      'logRecordProcessors',
      'metricReaders',
      'resourceDetectors',
      'sampler',
      'spanProcessors',
      'textMapPropagator',
    ]);
    assert.deepEqual(
      ['SIGTERM', 'SIGINT', 'beforeExit'].map((e) => proc.listenerCount(e)),
      [1, 1, 1],
    );
    // App handles SIGTERM: our listener flushes the processors (the real ones) and does not exit.
    proc.on('SIGTERM', () => undefined);
    proc.emit('SIGTERM');
    proc.emit('beforeExit');
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(calls, ['new:undefined', 'start', 'shutdown']);
    await Promise.all(
      (configs[0].spanProcessors as { shutdown(): Promise<void> }[]).map((p) => p.shutdown()),
    );
  });

  it('hides OTEL_LOG_LEVEL from NodeSDK (we set the diag logger ourselves)', () => {
    const proc = new FakeProcess({ OTEL_LOG_LEVEL: 'none', OTEL_TRACES_EXPORTER: 'none' });
    const { sdkNode, calls } = fakeSdkNode();
    process.env.OTEL_LOG_LEVEL = 'none';
    try {
      startFromEnvironment({ process: proc, sdkNode, config: noInstrumentations });
      assert.equal(process.env.OTEL_LOG_LEVEL, 'none');
    } finally {
      delete process.env.OTEL_LOG_LEVEL;
    }
    assert.deepEqual(calls.slice(0, 1), ['new:undefined']);
  });

  it('a bad AWS_XRAY_DAEMON_ADDRESS: reported once on stderr, nothing started, no throw', () => {
    const proc = new FakeProcess({ AWS_XRAY_DAEMON_ADDRESS: ':2000' });
    const { sdkNode, calls } = fakeSdkNode();
    const reports: string[] = [];
    const sdk = startFromEnvironment({ process: proc, sdkNode, reportError: (m) => reports.push(m) });
    assert.equal(sdk, undefined);
    assert.deepEqual(calls, []);
    assert.equal(reports.length, 1);
    assert.match(
      reports[0],
      /^@xray-otel\/register: tracing is disabled, .*Invalid X-Ray daemon address ":2000"/,
    );
    assert.deepEqual(proc.eventNames(), []);
  });

  it('with OTEL_LOG_LEVEL set, the report goes to diag only (not also to stderr)', () => {
    const proc = new FakeProcess({ AWS_XRAY_DAEMON_ADDRESS: 'nope', OTEL_LOG_LEVEL: 'none' });
    const reports: string[] = [];
    startFromEnvironment({
      process: proc,
      sdkNode: fakeSdkNode().sdkNode,
      reportError: (m) => reports.push(m),
    });
    assert.deepEqual(reports, []);
  });

  it('an SDK that throws on start is reported, not thrown', () => {
    const proc = new FakeProcess({ OTEL_TRACES_EXPORTER: 'none' });
    const reports: string[] = [];
    const result = startFromEnvironment({
      process: proc,
      sdkNode: fakeSdkNode({ throwOnStart: true }).sdkNode,
      config: noInstrumentations,
      reportError: (m) => reports.push(String(m)),
    });
    assert.equal(result, undefined);
    assert.match(reports[0], /start failed/);
    const other = startFromEnvironment({
      process: proc,
      sdkNode: {
        NodeSDK: class {
          constructor() {
            throw 'not an Error';
          }
        },
      } as unknown as SdkNodeModule,
      config: noInstrumentations,
      reportError: (m) => reports.push(String(m)),
    });
    assert.equal(other, undefined);
    assert.match(reports[1], /not an Error/);
  });

  it('the real NodeSDK: a span reaches the daemon address over UDP', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const received = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString())));
    const port = (socket.address() as AddressInfo).port;
    const proc = new FakeProcess({
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
      OTEL_NODE_RESOURCE_DETECTORS: 'env',
    });
    const sdk = startFromEnvironment({ process: proc, config: noInstrumentations });
    try {
      assert.ok(sdk);
      trace.getTracer('t').startActiveSpan('unit-span', (span) => span.end());
      assert.deepEqual(propagation.fields(), ['x-amzn-trace-id', 'traceparent', 'tracestate', 'baggage']);
      await sdk.shutdown();
      const datagram = await received;
      const [header, body] = datagram.split('\n');
      assert.equal(header, '{"format":"json","version":1}');
      const segment = JSON.parse(body);
      assert.equal(segment.name, 'unit-span');
      assert.match(segment.trace_id, /^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    } finally {
      socket.close();
    }
  });

  it('withoutProcessEnv hides and restores', () => {
    process.env.XRAY_REGISTER_TEST = 'x';
    try {
      assert.equal(
        withoutProcessEnv(
          ['XRAY_REGISTER_TEST', 'XRAY_REGISTER_UNSET'],
          () => process.env.XRAY_REGISTER_TEST,
        ),
        undefined,
      );
      assert.equal(process.env.XRAY_REGISTER_TEST, 'x');
      assert.equal('XRAY_REGISTER_UNSET' in process.env, false);
    } finally {
      delete process.env.XRAY_REGISTER_TEST;
    }
  });

  it('startOnce starts at most once per process', () => {
    const key = Symbol.for('@xray-otel/register.started');
    const global = globalThis as Record<symbol, unknown>;
    const before = global[key];
    delete global[key];
    try {
      const proc = new FakeProcess({ OTEL_TRACES_EXPORTER: 'none' });
      const { sdkNode, calls } = fakeSdkNode();
      assert.ok(startOnce({ process: proc, sdkNode, config: noInstrumentations }));
      assert.equal(startOnce({ process: proc, sdkNode, config: noInstrumentations }), undefined);
      assert.deepEqual(calls, ['new:undefined', 'start']);
    } finally {
      if (before === undefined) delete global[key];
      else global[key] = before;
    }
  });
});
