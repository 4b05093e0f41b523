import * as assert from 'node:assert/strict';
import { resolveOtlpProtocol } from '../src/otlp-protocol';
import { captureDiag } from './helpers';

describe('resolveOtlpProtocol', () => {
  const said: string[] = [];
  const warn = (message: string): number => said.push(message);
  beforeEach(() => (said.length = 0));

  it('option, then OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL, then http/protobuf', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
    assert.equal(resolveOtlpProtocol('http/json', env, warn), 'http/json');
    assert.equal(resolveOtlpProtocol(undefined, env, warn), 'grpc');
    assert.equal(
      resolveOtlpProtocol(undefined, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, warn),
      'http/json',
    );
    assert.equal(resolveOtlpProtocol(undefined, {}, warn), 'http/protobuf');
    // Blank counts as unset; values are trimmed and case-insensitive.
    assert.equal(
      resolveOtlpProtocol(
        ' ',
        { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: ' GRPC ', OTEL_EXPORTER_OTLP_PROTOCOL: 'x' },
        warn,
      ),
      'grpc',
    );
    assert.deepEqual(said, []);
  });

  it('an unknown value is said once, naming its source, and gives http/protobuf (no fall-through)', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'udp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' };
    assert.equal(resolveOtlpProtocol(undefined, env, warn), 'http/protobuf');
    assert.equal(said.length, 1);
    assert.match(said[0], /"udp" in OTEL_EXPORTER_OTLP_TRACES_PROTOCOL .*using http\/protobuf/);
    assert.equal(resolveOtlpProtocol('thrift', {}, warn), 'http/protobuf');
    assert.match(said[1], /"thrift" in the protocol option/);
  });

  it('says an unknown value through diag.warn by default', () => {
    const log = captureDiag();
    try {
      assert.equal(resolveOtlpProtocol('thrift', {}), 'http/protobuf');
      assert.equal(log.lines.length, 1);
      assert.match(log.lines[0], /"thrift" in the protocol option/);
    } finally {
      log.restore();
    }
  });

  it('reads process.env by default', () => {
    const saved = process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
    process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'http/json';
    try {
      assert.equal(resolveOtlpProtocol(undefined), 'http/json');
    } finally {
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
      else process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = saved;
    }
  });
});
