import * as assert from 'node:assert/strict';
import { createInstrumentations, getInstrumentationConfigs } from '../src/instrumentations';
import type { InstrumentationConfigs } from '../src/instrumentations';

describe('register instrumentations', () => {
  it('dns is off by default (as ADOT), unless the user configures it', () => {
    assert.deepEqual(getInstrumentationConfigs({}), {
      '@opentelemetry/instrumentation-dns': { enabled: false },
    });
    const mine = { '@opentelemetry/instrumentation-dns': { enabled: true } };
    assert.deepEqual(getInstrumentationConfigs({}, mine), mine);
  });

  it('OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS take over the defaults', () => {
    assert.deepEqual(getInstrumentationConfigs({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,dns' }), {});
    assert.deepEqual(getInstrumentationConfigs({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'net' }), {});
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
    });
  });
});
