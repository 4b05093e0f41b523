import * as assert from 'node:assert/strict';
import * as core from '../src';

describe('@xray-otel/core public API', () => {
  it('exports the shared constants with their X-Ray values', () => {
    assert.equal(core.MAX_DOCUMENT_BYTES, 64_000);
    assert.equal(core.DATAGRAM_HEADER, '{"format":"json","version":1}\n');
    assert.equal(core.DATAGRAM_HEADER_BYTES, 30);
    assert.equal(core.OTLP_UDP_SAMPLED_PREFIX, 'T1S');
    assert.equal(core.OTLP_UDP_UNSAMPLED_PREFIX, 'T1U');
    assert.equal(core.DEFAULT_DAEMON_ADDRESS, '127.0.0.1:2000');
    assert.equal(core.TRACE_HEADER_NAME, 'x-amzn-trace-id');
    assert.equal(core.AWS_XRAY_ANNOTATIONS_ATTRIBUTE, 'aws.xray.annotations');
    assert.equal(core.AWS_XRAY_METADATA_ATTRIBUTE_PREFIX, 'aws.xray.metadata.');
    assert.equal(core.AWS_XRAY_SAMPLING_RULE_ATTRIBUTE, 'aws.xray.sampling_rule');
    assert.equal(core.AWS_XRAY_OTLP_TRUNCATED_ATTRIBUTE, 'aws.xray.otlp.truncated');
    assert.equal(core.OTEL_RESOURCE_ATTRIBUTE_PREFIX, 'otel.resource.');
    assert.equal(core.AWS_SPAN_KIND_ATTRIBUTE, 'aws.span.kind');
    assert.equal(core.LOCAL_ROOT_SPAN_KIND, 'LOCAL_ROOT');
    assert.equal(core.AWS_LOCAL_SERVICE_ATTRIBUTE, 'aws.local.service');
    assert.equal(core.AWS_LOCAL_OPERATION_ATTRIBUTE, 'aws.local.operation');
    assert.equal(core.AWS_REMOTE_SERVICE_ATTRIBUTE, 'aws.remote.service');
    assert.equal(core.AWS_REMOTE_OPERATION_ATTRIBUTE, 'aws.remote.operation');
    assert.equal(core.AWS_REMOTE_RESOURCE_TYPE_ATTRIBUTE, 'aws.remote.resource.type');
    assert.equal(core.AWS_REMOTE_RESOURCE_IDENTIFIER_ATTRIBUTE, 'aws.remote.resource.identifier');
    assert.equal(core.DAEMON_ADDRESS_ENV, 'AWS_XRAY_DAEMON_ADDRESS');
    assert.equal(core.LAMBDA_TRACE_HEADER_ENV, '_X_AMZN_TRACE_ID');
    assert.equal(core.INDEXED_ATTRIBUTES_ENV, 'OTEL_AWS_XRAY_INDEXED_ATTRIBUTES');
    assert.equal(core.INDEX_ALL_ATTRIBUTES_ENV, 'OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES');
  });

  it('exports the functions and classes other packages build on', () => {
    for (const name of [
      'parseDaemonAddress',
      'resolveDaemonAddress',
      'samplingEndpoint',
      'formatEndpoint',
      'RateLimitedLog',
      'toXRayTraceId',
      'fromXRayTraceId',
      'rootOnlyParentSpanId',
      'isRootOnlyParent',
      'resolveOtlpProtocol',
      'isObject',
      'increment',
      'errorCode',
      'UdpDaemonClient',
      'UdpDaemonSpanExporter',
    ] as const) {
      assert.equal(typeof core[name], 'function', name);
    }
    assert.deepEqual(core.ExportResultCode, { SUCCESS: 0, FAILED: 1 });
  });
});
