import * as assert from 'node:assert/strict';
import { AWSXRayUdpSpanExporter } from '@xray-otel/exporter-udp';
import {
  createOtlpProcessors,
  createSpanProcessors,
  getOtlpRoute,
  getTracesExporterNames,
} from '../src/exporters';
import type { ExporterOtlpModule } from '../src/exporters';
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

/** A stand-in for @xray-otel/exporter-otlp whose exporters keep what they were given. */
class FakeExporter {
  constructor(
    readonly kind: string,
    readonly options: unknown,
  ) {}
}
function fakeExporterOtlp(): ExporterOtlpModule {
  class AWSXRayAnnotationsSpanProcessor {
    constructor(readonly options: unknown) {}
  }
  return {
    createCollectorSpanExporter: (options?: unknown) => new FakeExporter('collector', options),
    AWSXRayAnnotationsSpanProcessor,
    AWSXRayOtlpUdpSpanExporter: class extends FakeExporter {
      constructor(options?: unknown) {
        super('lambda-udp', options);
      }
    },
    AWSXRayOtlpSpanExporter: class extends FakeExporter {
      constructor(options?: unknown) {
        super('xray-sigv4', options);
      }
    },
    isXRayOtlpEndpoint: (url: string) => /^https:\/\/xray\.[a-z0-9-]+\.amazonaws\.com\/v1\/traces$/.test(url),
  } as unknown as ExporterOtlpModule;
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
      fakeExporterOtlp(),
    ) as unknown as Recorded[];
    assert.deepEqual(
      processors.map((p) => p.constructor.name),
      ['BatchSpanProcessor', 'SimpleSpanProcessor'],
    );
    assert.equal((processors[0].config.exporter as FakeExporter).kind, 'collector');
    assert.deepEqual((processors[0].config.exporter as FakeExporter).options, { protocol: 'http/protobuf' });
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

  it('names: unknown ones are said and dropped; none left means the default, said too', () => {
    const some = captureDiag(() => getTracesExporterNames({ OTEL_TRACES_EXPORTER: 'zipkin,console' }));
    assert.deepEqual(some.result, ['console']);
    assert.deepEqual(some.messages, [
      'warn: @xray-otel/register: OTEL_TRACES_EXPORTER: "zipkin" unknown to @xray-otel/register ' +
        '(known: xray, otlp, console, none); using console.',
    ]);
    const bogus = captureDiag(() => getTracesExporterNames({ OTEL_TRACES_EXPORTER: 'bogus' }));
    assert.deepEqual(bogus.result, ['xray']);
    assert.match(bogus.messages[0], /"bogus" unknown .*; using xray \(the default\)\.$/);
    const lambda = captureDiag(() =>
      getTracesExporterNames({ OTEL_TRACES_EXPORTER: 'bogus', AWS_LAMBDA_FUNCTION_NAME: 'f' }),
    );
    assert.deepEqual(lambda.result, ['otlp']);
  });

  it('createSpanProcessors: unknown names (passed directly) are reported and skipped', () => {
    const { result, messages } = captureDiag(() => createSpanProcessors(['zipkin'], {}, {}, fakeSdkTrace()));
    assert.deepEqual(result, []);
    assert.match(messages[0], /OTEL_TRACES_EXPORTER value "zipkin" is unknown/);
  });

  describe('otlp routes', () => {
    const isXRay = (url: string): boolean => url.startsWith('https://xray.');

    it('Lambda default: otlp, and OTLP over UDP when no endpoint is set', () => {
      const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'f' };
      assert.deepEqual(getTracesExporterNames(lambda), ['otlp']);
      assert.deepEqual(getTracesExporterNames({ ...lambda, OTEL_TRACES_EXPORTER: 'xray' }), ['xray']);
      assert.deepEqual(getOtlpRoute(lambda, isXRay), { kind: 'lambda-udp' });
      assert.deepEqual(getOtlpRoute({ ...lambda, AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000' }, isXRay), {
        kind: 'lambda-udp',
        daemonAddress: '169.254.79.129:2000',
      });
      // An endpoint set in Lambda: a collector (e.g. the ADOT collector extension).
      assert.deepEqual(
        getOtlpRoute({ ...lambda, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }, isXRay),
        {
          kind: 'collector',
          protocol: 'http/protobuf',
          url: 'http://localhost:4318/v1/traces',
        },
      );
    });

    it('outside Lambda: the local collector, protocol from the environment', () => {
      assert.deepEqual(getOtlpRoute({}, isXRay), { kind: 'collector', protocol: 'http/protobuf' });
      assert.deepEqual(getOtlpRoute({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }, isXRay), {
        kind: 'collector',
        protocol: 'grpc',
      });
      assert.deepEqual(
        getOtlpRoute(
          { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' },
          isXRay,
        ),
        { kind: 'collector', protocol: 'grpc', url: 'http://collector:4317' },
      );
      assert.deepEqual(
        getOtlpRoute({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' }, isXRay),
        { kind: 'collector', protocol: 'http/protobuf', url: 'http://collector:4318/custom' },
      );
      const [processor] = createOtlpProcessors(
        {},
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
        fakeSdkTrace(),
        fakeExporterOtlp(),
      ) as unknown as Recorded[];
      assert.deepEqual((processor.config.exporter as FakeExporter).options, {
        protocol: 'http/protobuf',
        url: 'http://collector:4318/v1/traces',
      });
    });

    it('the X-Ray OTLP endpoint: SigV4, http/protobuf only (other protocols reported)', () => {
      const url = 'https://xray.eu-west-1.amazonaws.com/v1/traces';
      assert.deepEqual(getOtlpRoute({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url }, isXRay), {
        kind: 'xray-sigv4',
        url,
      });
      assert.deepEqual(
        getOtlpRoute({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://xray.eu-west-1.amazonaws.com/' }, isXRay),
        { kind: 'xray-sigv4', url },
      );
      const { result, messages } = captureDiag(() =>
        getOtlpRoute(
          { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
          isXRay,
        ),
      );
      assert.deepEqual(result, { kind: 'xray-sigv4', url });
      assert.match(messages[0], /http\/protobuf only/);
    });

    it('processors: annotations first when attributes are indexed, then a batch with the exporter', () => {
      const otlp = fakeExporterOtlp();
      const sdk = fakeSdkTrace();
      const plain = createOtlpProcessors({}, {}, sdk, otlp) as unknown as Recorded[];
      assert.deepEqual(
        plain.map((p) => p.constructor.name),
        ['BatchSpanProcessor'],
      );
      const indexed = createOtlpProcessors(
        { indexedAttributes: ['order.id'] },
        { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://xray.us-east-1.amazonaws.com/v1/traces' },
        sdk,
        otlp,
      ) as unknown as (Recorded & { options: unknown })[];
      assert.equal(indexed[0].constructor.name, 'AWSXRayAnnotationsSpanProcessor');
      assert.deepEqual(indexed[0].options, { indexedAttributes: ['order.id'], indexAllAttributes: false });
      const exporter = indexed[1].config.exporter as FakeExporter;
      assert.equal(exporter.kind, 'xray-sigv4');
      assert.deepEqual(exporter.options, { url: 'https://xray.us-east-1.amazonaws.com/v1/traces' });
      const all = createOtlpProcessors({ indexAllAttributes: true }, {}, sdk, otlp) as unknown as {
        options: unknown;
      }[];
      assert.deepEqual(all[0].options, { indexedAttributes: [], indexAllAttributes: true });
    });

    it('Lambda UDP: batches of 10 spans unless OTEL_BSP_MAX_EXPORT_BATCH_SIZE says otherwise', () => {
      const otlp = fakeExporterOtlp();
      const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'f', AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' };
      const [batch] = createOtlpProcessors({}, lambda, fakeSdkTrace(), otlp) as unknown as Recorded[];
      assert.equal(batch.config.maxExportBatchSize, 10);
      assert.equal((batch.config.exporter as FakeExporter).kind, 'lambda-udp');
      assert.deepEqual((batch.config.exporter as FakeExporter).options, { daemonAddress: '127.0.0.1:2000' });
      const [own] = createOtlpProcessors(
        {},
        { AWS_LAMBDA_FUNCTION_NAME: 'f', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '5' },
        fakeSdkTrace(),
        otlp,
      ) as unknown as Recorded[];
      assert.equal(own.config.maxExportBatchSize, 5);
      assert.deepEqual((own.config.exporter as FakeExporter).options, {});
    });
  });
});
