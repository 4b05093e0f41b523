import * as assert from 'node:assert/strict';
import { createInstrumentations, getInstrumentationConfigs } from '../src/instrumentations';
import type { InstrumentationConfigs } from '../src/instrumentations';

describe('register instrumentations', () => {
  it('dns is off by default (as ADOT), unless the user configures it', () => {
    assert.deepEqual(getInstrumentationConfigs({}), {
      '@opentelemetry/instrumentation-dns': { enabled: false },
      '@opentelemetry/instrumentation-aws-sdk': { suppressInternalInstrumentation: true },
    });
    const mine = { '@opentelemetry/instrumentation-dns': { enabled: true } };
    assert.deepEqual(getInstrumentationConfigs({}, mine)['@opentelemetry/instrumentation-dns'], {
      enabled: true,
    });
  });

  it('aws-sdk calls make no http subsegment under them (as captureAWSv3Client), unless configured', () => {
    const mine = { '@opentelemetry/instrumentation-aws-sdk': { suppressInternalInstrumentation: false } };
    assert.deepEqual(getInstrumentationConfigs({}, mine)['@opentelemetry/instrumentation-aws-sdk'], {
      suppressInternalInstrumentation: false,
    });
  });

  it('OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS take over the defaults', () => {
    const sdk = { '@opentelemetry/instrumentation-aws-sdk': { suppressInternalInstrumentation: true } };
    assert.deepEqual(getInstrumentationConfigs({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,dns' }), sdk);
    assert.deepEqual(getInstrumentationConfigs({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'net' }), sdk);
  });

  it('passes the configs to getNodeAutoInstrumentations', () => {
    let seen: InstrumentationConfigs | undefined;
    const result = createInstrumentations(
      {},
      { '@opentelemetry/instrumentation-http': { enabled: true } },
      () => (configs) => {
        seen = configs;
        return [];
      },
    );
    assert.deepEqual(result, []);
    assert.deepEqual(seen, {
      '@opentelemetry/instrumentation-http': { enabled: true },
      '@opentelemetry/instrumentation-dns': { enabled: false },
      '@opentelemetry/instrumentation-aws-sdk': { suppressInternalInstrumentation: true },
    });
  });
});
