/**
 * Every attribute key, origin, namespace and fixed string the translator uses, named once
 * (translator-spec.md §21). Block files import these instead of retyping literals; the keys other
 * packages write too come from @xray-otel/core.
 */
import {
  AWS_LOCAL_OPERATION_ATTRIBUTE,
  AWS_LOCAL_SERVICE_ATTRIBUTE,
  AWS_REMOTE_OPERATION_ATTRIBUTE,
  AWS_REMOTE_SERVICE_ATTRIBUTE,
  AWS_SPAN_KIND_ATTRIBUTE,
  AWS_XRAY_ANNOTATIONS_ATTRIBUTE,
  AWS_XRAY_METADATA_ATTRIBUTE_PREFIX,
  LOCAL_ROOT_SPAN_KIND,
  OTEL_RESOURCE_ATTRIBUTE_PREFIX,
} from '@xray-otel/core';

// Span kinds (the numeric SpanKind enum of @opentelemetry/api, identical in 1.x/2.x/3.x).
export const KIND_INTERNAL = 0;
export const KIND_SERVER = 1;
export const KIND_CLIENT = 2;
export const KIND_PRODUCER = 3;
export const KIND_CONSUMER = 4;

// Span status codes (SpanStatusCode).
export const STATUS_ERROR = 2;

// Document constants.
export const NAMESPACE_AWS = 'aws';
export const NAMESPACE_REMOTE = 'remote';
export const TYPE_SUBSEGMENT = 'subsegment';
export const DEFAULT_METADATA_NAMESPACE = 'default';
export const RESOURCE_KEY_PREFIX = OTEL_RESOURCE_ATTRIBUTE_PREFIX;
export const METADATA_ATTRIBUTE_PREFIX = AWS_XRAY_METADATA_ATTRIBUTE_PREFIX;

// Trace-ID age limits (§4.2).
export const MAX_TRACE_ID_AGE_SECONDS = 2419200; // 28 days
export const MAX_TRACE_ID_FUTURE_SECONDS = 300;

// X-Ray specific span attributes (§2.2, §3, §13).
export const AWS_XRAY_ANNOTATIONS = AWS_XRAY_ANNOTATIONS_ATTRIBUTE;
export const AWS_SPAN_KIND = AWS_SPAN_KIND_ATTRIBUTE;
export const LOCAL_ROOT = LOCAL_ROOT_SPAN_KIND;
export const AWS_LOCAL_SERVICE = AWS_LOCAL_SERVICE_ATTRIBUTE;
export const AWS_REMOTE_SERVICE = AWS_REMOTE_SERVICE_ATTRIBUTE;
export const AWS_LOCAL_OPERATION = AWS_LOCAL_OPERATION_ATTRIBUTE;
export const AWS_REMOTE_OPERATION = AWS_REMOTE_OPERATION_ATTRIBUTE;
export const REMOTE_TARGET = 'remoteTarget';
export const K8S_REMOTE_NAMESPACE = 'K8s.RemoteNamespace';
export const AWS_SDK_NAME_PREFIX = 'AWS.SDK.';
export const AWS_CFN_NAME_PREFIX = 'AWS::';

// Naming (§3).
export const PEER_SERVICE = 'peer.service';
export const AWS_SERVICE = 'aws.service';
export const RPC_SERVICE = 'rpc.service';
export const RPC_SYSTEM = 'rpc.system';
export const RPC_SYSTEM_AWS_API = 'aws-api';
export const RPC_METHOD = 'rpc.method';

