/**
 * `aws.remote.resource.type` / `aws.remote.resource.identifier` of a dependency span, after ADOT's
 * `setRemoteResourceTypeAndIdentifier`: for AWS SDK spans the resource the call is about, in AWS
 * Cloud Control's naming (`AWS::DynamoDB::Table` + table name); for database spans the connection
 * (`DB::Connection` + `[db.name|]host[|port]`). Both or neither are set. `|` and `^` in an identifier
 * are escaped as `^|` and `^^` (ADOT's delimiter rule).
 *
 * Read from the attributes `@opentelemetry/instrumentation-aws-sdk` sets (0.78:
 * `aws.dynamodb.table_names`, `aws.s3.bucket`, `aws.kinesis.stream.name`, `aws.sns.topic.arn`,
 * `aws.secretsmanager.secret.arn`, `aws.step_functions.*.arn`, `messaging.destination.name` on SQS,
 * `faas.invoked_name` on Lambda `Invoke`, `gen_ai.request.model` on Bedrock) and from the keys ADOT's
 * instrumentation patches add (`aws.sqs.queue.url`, `aws.lambda.function.name`, ARNs), when present.
 */
import {
  AWS_BEDROCK_AGENT_ID,
  AWS_BEDROCK_DATA_SOURCE_ID,
  AWS_BEDROCK_GUARDRAIL_ID,
  AWS_BEDROCK_KNOWLEDGE_BASE_ID,
  AWS_DYNAMODB_TABLE_ARN,
  AWS_DYNAMODB_TABLE_NAMES,
  AWS_KINESIS_STREAM_ARN,
  AWS_KINESIS_STREAM_NAME,
  AWS_LAMBDA_FUNCTION_NAME,
  AWS_LAMBDA_RESOURCE_MAPPING_ID,
  AWS_S3_BUCKET,
  AWS_SECRETSMANAGER_SECRET_ARN,
  AWS_SNS_TOPIC_ARN,
  AWS_SQS_QUEUE_NAME,
  AWS_SQS_QUEUE_URL,
  AWS_STEPFUNCTIONS_ACTIVITY_ARN,
  AWS_STEPFUNCTIONS_STATEMACHINE_ARN,
  DB_CONNECTION_RESOURCE_TYPE,
  DB_CONNECTION_STRING,
  DB_NAME,
  DB_NAMESPACE,
  FAAS_INVOKED_NAME,
  GEN_AI_REQUEST_MODEL,
  MESSAGING_DESTINATION_NAME,
  NET_PEER_NAME,
  NET_PEER_PORT,
  RPC_SERVICE,
  SERVER_ADDRESS,
  SERVER_PORT,
  SERVER_SOCKET_ADDRESS,
  SERVER_SOCKET_PORT,
} from './keys';
import { isAwsSdkSpan, isDatabaseSpan } from './remote';
import { connectionHostAndPort } from './url';

type Attributes = Readonly<Record<string, unknown>>;

/** A remote resource: filled by {@link remoteResource}, reused across spans. */
export interface RemoteResource {
  type: string;
  identifier: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `|` → `^|`, `^` → `^^`; the same string when it holds neither (no allocation). */
export function escapeDelimiters(value: string): string {
  if (value.indexOf('|') < 0 && value.indexOf('^') < 0) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    out += c === '|' || c === '^' ? '^' + c : c;
  }
  return out;
}

