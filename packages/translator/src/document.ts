/**
 * The X-Ray segment document as this package emits it (translator-spec.md §1). Field names are
 * X-Ray's; fields the exporter never sets (`in_progress`, `subsegments`, `precursor_ids`, …) are
 * left out.
 */

export interface StackFrame {
  path: string;
  line: number;
  label: string;
}

export interface Exception {
  id: string;
  message: string;
  type: string;
  remote?: boolean;
  truncated?: number;
  skipped?: number;
  /** Id of the exception this one was caused by (a chain, outermost first). */
  cause?: string;
  stack?: StackFrame[];
}

export interface Cause {
  working_directory?: string;
  paths?: string[];
  exceptions: Exception[];
}

export interface HttpRequest {
  x_forwarded_for?: boolean;
  method?: string;
  url?: string;
  user_agent?: string;
  client_ip?: string;
}

export interface HttpResponse {
  status?: number;
  content_length: number;
}

export interface Http {
  request: HttpRequest;
  response: HttpResponse;
}

export interface Ec2Metadata {
  instance_id?: string;
  availability_zone?: string;
  instance_size?: string;
  ami_id?: string;
}

export interface EcsMetadata {
  container?: string;
  container_id?: string;
  task_arn?: string;
  task_family?: string;
  cluster_arn?: string;
  container_arn?: string;
  availability_zone?: string;
  launch_type?: string;
}

export interface ElasticBeanstalkMetadata {
  environment_name?: string;
  version_label?: string;
  deployment_id: number;
}

export interface EksMetadata {
  cluster_name?: string;
  pod?: string;
  container_id?: string;
}

export interface LogGroupMetadata {
  log_group: string;
  arn?: string;
}

export interface XRayMetadata {
  sdk?: string;
  sdk_version?: string;
  auto_instrumentation: boolean;
}

export interface Aws {
  elastic_beanstalk?: ElasticBeanstalkMetadata;
  cloudwatch_logs?: LogGroupMetadata[];
  ecs?: EcsMetadata;
  ec2?: Ec2Metadata;
  eks?: EksMetadata;
  xray?: XRayMetadata;
  account_id?: string;
  operation?: string;
  region?: string;
  request_id?: string;
  queue_url?: string;
  table_name?: string;
  table_names?: string[];
}

export interface Sql {
  connection_string?: string;
  url?: string;
  sanitized_query?: string;
  database_type?: string;
  user?: string;
}

export interface ServiceData {
  version: string;
}

export interface SpanLinkData {
  trace_id: string;
  id: string;
  attributes?: Record<string, unknown>;
}

export type AnnotationValue = string | number | boolean;

/** One document: a segment, or (with `type: "subsegment"`, `parent_id`) a standalone subsegment. */
export interface Segment {
  name: string;
  id: string;
  start_time: number;
  service?: ServiceData;
  origin?: string;
  user?: string;
  links?: SpanLinkData[];
  trace_id: string;
  end_time: number;
  http?: Http;
  fault: boolean;
  error: boolean;
  throttle: boolean;
  cause?: Cause;
  aws?: Aws;
  annotations?: Record<string, AnnotationValue>;
  metadata?: Record<string, Record<string, unknown>>;
  namespace?: 'aws' | 'remote';
  parent_id?: string;
  type?: 'subsegment';
  sql?: Sql;
}

/** A document with `type: "subsegment"`: sent on its own, it carries `trace_id` and `parent_id`. */
export interface Subsegment extends Segment {
  type: 'subsegment';
  parent_id: string;
}
