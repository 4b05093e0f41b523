import * as assert from 'node:assert/strict';
import {
  createInstrumentations,
  getInstrumentationConfigs,
  pgUserRequestHook,
} from '../src/instrumentations';
import type { InstrumentationConfigs } from '../src/instrumentations';

/** What register adds to every configuration (the user's own keys win). */
const DEFAULTS = {
  '@opentelemetry/instrumentation-http': {
    headersToSpanAttributes: {
      client: { responseHeaders: ['content-length'] },
      server: { responseHeaders: ['content-length'] },
    },
  },
  '@opentelemetry/instrumentation-undici': {
    headersToSpanAttributes: { responseHeaders: ['content-length'] },
  },
  '@opentelemetry/instrumentation-pg': { requestHook: pgUserRequestHook, connectionHook: pgUserRequestHook },
  '@opentelemetry/instrumentation-aws-sdk': { suppressInternalInstrumentation: true },
};

describe('register instrumentations', () => {
  it('dns is off by default (as ADOT), unless the user configures it', () => {
    assert.deepEqual(getInstrumentationConfigs({}), {
      '@opentelemetry/instrumentation-dns': { enabled: false },
      ...DEFAULTS,
    });
    const mine = { '@opentelemetry/instrumentation-dns': { enabled: true } };
    assert.deepEqual(getInstrumentationConfigs({}, mine)['@opentelemetry/instrumentation-dns'], {
      enabled: true,
    });
  });

  it('http and undici capture Content-Length (content_length), unless the user configures the headers', () => {
    const mine = { '@opentelemetry/instrumentation-http': { headersToSpanAttributes: {} } };
    assert.deepEqual(getInstrumentationConfigs({}, mine)['@opentelemetry/instrumentation-http'], {
      headersToSpanAttributes: {},
    });
  });

  it('pg queries record the database user as db.user (sql.user), never throwing on odd input', () => {
    const set: Record<string, string> = {};
    const span = { setAttribute: (key: string, value: string) => (set[key] = value) };
    pgUserRequestHook(span, { connection: { user: 'app' } });
    assert.deepEqual(set, { 'db.user': 'app' });
    for (const info of [{}, { connection: {} }, { connection: { user: 42 } }, undefined]) {
      pgUserRequestHook(span, info as never);
    }
    assert.deepEqual(set, { 'db.user': 'app' });
  });

  it('aws-sdk calls make no http subsegment under them (as captureAWSv3Client), unless configured', () => {
    const mine = { '@opentelemetry/instrumentation-aws-sdk': { suppressInternalInstrumentation: false } };
    assert.deepEqual(getInstrumentationConfigs({}, mine)['@opentelemetry/instrumentation-aws-sdk'], {
      suppressInternalInstrumentation: false,
    });
  });

  it('OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS take over the defaults', () => {
    const sdk = DEFAULTS;
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
      ...DEFAULTS,
      '@opentelemetry/instrumentation-http': {
        ...DEFAULTS['@opentelemetry/instrumentation-http'],
        enabled: true,
      },
      '@opentelemetry/instrumentation-dns': { enabled: false },
    });
  });
});
