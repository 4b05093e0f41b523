import * as assert from 'node:assert/strict';
import {
  applicableAwsDetectors,
  createResourceDetectors,
  getResourceDetectorNames,
  loadContainerDetector,
  looksLikeEc2,
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
    assert.match(messages[0], /Resource detector "gcp" .* is unknown/);
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
});