// HTTP and network (§8).
export const HTTP_METHOD = 'http.method';
export const HTTP_REQUEST_METHOD = 'http.request.method';
export const HTTP_CLIENT_IP = 'http.client_ip';
export const HTTP_USER_AGENT = 'http.user_agent';
export const USER_AGENT_ORIGINAL = 'user_agent.original';
export const HTTP_STATUS_CODE = 'http.status_code';
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const HTTP_URL = 'http.url';
export const URL_FULL = 'url.full';
export const HTTP_SCHEME = 'http.scheme';
export const URL_SCHEME = 'url.scheme';
export const HTTP_HOST = 'http.host';
export const HTTP_TARGET = 'http.target';
export const HTTP_SERVER_NAME = 'http.server_name';
export const NET_HOST_PORT = 'net.host.port';
export const HOST_NAME = 'host.name';
export const NET_HOST_NAME = 'net.host.name';
export const NET_PEER_NAME = 'net.peer.name';
export const NET_PEER_PORT = 'net.peer.port';
export const NET_PEER_IP = 'net.peer.ip';
export const NETWORK_PEER_ADDRESS = 'network.peer.address';
export const CLIENT_ADDRESS = 'client.address';
export const URL_PATH = 'url.path';
export const URL_QUERY = 'url.query';
export const SERVER_ADDRESS = 'server.address';
export const SERVER_PORT = 'server.port';
export const HTTP_STATUS_TEXT = 'http.status_text';
export const MESSAGE_TYPE = 'message.type';
export const MESSAGE_TYPE_RECEIVED = 'RECEIVED';
export const MESSAGING_PAYLOAD_SIZE = 'messaging.message_payload_size_bytes';
// Response sizes (our deviation, §8.1 keeps 0): stable, then the old semantic conventions' keys.
export const HTTP_RESPONSE_BODY_SIZE = 'http.response.body.size';
export const HTTP_RESPONSE_CONTENT_LENGTH = 'http.response_content_length';
export const HTTP_RESPONSE_CONTENT_LENGTH_UNCOMPRESSED = 'http.response_content_length_uncompressed';
/** The captured `Content-Length` response header (`headersToSpanAttributes`): a string array. */
export const HTTP_RESPONSE_HEADER_CONTENT_LENGTH = 'http.response.header.content-length';

// aws block (§9).
export const AWS_OPERATION = 'aws.operation';
export const AWS_ACCOUNT_ID = 'aws.account_id';
export const AWS_REGION = 'aws.region';
export const AWS_REQUEST_ID = 'aws.request_id';
export const AWS_REQUEST_ID_2 = 'aws.requestId';
export const AWS_QUEUE_URL = 'aws.queue_url';
export const AWS_QUEUE_URL_2 = 'aws.queue.url';
export const AWS_TABLE_NAME = 'aws.table_name';
export const AWS_TABLE_NAME_2 = 'aws.table.name';
export const MESSAGING_URL = 'messaging.url';
export const AWS_DYNAMODB_TABLE_NAMES = 'aws.dynamodb.table_names';
// What OpenTelemetry's AWS SDK instrumentations write instead (our deviation, option
// awsSdkConventions): the region of the call, the request id, the SQS queue URL (ADOT), and the
// service id that tells an SQS call, whose `url.full` is the queue URL.
export const CLOUD_REGION = 'cloud.region';
export const AWS_REQUEST_ID_SEMCONV = 'aws.request.id';
export const AWS_SQS_QUEUE_URL = 'aws.sqs.queue.url';
export const RPC_SERVICE_SQS = 'SQS';

// Resource attributes (§9, §11).
export const CLOUD_PROVIDER = 'cloud.provider';
export const CLOUD_PROVIDER_AWS = 'aws';
export const CLOUD_PLATFORM = 'cloud.platform';
export const CLOUD_ACCOUNT_ID = 'cloud.account.id';
export const CLOUD_AVAILABILITY_ZONE = 'cloud.availability_zone';
export const HOST_ID = 'host.id';
export const HOST_TYPE = 'host.type';
export const HOST_IMAGE_ID = 'host.image.id';
export const CONTAINER_NAME = 'container.name';
export const CONTAINER_ID = 'container.id';
export const CONTAINER_IMAGE_TAG = 'container.image.tag';
export const K8S_POD_NAME = 'k8s.pod.name';
export const K8S_CLUSTER_NAME = 'k8s.cluster.name';
export const SERVICE_NAME = 'service.name';
export const SERVICE_NAMESPACE = 'service.namespace';
export const SERVICE_INSTANCE_ID = 'service.instance.id';
export const SERVICE_VERSION = 'service.version';
export const TELEMETRY_SDK_NAME = 'telemetry.sdk.name';
export const TELEMETRY_SDK_LANGUAGE = 'telemetry.sdk.language';
export const TELEMETRY_SDK_VERSION = 'telemetry.sdk.version';
export const TELEMETRY_AUTO_VERSION = 'telemetry.auto.version';
export const TELEMETRY_DISTRO_VERSION = 'telemetry.distro.version';
export const AWS_ECS_CLUSTER_ARN = 'aws.ecs.cluster.arn';
export const AWS_ECS_CONTAINER_ARN = 'aws.ecs.container.arn';
export const AWS_ECS_TASK_ARN = 'aws.ecs.task.arn';
export const AWS_ECS_TASK_FAMILY = 'aws.ecs.task.family';
export const AWS_ECS_LAUNCH_TYPE = 'aws.ecs.launchtype';
export const AWS_LOG_GROUP_NAMES = 'aws.log.group.names';
export const AWS_LOG_GROUP_ARNS = 'aws.log.group.arns';

