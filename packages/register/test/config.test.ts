import * as assert from 'node:assert/strict';
import { AWSXRayUdpSpanExporter } from '@xray-otel/exporter-udp';
import { AWSXRayIdGenerator } from '@xray-otel/id-generator';
import { getXRayExporterSettings, xrayNodeSDKConfig } from '../src/config';
import type { XRayNodeSDKConfig } from '../src/config';
import { captureDiag } from './diag-capture';

function shutdown(config: XRayNodeSDKConfig): Promise<unknown> {
  return Promise.all(config.spanProcessors.map((p) => p.shutdown()));
}

/** The exporter of the first exporting processor (the span processor in front exports nothing). */
function exporterOf<T = AWSXRayUdpSpanExporter>(config: XRayNodeSDKConfig): T {
  const exporting = config.spanProcessors.find((p) => '_exporter' in p) as unknown as { _exporter: T };
  return exporting._exporter;
}

function processorNames(config: XRayNodeSDKConfig): string[] {
  return config.spanProcessors.map((p) => p.constructor.name);
}

describe('register xrayNodeSDKConfig', () => {
  it('defaults: X-Ray ID generator, propagators, UDP exporter, detectors, sampler; no metrics or logs', async () => {
    const config = xrayNodeSDKConfig({ env: {}, instrumentations: [] });
    assert.ok(config.idGenerator instanceof AWSXRayIdGenerator);
    assert.deepEqual(config.textMapPropagator?.fields(), [
      'x-amzn-trace-id',
      'traceparent',
      'tracestate',
      'baggage',
    ]);
    assert.deepEqual(processorNames(config), ['AWSXRaySpanProcessor', 'BatchSpanProcessor']);
    const exporter = exporterOf(config);
    assert.ok(exporter instanceof AWSXRayUdpSpanExporter);
    assert.deepEqual(exporter.daemonAddress.udp, { host: '127.0.0.1', port: 2000, family: 4 });
    assert.ok(config.resourceDetectors.length >= 3);
    assert.match(config.sampler.toString(), /^AWSXRayParentBased\{root=AlwaysOnSampler/);
    assert.deepEqual(config.instrumentations, []);
    assert.deepEqual(config.metricReaders, []);
    assert.deepEqual(config.logRecordProcessors, []);
    await shutdown(config);
  });

  it('environment variables', async () => {
    const config = xrayNodeSDKConfig({
      env: {
        AWS_XRAY_DAEMON_ADDRESS: 'tcp:127.0.0.1:3001 udp:127.0.0.1:3000',
        OTEL_PROPAGATORS: 'xray',
        OTEL_TRACES_EXPORTER: 'xray,console',
        OTEL_NODE_RESOURCE_DETECTORS: 'none',
        OTEL_TRACES_SAMPLER: 'always_off',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_LOGS_EXPORTER: 'console',
      },
      instrumentations: [],
    });
    assert.deepEqual(config.textMapPropagator?.fields(), ['x-amzn-trace-id']);
    assert.deepEqual(processorNames(config), [
      'AWSXRaySpanProcessor',
      'BatchSpanProcessor',
      'SimpleSpanProcessor',
    ]);
    assert.equal(exporterOf(config).daemonAddress.udp.port, 3000);
    assert.equal(exporterOf(config).daemonAddress.tcp.port, 3001);
    assert.deepEqual(config.resourceDetectors, []);
    assert.equal(config.sampler.toString(), 'AlwaysOffSampler');
    // Set: NodeSDK reads them itself.
    assert.equal('metricReaders' in config, false);
    assert.equal('logRecordProcessors' in config, false);
    await shutdown(config);
  });

  it('options override environment variables', async () => {
    const sampler = { shouldSample: () => ({ decision: 0 }), toString: () => 'mine' };
    const config = xrayNodeSDKConfig({
      env: { AWS_XRAY_DAEMON_ADDRESS: 'bad', OTEL_PROPAGATORS: 'xray', OTEL_TRACES_EXPORTER: 'otlp' },
      daemonAddress: '127.0.0.1:5000',
      propagators: ['none'],
      tracesExporters: ['xray'],
      resourceDetectors: ['env'],
      sampler,
      instrumentations: [],
    });
    assert.equal(config.textMapPropagator, null);
    assert.equal(exporterOf(config).daemonAddress.udp.port, 5000);
    assert.equal(config.resourceDetectors.length, 1);
    assert.equal(config.sampler, sampler);
    await shutdown(config);
  });

  it('OTEL_TRACES_EXPORTER=none: no span processor', () => {
    const config = xrayNodeSDKConfig({ env: { OTEL_TRACES_EXPORTER: 'none' }, instrumentations: [] });
    assert.deepEqual(config.spanProcessors, []);
  });

  it('a bad daemon address throws a clear error, before instrumentations are created', () => {
    let created = false;
    assert.throws(
      () =>
        xrayNodeSDKConfig({
          env: { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1' },
          instrumentationConfigs: {},
          get instrumentations() {
            created = true;
            return [];
          },
        }),
      /Invalid X-Ray daemon address "127\.0\.0\.1"/,
    );
    assert.equal(created, false);
  });

  it('the daemon address does not matter when the xray exporter is not used', () => {
    const config = xrayNodeSDKConfig({
      env: { AWS_XRAY_DAEMON_ADDRESS: 'bad', OTEL_TRACES_EXPORTER: 'none' },
      instrumentations: [],
    });
    assert.deepEqual(config.spanProcessors, []);
  });

  it('annotation settings from OTEL_AWS_XRAY_INDEXED_ATTRIBUTES / OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES, options first', () => {
    assert.deepEqual(getXRayExporterSettings({}), { daemonAddress: '127.0.0.1:2000' });
    assert.deepEqual(
      getXRayExporterSettings({
        AWS_XRAY_DAEMON_ADDRESS: 'xray-daemon:2000',
        OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: 'user, order.id',
        OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES: 'true',
      }),
      {
        daemonAddress: 'xray-daemon:2000',
        indexedAttributes: ['user', 'order.id'],
        indexAllAttributes: true,
      },
    );
    assert.deepEqual(
      getXRayExporterSettings(
        { OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: 'user', OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES: 'true' },
        { indexedAttributes: [], indexAllAttributes: false, logGroupNames: ['/app'] },
      ),
      {
        daemonAddress: '127.0.0.1:2000',
        indexedAttributes: [],
        indexAllAttributes: false,
        logGroupNames: ['/app'],
      },
    );
    const { result, messages } = captureDiag(() =>
      getXRayExporterSettings({ OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES: 'yes' }),
    );
    assert.deepEqual(result, { daemonAddress: '127.0.0.1:2000' });
    assert.match(messages[0], /OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES="yes" is not "true" or "false"/);
  });

  it('creates the auto-instrumentations when none are given (not enabled here)', () => {
    const config = xrayNodeSDKConfig({
      env: { OTEL_TRACES_EXPORTER: 'none' },
      instrumentationConfigs: Object.fromEntries(
        ['http', 'express', 'aws-sdk'].map((n) => [
          `@opentelemetry/instrumentation-${n}`,
          { enabled: false },
        ]),
      ),
    });
    const names = config.instrumentations.flat().map((i) => i.instrumentationName);
    assert.ok(names.includes('@opentelemetry/instrumentation-pg'));
    assert.ok(!names.includes('@opentelemetry/instrumentation-http'));
    assert.ok(!names.includes('@opentelemetry/instrumentation-fs'));
    assert.ok(!names.includes('@opentelemetry/instrumentation-dns'));
    for (const i of config.instrumentations.flat()) i.disable();
  });

  it('otlp: the annotations processor from OTEL_AWS_XRAY_*, then a batch to the collector; the daemon address is not needed', async () => {
    const config = xrayNodeSDKConfig({
      env: {
        AWS_XRAY_DAEMON_ADDRESS: 'bad',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: 'order.id',
        OTEL_NODE_RESOURCE_DETECTORS: 'none',
      },
      instrumentations: [],
    });
    assert.deepEqual(
      config.spanProcessors.map((p) => p.constructor.name),
      ['AWSXRaySpanProcessor', 'AWSXRayAnnotationsSpanProcessor', 'BatchSpanProcessor'],
    );
    await shutdown(config);
  });

  it('Lambda defaults: xray-lambda first, OTLP over UDP to AWS_XRAY_DAEMON_ADDRESS', async () => {
    const config = xrayNodeSDKConfig({
      env: { AWS_LAMBDA_FUNCTION_NAME: 'f', AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' },
      instrumentations: [],
    });
    assert.equal(config.textMapPropagator?.fields()[0], 'x-amzn-trace-id');
    assert.deepEqual(processorNames(config), ['AWSXRaySpanProcessor', 'BatchSpanProcessor']);
    assert.equal(exporterOf<object>(config).constructor.name, 'AWSXRayOtlpUdpSpanExporter');
    await shutdown(config);
  });

  it('otlp to the X-Ray OTLP endpoint: the SigV4 exporter', async () => {
    const config = xrayNodeSDKConfig({
      env: {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://xray.eu-west-1.amazonaws.com/v1/traces',
        OTEL_NODE_RESOURCE_DETECTORS: 'none',
      },
      instrumentations: [],
    });
    assert.equal(exporterOf<object>(config).constructor.name, 'AWSXRayOtlpSpanExporter');
    await shutdown(config);
  });

  it('the span processor and the translator redact by default; redact: false and OTEL_AWS_XRAY_REDACT=false turn both off', async () => {
    const on = xrayNodeSDKConfig({ env: { OTEL_NODE_RESOURCE_DETECTORS: 'none' }, instrumentations: [] });
    const processor = on.spanProcessors[0] as unknown as { redaction: unknown };
    assert.ok(processor.redaction);
    assert.ok(
      (exporterOf(on) as unknown as { translatorOptions: { redact: unknown } }).translatorOptions.redact,
    );
    await shutdown(on);
    for (const config of [
      xrayNodeSDKConfig({
        env: { OTEL_NODE_RESOURCE_DETECTORS: 'none' },
        instrumentations: [],
        redact: false,
      }),
      xrayNodeSDKConfig({
        env: { OTEL_NODE_RESOURCE_DETECTORS: 'none', OTEL_AWS_XRAY_REDACT: 'false' },
        instrumentations: [],
      }),
    ]) {
      assert.equal((config.spanProcessors[0] as unknown as { redaction: unknown }).redaction, undefined);
      assert.equal(
        (exporterOf(config) as unknown as { translatorOptions: { redact: unknown } }).translatorOptions
          .redact,
        false,
      );
      await shutdown(config);
    }
  });

  it('awsSpanAttributes: false leaves the span processor out; no exporter, no processor', async () => {
    const off = xrayNodeSDKConfig({ env: {}, instrumentations: [], awsSpanAttributes: false });
    assert.deepEqual(processorNames(off), ['BatchSpanProcessor']);
    await shutdown(off);
    const none = xrayNodeSDKConfig({ env: { OTEL_TRACES_EXPORTER: 'none' }, instrumentations: [] });
    assert.deepEqual(processorNames(none), []);
  });
});
