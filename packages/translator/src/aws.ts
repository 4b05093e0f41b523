/**
 * The `aws` block (translator-spec.md §9): resource-derived platform metadata (ec2, ecs, eks,
 * elastic_beanstalk, xray, cloudwatch_logs) plus the AWS call described by span attributes.
 *
 * Deviation (option `awsSdkConventions`, default on): the collector reads the call only from X-Ray's
 * own keys (`aws.region`, `aws.request_id`, `aws.queue_url`, …), which no OpenTelemetry JS
 * instrumentation writes. `@opentelemetry/instrumentation-aws-sdk` (0.78) writes the region of the
 * client as `cloud.region`, the request id as `aws.request.id`, and for every SQS command that
 * takes a queue the queue URL as `url.full`; ADOT writes `aws.sqs.queue.url`. On AWS SDK spans
 * (`rpc.system` `aws-api`) these are read where the collector's keys are absent (see
 * {@link awsKeysOf}) and consumed when used; other spans pay nothing for it.
 */
import {
  AWS_ACCOUNT_ID,
  AWS_DYNAMODB_TABLE_NAMES,
  AWS_ECS_CLUSTER_ARN,
  AWS_ECS_CONTAINER_ARN,
  AWS_ECS_LAUNCH_TYPE,
  AWS_ECS_TASK_ARN,
  AWS_ECS_TASK_FAMILY,
  AWS_LOG_GROUP_ARNS,
  AWS_LOG_GROUP_NAMES,
  AWS_OPERATION,
  AWS_QUEUE_URL,
  AWS_QUEUE_URL_2,
  AWS_REGION,
  AWS_REQUEST_ID,
  AWS_REQUEST_ID_2,
  AWS_REQUEST_ID_SEMCONV,
  AWS_SQS_QUEUE_URL,
  AWS_TABLE_NAME,
  AWS_TABLE_NAME_2,
  CLOUD_ACCOUNT_ID,
  CLOUD_AVAILABILITY_ZONE,
  CLOUD_PLATFORM,
  CLOUD_PROVIDER,
  CLOUD_PROVIDER_AWS,
  CLOUD_REGION,
  CONTAINER_ID,
  CONTAINER_NAME,
  HOST_ID,
  HOST_IMAGE_ID,
  HOST_TYPE,
  K8S_CLUSTER_NAME,
  K8S_POD_NAME,
  MESSAGING_URL,
  PLATFORM_EC2,
  PLATFORM_ECS,
  PLATFORM_EKS,
  PLATFORM_ELASTIC_BEANSTALK,
  RPC_METHOD,
  RPC_SERVICE,
  RPC_SERVICE_SQS,
  SERVICE_INSTANCE_ID,
  SERVICE_NAMESPACE,
  SERVICE_VERSION,
  TELEMETRY_AUTO_VERSION,
  TELEMETRY_DISTRO_VERSION,
  TELEMETRY_SDK_LANGUAGE,
  TELEMETRY_SDK_NAME,
  TELEMETRY_SDK_VERSION,
  URL_FULL,
} from './constants';
import type {
  Aws,
  Ec2Metadata,
  EcsMetadata,
  EksMetadata,
  ElasticBeanstalkMetadata,
  LogGroupMetadata,
  XRayMetadata,
} from './document';
import type { AttributesLike } from './types';
import { atoi, has, str } from './values';

/** Resource `cloud.provider` set to something other than `aws` ⇒ no aws block, no origin (§9, §11.2). */
export function isNonAwsProvider(resourceAttributes: AttributesLike): boolean {
  const provider = str(resourceAttributes[CLOUD_PROVIDER]);
  return provider !== '' && provider !== CLOUD_PROVIDER_AWS;
}

/**
 * Which keys of the AWS SDK instrumentations the block reads besides the collector's: none (any
 * span but an AWS SDK call, or option `awsSdkConventions: false`); `cloud.region`,
 * `aws.request.id` and `aws.sqs.queue.url` (an AWS SDK call); and `url.full` as the queue URL (an
 * AWS SDK call to SQS, whose `url.full` is the queue URL, not the URL of an HTTP request).
 */
export const AWS_KEYS_COLLECTOR = 0;
export const AWS_KEYS_SDK_CALL = 1;
export const AWS_KEYS_SQS_CALL = 2;

/** The level of {@link AWS_KEYS_COLLECTOR}… for a span: decided once, shared with the http block. */
export function awsKeysOf(attributes: AttributesLike, isAwsSdkSpan: boolean, enabled: boolean): number {
  if (!enabled || !isAwsSdkSpan) return AWS_KEYS_COLLECTOR;
  return attributes[RPC_SERVICE] === RPC_SERVICE_SQS ? AWS_KEYS_SQS_CALL : AWS_KEYS_SDK_CALL;
}

