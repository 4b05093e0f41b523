// OTEL_NODE_RESOURCE_DETECTORS → resource detectors, with the AWS ones from
// @opentelemetry/resource-detector-aws. The default takes only detectors that apply where we run,
// decided from environment variables and local files, so that no network probe is made for nothing:
// the EC2 detector calls the instance metadata service with a 5 s timeout that keeps the process
// alive, so it is on by default only where the machine says it is an EC2 instance.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getList, isEcs, isKubernetes, isLambda, normalizeNames } from './env';
import type { Env } from './env';
import { warn } from './log';
import { loadResources, requireFromSdkNode } from './otel';
import type { ResourceDetector } from './otel';

export const AWS_DETECTORS = ['ec2', 'ecs', 'eks', 'beanstalk', 'lambda'];
export const OTEL_DETECTORS = ['env', 'host', 'os', 'process', 'serviceinstance', 'container'];
export const KNOWN_DETECTORS = [...OTEL_DETECTORS, ...AWS_DETECTORS, 'aws', 'all', 'none'];

export type ReadTextFile = (path: string) => string;

const readTextFile: ReadTextFile = (path) => readFileSync(path, 'utf8');

/**
 * True when the machine identifies itself as EC2 without a network call: the DMI vendor (Nitro
 * and recent Xen instances) or the Xen hypervisor UUID (older instances) as AWS documents for
 * "Identify EC2 Linux instances".
 */
export function looksLikeEc2(read: ReadTextFile = readTextFile): boolean {
  const checks: [string, (text: string) => boolean][] = [
    ['/sys/devices/virtual/dmi/id/sys_vendor', (text) => text.trim() === 'Amazon EC2'],
    ['/sys/devices/virtual/dmi/id/board_asset_tag', (text) => /^i-[0-9a-f]+$/.test(text.trim())],
    ['/sys/hypervisor/uuid', (text) => text.trim().toLowerCase().startsWith('ec2')],
  ];
  for (const [path, matches] of checks) {
    try {
      if (matches(read(path))) return true;
    } catch {
      // Not there (not Linux, not that generation): try the next one.
    }
  }
  return false;
}

/** The AWS detectors that apply here (see the file comment). */
export function applicableAwsDetectors(env: Env, ec2 = (): boolean => looksLikeEc2()): string[] {
  if (isLambda(env)) return ['lambda'];
  const names: string[] = [];
  if (isEcs(env)) names.push('ecs');
  if (isKubernetes(env)) names.push('eks');
  // On ECS or EKS the metadata service is often out of reach of containers (hop limit 1): no probe.
  else if (!isEcs(env) && ec2()) names.push('ec2');
  names.push('beanstalk'); // reads a local file only
  return names;
}

/**
 * The detector names to use: `names` if given, else OTEL_NODE_RESOURCE_DETECTORS, else the default
 * (env, process and the AWS detectors that apply; in Lambda only env, process, lambda). `host` is
 * not in the default: it sets `host.id` to the machine id, and the X-Ray translation (like the
 * collector's) turns any `host.id` into an `aws.ec2` block, so every container would show up as a
 * made-up EC2 instance. On EC2 the `ec2` detector sets the real `host.id`.
 * `all` = every known detector, `aws` = the five AWS detectors, `none` = nothing.
 */
export function getResourceDetectorNames(
  env: Env,
  names?: readonly string[],
  ec2 = (): boolean => looksLikeEc2(),
): string[] {
  const requested = names ?? getList(env, 'OTEL_NODE_RESOURCE_DETECTORS');
  const defaults = (): string[] =>
    isLambda(env) ? ['env', 'process', 'lambda'] : ['env', 'process', ...applicableAwsDetectors(env, ec2)];
  if (requested === undefined) return defaults();
  const list = normalizeNames(requested);
  if (list.includes('none')) return [];
  if (list.includes('all')) return [...OTEL_DETECTORS, ...AWS_DETECTORS];
  const result: string[] = [];
  const unknown: string[] = [];
  for (const name of list) {
    if (name === 'aws') result.push(...AWS_DETECTORS);
    else if (OTEL_DETECTORS.includes(name) || AWS_DETECTORS.includes(name)) result.push(name);
    else unknown.push(name);
  }
  if (unknown.length === 0) return [...new Set(result)];
  // None left would also lose the `env` detector, and so OTEL_SERVICE_NAME: use the default then.
  const using = result.length > 0 ? [...new Set(result)] : defaults();
  warn(
    `OTEL_NODE_RESOURCE_DETECTORS: ${unknown.map((name) => JSON.stringify(name)).join(', ')} unknown ` +
      `(known: ${KNOWN_DETECTORS.join(', ')}); using ${using.join(',')}` +
      `${result.length > 0 ? '' : ' (the default)'}.`,
  );
  return using;
}

