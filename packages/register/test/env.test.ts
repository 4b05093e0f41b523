import * as assert from 'node:assert/strict';
import {
  getBatchSpanProcessorOptions,
  getBoolean,
  getInteger,
  getList,
  getOtlpProtocol,
  getSamplerSetting,
  getString,
  isEcs,
  isKubernetes,
  isLambda,
  isSdkDisabled,
  normalizeNames,
} from '../src/env';
import { captureDiag } from './diag-capture';

describe('register env', () => {
  it('getString trims and treats blank as unset', () => {
    assert.equal(getString({ A: '  x ' }, 'A'), 'x');
    assert.equal(getString({ A: '   ' }, 'A'), undefined);
    assert.equal(getString({}, 'A'), undefined);
  });

  it('getList splits on commas, trims, drops empty entries', () => {
    assert.deepEqual(getList({ A: ' a, b ,,c ' }, 'A'), ['a', 'b', 'c']);
    assert.equal(getList({ A: ' , ' }, 'A'), undefined);
    assert.equal(getList({}, 'A'), undefined);
  });

  it('getBoolean accepts true/false in any case and reports anything else', () => {
    assert.equal(getBoolean({ A: 'TRUE' }, 'A'), true);
    assert.equal(getBoolean({ A: 'False' }, 'A'), false);
    assert.equal(getBoolean({}, 'A'), undefined);
    const { result, messages } = captureDiag(() => getBoolean({ A: 'yes' }, 'A'));
    assert.equal(result, undefined);
    assert.equal(
      messages[0],
      'warn: @xray-otel/register: A="yes" is not "true" or "false"; using the default.',
    );
    const named = captureDiag(() => getBoolean({ A: '1' }, 'A', 'false'));
    assert.match(named.messages[0], /A="1" is not "true" or "false"; using false\.$/);
  });

  it('getInteger accepts digits only, positive when asked', () => {
    assert.equal(getInteger({ A: '42' }, 'A'), 42);
    assert.equal(getInteger({ A: '0' }, 'A'), 0);
    assert.equal(getInteger({}, 'A'), undefined);
    const { messages } = captureDiag(() => {
      assert.equal(getInteger({ A: '0' }, 'A', true), undefined);
      assert.equal(getInteger({ A: '-1' }, 'A'), undefined);
      assert.equal(getInteger({ A: '1.5' }, 'A'), undefined);
      assert.equal(getInteger({ A: '99999999999999999999' }, 'A'), undefined);
    });
    assert.equal(messages.length, 4);
    assert.match(messages[0], /A="0" is not a positive integer; using the default\.$/);
    assert.match(messages[1], /A="-1" is not a non-negative integer/);
  });

  it('normalizeNames lower-cases and de-duplicates in order', () => {
    assert.deepEqual(normalizeNames(['XRay', 'tracecontext', 'xray', ' ']), ['xray', 'tracecontext']);
  });

  it('OTEL_SDK_DISABLED=true (any case) disables; anything else does not', () => {
    assert.equal(isSdkDisabled({ OTEL_SDK_DISABLED: 'true' }), true);
    assert.equal(isSdkDisabled({ OTEL_SDK_DISABLED: ' TRUE ' }), true);
    assert.equal(isSdkDisabled({ OTEL_SDK_DISABLED: 'false' }), false);
    assert.equal(isSdkDisabled({ OTEL_SDK_DISABLED: '1' }), false);
    assert.equal(isSdkDisabled({}), false);
  });

  it('recognises Lambda, ECS and Kubernetes from their variables', () => {
    assert.equal(isLambda({ AWS_LAMBDA_FUNCTION_NAME: 'f' }), true);
    assert.equal(isLambda({ LAMBDA_TASK_ROOT: '/var/task' }), true);
    assert.equal(isLambda({}), false);
    assert.equal(isEcs({ ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/x' }), true);
    assert.equal(isEcs({ ECS_CONTAINER_METADATA_URI: 'http://169.254.170.2/v3/x' }), true);
    assert.equal(isEcs({}), false);
    assert.equal(isKubernetes({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }), true);
    assert.equal(isKubernetes({}), false);
  });

  describe('OTEL_TRACES_SAMPLER', () => {
    it('defaults to parentbased_always_on with ratio 1', () => {
      assert.deepEqual(getSamplerSetting({}), { name: 'parentbased_always_on', ratio: 1 });
    });

    it('reads the name in any case and the ratio for the traceidratio samplers', () => {
      assert.deepEqual(
        getSamplerSetting({ OTEL_TRACES_SAMPLER: 'TraceIdRatio', OTEL_TRACES_SAMPLER_ARG: '0.25' }),
        {
          name: 'traceidratio',
          ratio: 0.25,
        },
      );
      assert.deepEqual(
        getSamplerSetting({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }),
        { name: 'parentbased_traceidratio', ratio: 0 },
      );
      assert.deepEqual(
        getSamplerSetting({ OTEL_TRACES_SAMPLER: 'always_off', OTEL_TRACES_SAMPLER_ARG: '0.5' }),
        {
          name: 'always_off',
          ratio: 1,
        },
      );
    });

    it('reports a bad ratio and uses 1', () => {
      for (const arg of ['1.5', '-0.1', 'half']) {
        const { result, messages } = captureDiag(() =>
          getSamplerSetting({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: arg }),
        );
        assert.deepEqual(result, { name: 'traceidratio', ratio: 1 });
        assert.match(messages[0], /OTEL_TRACES_SAMPLER_ARG=.* is not a ratio in \[0, 1\]; using 1/);
      }
    });

    it('xray samplers keep their raw argument; unknown names fall back to the default with a warning', () => {
      assert.deepEqual(getSamplerSetting({ OTEL_TRACES_SAMPLER: 'XRay' }), { name: 'xray', ratio: 1 });
      assert.deepEqual(
        getSamplerSetting({
          OTEL_TRACES_SAMPLER: 'parentbased_xray',
          OTEL_TRACES_SAMPLER_ARG: 'polling_interval=60',
        }),
        { name: 'parentbased_xray', ratio: 1, arg: 'polling_interval=60' },
      );
      const unknown = captureDiag(() => getSamplerSetting({ OTEL_TRACES_SAMPLER: 'sometimes' }));
      assert.equal(unknown.result.name, 'parentbased_always_on');
      assert.match(unknown.messages[0], /OTEL_TRACES_SAMPLER="sometimes" is not one of/);
    });
  });

  it('OTLP protocol: traces-specific first, then general, default http/protobuf; unknown reported', () => {
    assert.equal(getOtlpProtocol({}), 'http/protobuf');
    assert.equal(getOtlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), 'grpc');
    assert.equal(
      getOtlpProtocol({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      }),
      'http/json',
    );
    const { result, messages } = captureDiag(() =>
      getOtlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' }),
    );
    assert.equal(result, 'http/protobuf');
    assert.match(messages[0], /Unsupported OTLP traces protocol "carrier-pigeon"/);
  });

  it('OTEL_BSP_* become BatchSpanProcessor options; unset or bad ones are left out', () => {
    assert.deepEqual(getBatchSpanProcessorOptions({}), {});
    assert.deepEqual(
      getBatchSpanProcessorOptions({
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
        OTEL_BSP_SCHEDULE_DELAY: '0',
        OTEL_BSP_EXPORT_TIMEOUT: '1000',
      }),
      { maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMillis: 0, exportTimeoutMillis: 1000 },
    );
    const { result } = captureDiag(() =>
      getBatchSpanProcessorOptions({ OTEL_BSP_MAX_QUEUE_SIZE: '0', OTEL_BSP_SCHEDULE_DELAY: 'soon' }),
    );
    assert.deepEqual(result, {});
  });
});
