import * as assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  COMMAND_LINE_ATTRIBUTES,
  applicableAwsDetectors,
  createResourceDetectors,
  getResourceDetectorNames,
  loadContainerDetector,
  looksLikeEc2,
  withoutCommandLine,
} from '../src/detectors';
import type { ResourceDetector } from '../src/otel';
import { captureDiag } from './diag-capture';

const yes = (): boolean => true;
const no = (): boolean => false;

function files(contents: Record<string, string>): (path: string) => string {
  return (path) => {
    if (path in contents) return contents[path];
    throw new Error('ENOENT ' + path);
  };
}

describe('register resource detectors', () => {
  describe('default (OTEL_NODE_RESOURCE_DETECTORS unset)', () => {
    it('env, process, beanstalk; ec2 only where the machine says it is EC2; no host (fake aws.ec2)', () => {
      assert.deepEqual(getResourceDetectorNames({}, undefined, no), ['env', 'process', 'beanstalk']);
      assert.deepEqual(getResourceDetectorNames({}, undefined, yes), ['env', 'process', 'ec2', 'beanstalk']);
    });

    it('Lambda: env, process, lambda only (no network probe)', () => {
      const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'f' };
      assert.deepEqual(getResourceDetectorNames(lambda, undefined, yes), ['env', 'process', 'lambda']);
      assert.deepEqual(applicableAwsDetectors(lambda, yes), ['lambda']);
    });

    it('ECS and EKS: their detector, and no EC2 probe from a container', () => {
      assert.deepEqual(applicableAwsDetectors({ ECS_CONTAINER_METADATA_URI_V4: 'http://x' }, yes), [
        'ecs',
        'beanstalk',
      ]);
      assert.deepEqual(applicableAwsDetectors({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, yes), [
        'eks',
        'beanstalk',
      ]);
    });
  });

  it('looksLikeEc2 reads the DMI vendor, the asset tag or the Xen UUID; false when none is there', () => {
    assert.equal(looksLikeEc2(files({ '/sys/devices/virtual/dmi/id/sys_vendor': 'Amazon EC2\n' })), true);
    assert.equal(looksLikeEc2(files({ '/sys/devices/virtual/dmi/id/board_asset_tag': 'i-0abc123\n' })), true);
    assert.equal(
      looksLikeEc2(files({ '/sys/hypervisor/uuid': 'EC2e1916-9099-7caf-fd21-012345abcdef\n' })),
      true,
    );
    assert.equal(looksLikeEc2(files({ '/sys/devices/virtual/dmi/id/sys_vendor': 'QEMU\n' })), false);
    assert.equal(looksLikeEc2(files({})), false);
    assert.equal(typeof looksLikeEc2(), 'boolean');
  });

  it('explicit names: list, aws, all, none; unknown ones reported', () => {
    assert.deepEqual(getResourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'env,ECS' }), ['env', 'ecs']);
    assert.deepEqual(getResourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'env' }, ['host']), ['host']);
    assert.deepEqual(getResourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'aws,ec2' }), [
      'ec2',
      'ecs',
      'eks',
      'beanstalk',
      'lambda',
    ]);
    assert.deepEqual(getResourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'all' }), [
      'env',
      'host',
      'os',
      'process',
      'serviceinstance',
      'container',
      'ec2',
      'ecs',
      'eks',
      'beanstalk',
      'lambda',
    ]);
    assert.deepEqual(getResourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'env,none' }), []);
    const { result, messages } = captureDiag(() =>
      getResourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'gcp,env' }),
    );
    assert.deepEqual(result, ['env']);
    assert.match(
      messages[0],
      /^warn: @xray-otel\/register: OTEL_NODE_RESOURCE_DETECTORS: "gcp" unknown .*; using env\.$/,
    );
    // None left: the default (which keeps `env`, and so OTEL_SERVICE_NAME), said.
    const only = captureDiag(() =>
      getResourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'gcp' }, undefined, no),
    );
    assert.deepEqual(only.result, ['env', 'process', 'beanstalk']);
    assert.match(only.messages[0], /using env,process,beanstalk \(the default\)\.$/);
  });

  it('creates the detector objects for every known name', () => {
    const all = getResourceDetectorNames({ OTEL_NODE_RESOURCE_DETECTORS: 'all' });
    const detectors = createResourceDetectors(all);
    assert.equal(detectors.length, all.length);
    for (const detector of detectors) assert.equal(typeof detector.detect, 'function');
  });

  it('uses the modules given, and skips a detector that is not available', () => {
    const mark = (name: string): ResourceDetector =>
      ({ detect: () => ({ attributes: { name } }) }) as ResourceDetector;
    const detectors = createResourceDetectors(['ecs', 'container', 'lambda'], {
      aws: { awsEcsDetector: mark('ecs') },
      container: () => undefined,
    });
    assert.equal(detectors.length, 1);
  });

  it('the container detector: found (workspace), or reported when nowhere to be found', () => {
    assert.equal(typeof loadContainerDetector()?.detect, 'function');
  });

  describe('process detector: no command line', () => {
    it('the resource of an exported span has the process but not its arguments (real NodeSDK)', async () => {
      const exporter = new InMemorySpanExporter();
      const processor = new SimpleSpanProcessor(exporter);
      // The default names (no AWS detector applies here), as register builds them.
      const names = getResourceDetectorNames({}, undefined, no);
      assert.ok(names.includes('process'));
      const sdk = new NodeSDK({
        resourceDetectors: createResourceDetectors(names),
        spanProcessors: [processor],
        instrumentations: [],
        metricReaders: [],
        logRecordProcessors: [],
      });
      sdk.start();
      try {
        trace.getTracer('t').startSpan('with-resource').end();
        // The simple processor exports once the resource's (async) attributes have settled.
        await processor.forceFlush();
        const [span] = exporter.getFinishedSpans();
        await span.resource.waitForAsyncAttributes?.();
        const attributes = span.resource.attributes;
        assert.equal(attributes['process.pid'], process.pid);
        assert.equal(attributes['process.runtime.name'], 'nodejs');
        assert.equal(attributes['process.runtime.version'], process.versions.node);
        assert.equal(attributes['process.executable.path'], process.execPath);
        for (const key of COMMAND_LINE_ATTRIBUTES) assert.equal(key in attributes, false, key);
      } finally {
        await sdk.shutdown();
        trace.disable();
      }
    });

    it('an explicit `process` is the same detector; other detectors are untouched', () => {
      const [detector] = createResourceDetectors(['process']);
      const detected = detector.detect();
      assert.equal(detected.attributes?.['process.pid'], process.pid);
      assert.equal('process.command_args' in (detected.attributes ?? {}), false);
      const upstream = {
        detect: () => ({
          attributes: { 'process.command_line': 'node app.js --db-password=x', 'process.pid': 1 },
          schemaUrl: 's',
        }),
      } as unknown as ResourceDetector;
      assert.deepEqual(withoutCommandLine(upstream).detect(), {
        attributes: { 'process.pid': 1 },
        schemaUrl: 's',
      });
      const empty = { detect: () => ({}) } as unknown as ResourceDetector;
      assert.deepEqual(withoutCommandLine(empty).detect(), {});
    });
  });
});