type AwsDetectorsModule = Record<string, ResourceDetector | undefined>;

/**
 * What the `process` detector must not send: the command line. Arguments carry secrets
 * (`--db-password=…`, tokens in URLs) and would go to X-Ray with every segment (as resource
 * metadata). `process.command_args` is what OTel JS sets today; `process.command_line` is the
 * semantic conventions' other spelling, dropped too in case a detector sets it.
 */
export const COMMAND_LINE_ATTRIBUTES: readonly string[] = ['process.command_args', 'process.command_line'];

type DetectedResourceLike = { attributes?: Record<string, unknown> } & Record<string, unknown>;

function withoutKeys(detected: unknown, keys: readonly string[]): unknown {
  const resource = detected as DetectedResourceLike | null | undefined;
  if (resource === null || typeof resource !== 'object' || resource.attributes === undefined) return detected;
  const attributes = { ...resource.attributes };
  for (const key of keys) delete attributes[key];
  return { ...resource, attributes };
}

/**
 * `detector` without the command line attributes (see {@link COMMAND_LINE_ATTRIBUTES}): the PID,
 * executable, runtime and owner stay.
 */
export function withoutCommandLine(detector: ResourceDetector): ResourceDetector {
  return {
    // 2.x and 3.x detectors answer synchronously (attribute values may be promises: kept as they are).
    detect: (config) =>
      withoutKeys(detector.detect(config), COMMAND_LINE_ATTRIBUTES) as ReturnType<ResourceDetector['detect']>,
  };
}

const AWS_DETECTOR_EXPORTS: Record<string, string> = {
  ec2: 'awsEc2Detector',
  ecs: 'awsEcsDetector',
  eks: 'awsEksDetector',
  beanstalk: 'awsBeanstalkDetector',
  lambda: 'awsLambdaDetector',
};

export type LoadModule = (id: string) => unknown;

/** Loads the container detector through auto-instrumentations-node (it depends on it). */
export function loadContainerDetector(load: LoadModule = requireFromSdkNode): ResourceDetector | undefined {
  const loaders: (() => unknown)[] = [
    () =>
      createRequire(require.resolve('@opentelemetry/auto-instrumentations-node'))(
        '@opentelemetry/resource-detector-container',
      ) as unknown,
    () => load('@opentelemetry/resource-detector-container'),
  ];
  for (const loader of loaders) {
    try {
      const detector = (loader() as { containerDetector?: ResourceDetector }).containerDetector;
      if (detector) return detector;
    } catch {
      // Try the next place.
    }
  }
  warn('Resource detector "container" needs @opentelemetry/resource-detector-container; skipped.');
  return undefined;
}

/** The detector objects for `names` (resolved names, see getResourceDetectorNames). */
export function createResourceDetectors(
  names: readonly string[],
  modules: {
    resources?: ReturnType<typeof loadResources>;
    aws?: AwsDetectorsModule;
    container?: () => ResourceDetector | undefined;
  } = {},
): ResourceDetector[] {
  const detectors: ResourceDetector[] = [];
  let aws = modules.aws;
  let resources = modules.resources;
  for (const name of names) {
    let detector: ResourceDetector | undefined;
    if (AWS_DETECTORS.includes(name)) {
      // Loaded on first use: a peer dependency, needed only when an AWS detector is asked for.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      aws ??= require('@opentelemetry/resource-detector-aws') as AwsDetectorsModule;
      detector = aws[AWS_DETECTOR_EXPORTS[name]];
    } else if (name === 'container') {
      detector = (modules.container ?? loadContainerDetector)();
    } else {
      resources ??= loadResources();
      const exportName = name === 'serviceinstance' ? 'serviceInstanceIdDetector' : `${name}Detector`;
      detector = (resources as unknown as Record<string, ResourceDetector | undefined>)[exportName];
      if (detector && name === 'process') detector = withoutCommandLine(detector);
    }
    if (detector) detectors.push(detector);
  }
  return detectors;
}
