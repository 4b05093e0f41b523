/**
 * Attribute keys and values, named once. The `aws.*` keys this package writes are the ones the
 * collector's `awsxray` exporter and our translator read (translator-spec.md §2.2, §3) and ADOT's
 * Application Signals processors write; the others are OpenTelemetry semantic-convention keys the
 * rules read (old and stable names both, as the upstream instrumentations use either).
 */

import {
  AWS_LOCAL_OPERATION_ATTRIBUTE,
  AWS_LOCAL_SERVICE_ATTRIBUTE,
  AWS_REMOTE_OPERATION_ATTRIBUTE,
  AWS_REMOTE_RESOURCE_IDENTIFIER_ATTRIBUTE,
  AWS_REMOTE_RESOURCE_TYPE_ATTRIBUTE,
  AWS_REMOTE_SERVICE_ATTRIBUTE,
  AWS_SPAN_KIND_ATTRIBUTE,
  LOCAL_ROOT_SPAN_KIND,
} from '@xray-otel/core';

// Written by the processor (named once, in @xray-otel/core: the translator reads them).
export const AWS_SPAN_KIND = AWS_SPAN_KIND_ATTRIBUTE;
export const AWS_LOCAL_SERVICE = AWS_LOCAL_SERVICE_ATTRIBUTE;
export const AWS_LOCAL_OPERATION = AWS_LOCAL_OPERATION_ATTRIBUTE;
export const AWS_REMOTE_SERVICE = AWS_REMOTE_SERVICE_ATTRIBUTE;
export const AWS_REMOTE_OPERATION = AWS_REMOTE_OPERATION_ATTRIBUTE;
export const AWS_REMOTE_RESOURCE_TYPE = AWS_REMOTE_RESOURCE_TYPE_ATTRIBUTE;
export const AWS_REMOTE_RESOURCE_IDENTIFIER = AWS_REMOTE_RESOURCE_IDENTIFIER_ATTRIBUTE;

// Values of `aws.span.kind`: LOCAL_ROOT, else the OpenTelemetry span kind's name.
export const LOCAL_ROOT = LOCAL_ROOT_SPAN_KIND;
export const SPAN_KIND_NAMES: readonly string[] = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

// ADOT's placeholders (AwsSpanProcessingUtil).
export const UNKNOWN_SERVICE = 'UnknownService';
export const UNKNOWN_OPERATION = 'UnknownOperation';
export const INTERNAL_OPERATION = 'InternalOperation';

// OpenTelemetry span kinds (numeric, as in @opentelemetry/api).
export const KIND_INTERNAL = 0;
export const KIND_SERVER = 1;
export const KIND_CLIENT = 2;
export const KIND_PRODUCER = 3;
export const KIND_CONSUMER = 4;

// Resource.
export const SERVICE_NAME = 'service.name';
/** The SDK's default when no service name is configured: `unknown_service` or `unknown_service:<process>`. */
export const OTEL_UNKNOWN_SERVICE = 'unknown_service';

// HTTP (old and stable semantic conventions).
export const HTTP_METHOD = 'http.method';
export const HTTP_REQUEST_METHOD = 'http.request.method';
export const HTTP_ROUTE = 'http.route';
export const HTTP_TARGET = 'http.target';
export const HTTP_URL = 'http.url';
export const URL_FULL = 'url.full';
export const URL_PATH = 'url.path';
export const NET_PEER_NAME = 'net.peer.name';
export const NET_PEER_PORT = 'net.peer.port';
export const NET_SOCK_PEER_ADDR = 'net.sock.peer.addr';
export const NET_SOCK_PEER_PORT = 'net.sock.peer.port';
export const SERVER_ADDRESS = 'server.address';
export const SERVER_PORT = 'server.port';
export const SERVER_SOCKET_ADDRESS = 'server.socket.address';
export const SERVER_SOCKET_PORT = 'server.socket.port';
export const PEER_SERVICE = 'peer.service';

// RPC and the AWS SDK instrumentation (@opentelemetry/instrumentation-aws-sdk).
export const RPC_SYSTEM = 'rpc.system';
export const RPC_SERVICE = 'rpc.service';
export const RPC_METHOD = 'rpc.method';
export const AWS_API = 'aws-api';

// Databases (old, then stable names).
export const DB_SYSTEM = 'db.system';
export const DB_SYSTEM_NAME = 'db.system.name';
export const DB_OPERATION = 'db.operation';
export const DB_OPERATION_NAME = 'db.operation.name';
export const DB_STATEMENT = 'db.statement';
export const DB_QUERY_TEXT = 'db.query.text';
export const DB_NAME = 'db.name';
export const DB_NAMESPACE = 'db.namespace';
export const DB_CONNECTION_STRING = 'db.connection_string';

// FaaS, messaging, GraphQL.
export const FAAS_INVOKED_NAME = 'faas.invoked_name';
export const FAAS_TRIGGER = 'faas.trigger';
export const MESSAGING_SYSTEM = 'messaging.system';
export const MESSAGING_OPERATION = 'messaging.operation';
export const MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const MESSAGING_PROCESS = 'process';
export const GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
export const GRAPHQL = 'graphql';

// AWS resources: the keys instrumentation-aws-sdk sets, and the ones ADOT's patches add.
export const AWS_DYNAMODB_TABLE_NAMES = 'aws.dynamodb.table_names';
export const AWS_DYNAMODB_TABLE_ARN = 'aws.dynamodb.table.arn';
export const AWS_KINESIS_STREAM_NAME = 'aws.kinesis.stream.name';
export const AWS_KINESIS_STREAM_ARN = 'aws.kinesis.stream.arn';
export const AWS_S3_BUCKET = 'aws.s3.bucket';
export const AWS_SNS_TOPIC_ARN = 'aws.sns.topic.arn';
export const AWS_SECRETSMANAGER_SECRET_ARN = 'aws.secretsmanager.secret.arn';
export const AWS_STEPFUNCTIONS_STATEMACHINE_ARN = 'aws.step_functions.state_machine.arn';
export const AWS_STEPFUNCTIONS_ACTIVITY_ARN = 'aws.step_functions.activity.arn';
export const AWS_LAMBDA_FUNCTION_NAME = 'aws.lambda.function.name';
export const AWS_LAMBDA_RESOURCE_MAPPING_ID = 'aws.lambda.resource_mapping.id';
export const AWS_SQS_QUEUE_NAME = 'aws.sqs.queue.name';
export const AWS_SQS_QUEUE_URL = 'aws.sqs.queue.url';
export const AWS_BEDROCK_AGENT_ID = 'aws.bedrock.agent.id';
export const AWS_BEDROCK_DATA_SOURCE_ID = 'aws.bedrock.data_source.id';
export const AWS_BEDROCK_GUARDRAIL_ID = 'aws.bedrock.guardrail.id';
export const AWS_BEDROCK_KNOWLEDGE_BASE_ID = 'aws.bedrock.knowledge_base.id';
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';

/** `AWS::` + the service: the Cloud Control prefix ADOT uses for remote services and resource types. */
export const AWS_PREFIX = 'AWS::';
export const DB_CONNECTION_RESOURCE_TYPE = 'DB::Connection';

/** Lambda: `AWS_LAMBDA_FUNCTION_NAME` marks the Lambda runtime (ADOT's `isLambdaEnvironment`). */
export const LAMBDA_FUNCTION_NAME_ENV = 'AWS_LAMBDA_FUNCTION_NAME';
export const LAMBDA_HANDLER_OPERATION_SUFFIX = '/FunctionHandler';