/** Assigns `value` to `target[key]` only when non-empty: X-Ray's schema wants strings, not nulls. */
function setString<T extends object>(target: T, key: keyof T, value: string): void {
  if (value !== '') (target as Record<keyof T, unknown>)[key] = value;
}

export function makeAws(
  attributes: AttributesLike,
  resourceAttributes: AttributesLike,
  logGroupNames: readonly string[] | undefined,
  consumed: Set<string>,
  keys: number,
): Aws | undefined {
  // Span attributes the block consumes, whatever the provider.
  let operation = '';
  let hasOperation = false;
  let account = str(resourceAttributes[CLOUD_ACCOUNT_ID]);
  let region = '';
  let hasRegion = false;
  let requestId = '';
  let hasRequestId = false;
  let queueUrl = '';
  let hasQueueUrl = false;
  let tableName = '';
  let tableNames: string[] | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    switch (key) {
      case AWS_OPERATION:
        operation = str(value);
        hasOperation = true;
        break;
      case RPC_METHOD:
        if (!hasOperation && !has(attributes, AWS_OPERATION)) operation = str(value);
        break;
      case AWS_ACCOUNT_ID:
        if (value != null) account = str(value);
        break;
      case AWS_REGION:
        region = str(value);
        hasRegion = true;
        break;
      case AWS_REQUEST_ID:
      case AWS_REQUEST_ID_2:
        requestId = str(value);
        hasRequestId = true;
        break;
      case AWS_QUEUE_URL:
      case AWS_QUEUE_URL_2:
        queueUrl = str(value);
        hasQueueUrl = true;
        break;
      case AWS_TABLE_NAME:
      case AWS_TABLE_NAME_2:
        tableName = str(value);
        break;
      default:
        continue;
    }
    consumed.add(key);
  }
  // The AWS SDK instrumentations' keys, where the collector's are absent.
  if (keys !== AWS_KEYS_COLLECTOR) {
    if (!hasRequestId && has(attributes, AWS_REQUEST_ID_SEMCONV)) {
      requestId = str(attributes[AWS_REQUEST_ID_SEMCONV]);
      consumed.add(AWS_REQUEST_ID_SEMCONV);
    }
    if (!hasQueueUrl && !has(attributes, MESSAGING_URL)) {
      const queueKey = has(attributes, AWS_SQS_QUEUE_URL)
        ? AWS_SQS_QUEUE_URL
        : keys === AWS_KEYS_SQS_CALL && has(attributes, URL_FULL)
          ? URL_FULL
          : undefined;
      if (queueKey !== undefined) {
        queueUrl = str(attributes[queueKey]);
        consumed.add(queueKey);
      }
    }
    if (!hasRegion && has(attributes, CLOUD_REGION)) {
      region = str(attributes[CLOUD_REGION]);
      consumed.add(CLOUD_REGION);
    }
  }
  if (isNonAwsProvider(resourceAttributes)) return undefined;

  // Semantic-convention attributes win for SQS and DynamoDB (read, not consumed).
  if (has(attributes, MESSAGING_URL)) queueUrl = str(attributes[MESSAGING_URL]);
  const dynamoTables = attributes[AWS_DYNAMODB_TABLE_NAMES];
  if (Array.isArray(dynamoTables)) {
    if (dynamoTables.length === 1) {
      tableName = str(dynamoTables[0]);
    } else if (dynamoTables.length > 1) {
      tableName = '';
      tableNames = dynamoTables.map(str);
    }
  } else if (typeof dynamoTables === 'string') {
    tableName = dynamoTables;
  }

  const aws: Aws = {};
  const platform = str(resourceAttributes[CLOUD_PLATFORM]);

  if (platform === PLATFORM_ELASTIC_BEANSTALK && str(resourceAttributes[SERVICE_INSTANCE_ID]) !== '') {
    const beanstalk = {} as ElasticBeanstalkMetadata;
    setString(beanstalk, 'environment_name', str(resourceAttributes[SERVICE_NAMESPACE]));
    setString(beanstalk, 'version_label', str(resourceAttributes[SERVICE_VERSION]));
    beanstalk.deployment_id = atoi(str(resourceAttributes[SERVICE_INSTANCE_ID]));
    aws.elastic_beanstalk = beanstalk;
  }
  const logGroups = cloudwatchLogs(resourceAttributes, logGroupNames);
  if (logGroups !== undefined) aws.cloudwatch_logs = logGroups;
  if (platform === PLATFORM_ECS) {
    const ecs: EcsMetadata = {};
    setString(ecs, 'container', str(resourceAttributes[CONTAINER_NAME]));
    setString(ecs, 'container_id', str(resourceAttributes[CONTAINER_ID]));
    setString(ecs, 'task_arn', str(resourceAttributes[AWS_ECS_TASK_ARN]));
    setString(ecs, 'task_family', str(resourceAttributes[AWS_ECS_TASK_FAMILY]));
    setString(ecs, 'cluster_arn', str(resourceAttributes[AWS_ECS_CLUSTER_ARN]));
    setString(ecs, 'container_arn', str(resourceAttributes[AWS_ECS_CONTAINER_ARN]));
    setString(ecs, 'availability_zone', str(resourceAttributes[CLOUD_AVAILABILITY_ZONE]));
    setString(ecs, 'launch_type', str(resourceAttributes[AWS_ECS_LAUNCH_TYPE]));
    aws.ecs = ecs;
  }
  const hostId = str(resourceAttributes[HOST_ID]);
  if (platform === PLATFORM_EC2 || hostId !== '') {
    const ec2: Ec2Metadata = {};
    setString(ec2, 'instance_id', hostId);
    setString(ec2, 'availability_zone', str(resourceAttributes[CLOUD_AVAILABILITY_ZONE]));
    setString(ec2, 'instance_size', str(resourceAttributes[HOST_TYPE]));
    setString(ec2, 'ami_id', str(resourceAttributes[HOST_IMAGE_ID]));
    aws.ec2 = ec2;
  }
  const clusterName = str(resourceAttributes[K8S_CLUSTER_NAME]);
  if (platform === PLATFORM_EKS || clusterName !== '') {
    const eks: EksMetadata = {};
    setString(eks, 'cluster_name', clusterName);
    setString(eks, 'pod', str(resourceAttributes[K8S_POD_NAME]));
    setString(eks, 'container_id', str(resourceAttributes[CONTAINER_ID]));
    aws.eks = eks;
  }
  aws.xray = xrayMetadata(resourceAttributes);
  setString(aws, 'account_id', account);
  setString(aws, 'operation', operation);
  setString(aws, 'region', region);
  setString(aws, 'request_id', requestId);
  setString(aws, 'queue_url', queueUrl);
  setString(aws, 'table_name', tableName);
  if (tableNames !== undefined) aws.table_names = tableNames;
  return aws;
}