// cloud.platform values and origins (§11.2).
export const PLATFORM_EC2 = 'aws_ec2';
export const PLATFORM_ECS = 'aws_ecs';
export const PLATFORM_EKS = 'aws_eks';
export const PLATFORM_ELASTIC_BEANSTALK = 'aws_elastic_beanstalk';
export const PLATFORM_APP_RUNNER = 'aws_app_runner';
export const LAUNCH_TYPE_EC2 = 'ec2';
export const LAUNCH_TYPE_FARGATE = 'fargate';
export const ORIGIN_EC2 = 'AWS::EC2::Instance';
export const ORIGIN_ECS = 'AWS::ECS::Container';
export const ORIGIN_ECS_EC2 = 'AWS::ECS::EC2';
export const ORIGIN_ECS_FARGATE = 'AWS::ECS::Fargate';
export const ORIGIN_ELASTIC_BEANSTALK = 'AWS::ElasticBeanstalk::Environment';
export const ORIGIN_EKS = 'AWS::EKS::Container';
export const ORIGIN_APP_RUNNER = 'AWS::AppRunner::Service';

// SQL (§10).
export const DB_CONNECTION_STRING = 'db.connection_string';
export const DB_SYSTEM = 'db.system';
export const DB_NAME = 'db.name';
export const DB_STATEMENT = 'db.statement';
export const DB_USER = 'db.user';
export const SQL_SYSTEMS: ReadonlySet<string> = new Set([
  'db2',
  'derby',
  'hive',
  'mariadb',
  'mssql',
  'mysql',
  'oracle',
  'postgresql',
  'sqlite',
  'teradata',
  'other_sql',
]);
export const JDBC_PREFIX = 'jdbc:';
export const DEFAULT_SQL_HOST = 'localhost';
// The stable database conventions (collector gate exporter.awsxray.EmitV1DBConventions; our
// default, option stableDbConventions): read when the old key is absent.
export const DB_SYSTEM_NAME = 'db.system.name';
export const DB_NAMESPACE = 'db.namespace';
export const DB_QUERY_TEXT = 'db.query.text';
export const USER_NAME = 'user.name';
/** SQL `db.system.name` values the stable conventions renamed (accepted with the stable keys). */
export const STABLE_SQL_SYSTEMS: ReadonlySet<string> = new Set([
  'ibm.db2',
  'microsoft.sql_server',
  'oracle.db',
]);
/**
 * The scheme of the `sql` block's URL (`postgresql://host:5432/shop`, as the classic SDK writes it)
 * where it is not the system's name: a stable name that is not a URL scheme, or no URL at all.
 */
export const SQL_URL_SCHEMES: ReadonlyMap<string, string> = new Map([
  ['ibm.db2', 'db2'],
  ['microsoft.sql_server', 'mssql'],
  ['oracle.db', 'oracle'],
  ['other_sql', ''],
]);

// User (§11.3).
export const ENDUSER_ID = 'enduser.id';

// Events (§12, §15).
export const EXCEPTION_EVENT = 'exception';
export const EXCEPTION_TYPE = 'exception.type';
export const EXCEPTION_MESSAGE = 'exception.message';
export const EXCEPTION_STACKTRACE = 'exception.stacktrace';
export const AWS_HTTP_FAILURE_EVENT = 'HTTP request failure';
export const AWS_HTTP_ERROR_MESSAGE = 'aws.http.error_message';
export const AWS_HTTP_ERROR_EVENT_TYPE = 'aws.http.error.event';

// Guards against hostile attribute values.
export const MAX_VALUE_DEPTH = 8;