function isAccountId(text: string): boolean {
  if (text.length !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The resource part of a regional ARN `arn:<partition>:<service>:<region>:<account>:<resource>`: its
 * last `:`-separated part (ADOT's `extractResourceNameFromArn`); `undefined` when not such an ARN.
 */
export function arnResourceName(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  if (parts.length < 6 || !isAccountId(parts[4])) return undefined;
  return str(parts[parts.length - 1]);
}

/** The name in a `<prefix>/<name>` resource (`table/orders` → `orders`), as ADOT strips it. */
function withoutPrefix(name: string | undefined, prefix: string): string | undefined {
  return name !== undefined && name.startsWith(prefix) ? str(name.slice(prefix.length)) : name;
}

/**
 * A Lambda function's name from what `FunctionName` accepts: a name, `name:qualifier`, a partial ARN
 * `123456789012:function:name` or a full ARN (ADOT takes the ARN's last part, which is the
 * qualifier when there is one; the name is what identifies the function).
 */
export function lambdaFunctionName(value: string): string {
  if (value.indexOf(':') < 0) return value;
  const parts = value.split(':');
  const marker = parts.indexOf('function');
  if (marker >= 0 && marker + 1 < parts.length && parts[marker + 1] !== '') return parts[marker + 1];
  return parts[0] !== '' ? parts[0] : value;
}

function isQueueNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

/**
 * The queue name of an SQS queue URL `https://sqs.<region>.amazonaws.com/<account>/<name>` (ADOT's
 * `SqsUrlParser`: exactly host, 12-digit account and name; letters, digits, `-`, `_`, up to 80
 * characters; we also take FIFO queues' `.fifo` suffix, which ADOT's check refuses).
 */
export function sqsQueueName(url: string): string | undefined {
  const scheme = url.indexOf('://');
  const rest = scheme >= 0 ? url.slice(scheme + 3) : url;
  const parts = rest.split('/');
  if (parts.length !== 3 || !isAccountId(parts[1])) return undefined;
  const name = parts[2];
  const base = name.endsWith('.fifo') ? name.length - 5 : name.length;
  if (base === 0 || name.length > 80) return undefined;
  for (let i = 0; i < base; i++) if (!isQueueNameChar(name.charCodeAt(i))) return undefined;
  return name;
}

function set(out: RemoteResource, type: string, identifier: string | undefined): boolean {
  if (identifier === undefined) return false;
  out.type = type;
  out.identifier = escapeDelimiters(identifier);
  return true;
}

/** The resource of an AWS SDK call, in ADOT's order; false when none is known. */
function awsResource(attributes: Attributes, out: RemoteResource): boolean {
  const tables = attributes[AWS_DYNAMODB_TABLE_NAMES];
  // Several tables (BatchGetItem over two tables) name no single resource.
  if (Array.isArray(tables) && tables.length === 1 && typeof tables[0] === 'string' && tables[0] !== '')
    return set(out, 'AWS::DynamoDB::Table', tables[0]);
  const tableArn = attributes[AWS_DYNAMODB_TABLE_ARN];
  if (tableArn !== undefined)
    return set(out, 'AWS::DynamoDB::Table', withoutPrefix(arnResourceName(tableArn), 'table/'));
  const streamName = str(attributes[AWS_KINESIS_STREAM_NAME]);
  if (streamName !== undefined) return set(out, 'AWS::Kinesis::Stream', streamName);
  const streamArn = attributes[AWS_KINESIS_STREAM_ARN];
  if (streamArn !== undefined)
    return set(out, 'AWS::Kinesis::Stream', withoutPrefix(arnResourceName(streamArn), 'stream/'));
  const bucket = str(attributes[AWS_S3_BUCKET]);
  if (bucket !== undefined) return set(out, 'AWS::S3::Bucket', bucket);
  const topicArn = attributes[AWS_SNS_TOPIC_ARN];
  if (topicArn !== undefined) return set(out, 'AWS::SNS::Topic', arnResourceName(topicArn));
  const secretArn = attributes[AWS_SECRETSMANAGER_SECRET_ARN];
  if (secretArn !== undefined) return set(out, 'AWS::SecretsManager::Secret', arnResourceName(secretArn));
  const stateMachineArn = attributes[AWS_STEPFUNCTIONS_STATEMACHINE_ARN];
  if (stateMachineArn !== undefined)
    return set(out, 'AWS::StepFunctions::StateMachine', arnResourceName(stateMachineArn));
  const activityArn = attributes[AWS_STEPFUNCTIONS_ACTIVITY_ARN];
  if (activityArn !== undefined)
    return set(out, 'AWS::StepFunctions::Activity', arnResourceName(activityArn));
  const rpcService = attributes[RPC_SERVICE];
  if (rpcService === 'Lambda') {
    // ADOT's patch sets aws.lambda.function.name; upstream only sets faas.invoked_name, on Invoke.
    const functionName = str(attributes[AWS_LAMBDA_FUNCTION_NAME]) ?? str(attributes[FAAS_INVOKED_NAME]);
    if (functionName !== undefined)
      return set(out, 'AWS::Lambda::Function', lambdaFunctionName(functionName));
    const mapping = str(attributes[AWS_LAMBDA_RESOURCE_MAPPING_ID]);
    if (mapping !== undefined) return set(out, 'AWS::Lambda::EventSourceMapping', mapping);
  }
  const queueName = str(attributes[AWS_SQS_QUEUE_NAME]);
  if (queueName !== undefined) return set(out, 'AWS::SQS::Queue', queueName);
  const queueUrl = str(attributes[AWS_SQS_QUEUE_URL]);
  if (queueUrl !== undefined) return set(out, 'AWS::SQS::Queue', sqsQueueName(queueUrl));
  if (rpcService === 'SQS') {
    // instrumentation-aws-sdk: the last segment of the queue URL.
    const destination = str(attributes[MESSAGING_DESTINATION_NAME]);
    if (destination !== undefined) return set(out, 'AWS::SQS::Queue', destination);
  }
  const agent = str(attributes[AWS_BEDROCK_AGENT_ID]);
  if (agent !== undefined) return set(out, 'AWS::Bedrock::Agent', agent);
  const dataSource = str(attributes[AWS_BEDROCK_DATA_SOURCE_ID]);
  if (dataSource !== undefined) return set(out, 'AWS::Bedrock::DataSource', dataSource);
  const guardrail = str(attributes[AWS_BEDROCK_GUARDRAIL_ID]);
  if (guardrail !== undefined) return set(out, 'AWS::Bedrock::Guardrail', guardrail);
  const knowledgeBase = str(attributes[AWS_BEDROCK_KNOWLEDGE_BASE_ID]);
  if (knowledgeBase !== undefined) return set(out, 'AWS::Bedrock::KnowledgeBase', knowledgeBase);
  const model = str(attributes[GEN_AI_REQUEST_MODEL]);
  if (model !== undefined) return set(out, 'AWS::Bedrock::Model', model);
  return false;
}

function portSuffix(port: unknown): string {
  if (typeof port === 'number') return '|' + String(port);
  return typeof port === 'string' && port !== '' ? '|' + port : '';
}

/**
 * ADOT's database connection identifier `[<db.name>|]<address>[|<port>]`: the address from
 * `server.address`, `net.peer.name`, `server.socket.address` or the host of `db.connection_string`.
 */
export function databaseConnection(attributes: Attributes): string | undefined {
  let connection: string | undefined;
  const serverAddress = attributes[SERVER_ADDRESS];
  const peerName = attributes[NET_PEER_NAME];
  const socketAddress = attributes[SERVER_SOCKET_ADDRESS];
  if (serverAddress !== undefined) {
    if (typeof serverAddress === 'string')
      connection = escapeDelimiters(serverAddress) + portSuffix(attributes[SERVER_PORT]);
  } else if (peerName !== undefined) {
    if (typeof peerName === 'string')
      connection = escapeDelimiters(peerName) + portSuffix(attributes[NET_PEER_PORT]);
  } else if (socketAddress !== undefined) {
    if (typeof socketAddress === 'string')
      connection = escapeDelimiters(socketAddress) + portSuffix(attributes[SERVER_SOCKET_PORT]);
  } else {
    const connectionString = attributes[DB_CONNECTION_STRING];
    const parsed = typeof connectionString === 'string' ? connectionHostAndPort(connectionString) : undefined;
    if (parsed !== undefined) connection = escapeDelimiters(parsed.host) + portSuffix(parsed.port);
  }
  if (connection === undefined) return undefined;
  const dbName = str(attributes[DB_NAME]) ?? str(attributes[DB_NAMESPACE]);
  return dbName === undefined ? connection : escapeDelimiters(dbName) + '|' + connection;
}

/** Fills `out` with the span's remote resource; false (and `out` untouched) when there is none. */
export function remoteResource(attributes: Attributes, out: RemoteResource): boolean {
  if (isAwsSdkSpan(attributes)) return awsResource(attributes, out);
  if (!isDatabaseSpan(attributes)) return false;
  const connection = databaseConnection(attributes);
  if (connection === undefined) return false;
  out.type = DB_CONNECTION_RESOURCE_TYPE;
  out.identifier = connection;
  return true;
}