/** `xray`: which OpenTelemetry SDK produced the span. `auto_instrumentation` is always emitted. */
function xrayMetadata(resourceAttributes: AttributesLike): XRayMetadata {
  let sdk = str(resourceAttributes[TELEMETRY_SDK_NAME]);
  const language = str(resourceAttributes[TELEMETRY_SDK_LANGUAGE]);
  if (sdk !== '' && language !== '') sdk += ' for ' + language;
  const xray = {} as XRayMetadata;
  setString(xray, 'sdk', sdk);
  setString(xray, 'sdk_version', str(resourceAttributes[TELEMETRY_SDK_VERSION]));
  xray.auto_instrumentation =
    str(resourceAttributes[TELEMETRY_AUTO_VERSION]) !== '' ||
    str(resourceAttributes[TELEMETRY_DISTRO_VERSION]) !== '';
  return xray;
}

/** A log-group attribute: an array as is, a string split on `&` (empty pieces dropped), else none. */
function normalizeLogGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(str);
  if (typeof value !== 'string') return [];
  const groups: string[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value.charCodeAt(i) === 38 /* & */) {
      if (i > start) groups.push(value.slice(start, i));
      start = i + 1;
    }
  }
  return groups;
}

/** §9 cloudwatch_logs: resource ARNs, else resource names, else the configured names. */
function cloudwatchLogs(
  resourceAttributes: AttributesLike,
  logGroupNames: readonly string[] | undefined,
): LogGroupMetadata[] | undefined {
  const arns = normalizeLogGroups(resourceAttributes[AWS_LOG_GROUP_ARNS]);
  if (arns.length > 0) {
    return arns.map((arn) => {
      const fields = arn.split(':');
      return { log_group: fields.length > 6 ? fields[6] : arn, arn };
    });
  }
  const names = normalizeLogGroups(resourceAttributes[AWS_LOG_GROUP_NAMES]);
  if (names.length > 0) return names.map((name) => ({ log_group: name }));
  if (Array.isArray(logGroupNames) && logGroupNames.length > 0) {
    return logGroupNames.map((name) => ({ log_group: str(name) }));
  }
  return undefined;
}
