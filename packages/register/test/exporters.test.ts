import * as assert from 'node:assert/strict';
import { AWSXRayUdpSpanExporter } from '@xray-otel/exporter-udp';
import { createOtlpExporter, createSpanProcessors, getTracesExporterNames } from '../src/exporters';
import type { SdkTraceModule } from '../src/otel';
import { captureDiag } from './diag-capture';

/** A stand-in for @opentelemetry/sdk-trace whose processors keep what they were given. */
function fakeSdkTrace(): SdkTraceModule {
  class Recorded {
    constructor(readonly config: Record<string, unknown>) {}
  }
  class BatchSpanProcessor extends Recorded {}
  class SimpleSpanProcessor extends Recorded {}
  class ConsoleSpanExporter {}
  return { BatchSpanProcessor, SimpleSpanProcessor, ConsoleSpanExporter } as unknown as SdkTraceModule;
}

type Recorded = { constructor: { name: string }; config: { exporter: unknown } & Record<string, unknown> };

describe('register exporters', () => {
  it('names: option, else OTEL_TRACES_EXPORTER, else xray', () => {
    assert.deepEqual(getTracesExporterNames({}), ['xray']);
    assert.deepEqual(getTracesExporterNames({ OTEL_TRACES_EXPORTER: 'OTLP, console' }), ['otlp', 'console']);
    assert.deepEqual(getTracesExporterNames({ OTEL_TRACES_EXPORTER: 'otlp' }, ['console']), ['console']);
  });

  it('none exports nothing, also when mixed (with a warning)', () => {
    assert.deepEqual(getTracesExporterNames({ OTEL_TRACES_EXPORTER: 'none' }), []);
    const { result, messages } = captureDiag(() =>
      getTracesExporterNames({ OTEL_TRACES_EXPORTER: 'xray,none' }),
    );
    assert.deepEqual(result, []);
    assert.match(messages[0], /"none" with other names/);
  });

  it('xray: a batch processor with the UDP exporter, its settings and the OTEL_BSP_* options', () => {
    const [processor] = createSpanProcessors(
      ['xray'],
      { daemonAddress: '127.0.0.1:4000', indexedAttributes: ['user'], indexAllAttributes: false },
      { OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10' },
      fakeSdkTrace(),
    ) as unknown as Recorded[];
    assert.equal(processor.constructor.name, 'BatchSpanProcessor');
    assert.equal(processor.config.scheduledDelayMillis, 100);
    assert.equal(processor.config.maxExportBatchSize, 10);
    const exporter = processor.config.exporter as AWSXRayUdpSpanExporter;
    assert.ok(exporter instanceof AWSXRayUdpSpanExporter);
    assert.equal(exporter.daemonAddress.udp.port, 4000);
  });

  it('otlp: a batch processor; console: a simple processor; several at once', () => {
    const processors = createSpanProcessors(
      ['otlp', 'console'],
      {},
      {},
      fakeSdkTrace(),
    ) as unknown as Recorded[];
    assert.deepEqual(
      processors.map((p) => p.constructor.name),
      ['BatchSpanProcessor', 'SimpleSpanProcessor'],
    );
    assert.equal((processors[0].config.exporter as object).constructor.name, 'OTLPTraceExporter');
    assert.equal((processors[1].config.exporter as object).constructor.name, 'ConsoleSpanExporter');
  });

  it('the real SDK processors are built too', () => {
    const processors = createSpanProcessors(['xray', 'console'], {}, {});
    assert.deepEqual(
      processors.map((p) => p.constructor.name),
      ['BatchSpanProcessor', 'SimpleSpanProcessor'],
    );
    return Promise.all(processors.map((p) => p.shutdown()));
  });

  it('otlp picks the package for the protocol', () => {
    const loaded: string[] = [];
    const load = (id: string): unknown => {
      loaded.push(id);
      return { OTLPTraceExporter: class {} };
    };
    createOtlpExporter({}, load);
    createOtlpExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, load);
    createOtlpExporter({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }, load);
    assert.deepEqual(loaded, [
      '@opentelemetry/exporter-trace-otlp-proto',
      '@opentelemetry/exporter-trace-otlp-grpc',
      '@opentelemetry/exporter-trace-otlp-http',
    ]);
  });

  it('unknown names are reported and skipped', () => {
    const { result, messages } = captureDiag(() => createSpanProcessors(['zipkin'], {}, {}, fakeSdkTrace()));
    assert.deepEqual(result, []);
    assert.match(messages[0], /OTEL_TRACES_EXPORTER value "zipkin" is unknown/);
  });
});
