/**
 * `aws.remote.service` and `aws.remote.operation` of a dependency span (client, producer, consumer),
 * after ADOT's `setRemoteServiceAndOperation`: the first family of attributes present decides both
 * (the app's own `aws.remote.*`, then RPC, database, FaaS, messaging, GraphQL); `peer.service`
 * overrides the service; what is still unknown comes from the network address or URL. Unlike ADOT,
 * nothing is made up: where ADOT writes `UnknownRemoteService` / `UnknownRemoteOperation` these
 * return `undefined` and the attribute stays unset, because the collector and our translator name a
 * subsegment after `aws.remote.service` (translator-spec.md §3 step 3): a placeholder would merge
 * every unidentified dependency into one service-map node instead of naming it from `peer.service`,
 * `db.name`, `http.host`, `net.peer.name` or the span name.
 */
import {
  AWS_API,
  AWS_PREFIX,
  AWS_REMOTE_OPERATION,
  AWS_REMOTE_SERVICE,
  DB_OPERATION,
  DB_OPERATION_NAME,
  DB_QUERY_TEXT,
  DB_STATEMENT,
  DB_SYSTEM,
  DB_SYSTEM_NAME,
  FAAS_INVOKED_NAME,
  FAAS_TRIGGER,
  GRAPHQL,
  GRAPHQL_OPERATION_TYPE,
  HTTP_URL,
  MESSAGING_OPERATION,
  MESSAGING_OPERATION_NAME,
  MESSAGING_OPERATION_TYPE,
  MESSAGING_SYSTEM,
  NET_PEER_NAME,
  NET_PEER_PORT,
  NET_SOCK_PEER_ADDR,
  NET_SOCK_PEER_PORT,
  PEER_SERVICE,
  RPC_METHOD,
  RPC_SERVICE,
  RPC_SYSTEM,
  SERVER_ADDRESS,
  SERVER_PORT,
  URL_FULL,
} from './keys';
import { httpMethod, sqlKeyword } from './operation';
import { firstPathSegment, urlHostAndPort, urlPath } from './url';

type Attributes = Readonly<Record<string, unknown>>;

/** Which family of attributes names the remote side (ADOT's order). */
export enum RemoteSource {
  None,
  App,
  Rpc,
  Database,
  Faas,
  Messaging,
  GraphQL,
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** True for spans of the AWS SDK instrumentation (`rpc.system = aws-api`). */
export function isAwsSdkSpan(attributes: Attributes): boolean {
  return attributes[RPC_SYSTEM] === AWS_API;
}

/** True when the span follows the database conventions (ADOT's `isDBSpan`, plus the stable keys). */
export function isDatabaseSpan(attributes: Attributes): boolean {
  return (
    attributes[DB_SYSTEM] !== undefined ||
    attributes[DB_OPERATION] !== undefined ||
    attributes[DB_STATEMENT] !== undefined ||
    attributes[DB_SYSTEM_NAME] !== undefined ||
    attributes[DB_OPERATION_NAME] !== undefined ||
    attributes[DB_QUERY_TEXT] !== undefined
  );
}

/** The first family present, in ADOT's order. */
export function remoteSource(attributes: Attributes): RemoteSource {
  if (attributes[AWS_REMOTE_SERVICE] !== undefined || attributes[AWS_REMOTE_OPERATION] !== undefined)
    return RemoteSource.App;
  if (attributes[RPC_SERVICE] !== undefined || attributes[RPC_METHOD] !== undefined) return RemoteSource.Rpc;
  if (isDatabaseSpan(attributes)) return RemoteSource.Database;
  if (attributes[FAAS_INVOKED_NAME] !== undefined || attributes[FAAS_TRIGGER] !== undefined)
    return RemoteSource.Faas;
  if (attributes[MESSAGING_SYSTEM] !== undefined || attributes[MESSAGING_OPERATION] !== undefined)
    return RemoteSource.Messaging;
  if (attributes[GRAPHQL_OPERATION_TYPE] !== undefined) return RemoteSource.GraphQL;
  return RemoteSource.None;
}

/**
 * The AWS SDK's service id as ADOT names it, after AWS Cloud Control where it can: `DynamoDB` →
 * `AWS::DynamoDB`, `SFN` → `AWS::StepFunctions`, Bedrock's agent APIs → `AWS::Bedrock`.
 */
export function awsServiceName(serviceId: string): string {
  switch (serviceId) {
    case 'BedrockAgent':
    case 'BedrockAgentRuntime':
      return 'AWS::Bedrock';
    case 'SFN':
      return 'AWS::StepFunctions';
    default:
      // BedrockRuntime, BedrockAgentCore, SecretsManager, Lambda, S3, SQS, SNS, Kinesis ... map to themselves.
      return AWS_PREFIX + serviceId;
  }
}

/** `aws.remote.service`, or `undefined` when nothing names the remote side. */
export function remoteService(attributes: Attributes, source: RemoteSource): string | undefined {
  let service: string | undefined;
  switch (source) {
    case RemoteSource.App:
      service = str(attributes[AWS_REMOTE_SERVICE]);
      break;
    case RemoteSource.Rpc: {
      const rpcService = str(attributes[RPC_SERVICE]);
      if (rpcService !== undefined)
        service = isAwsSdkSpan(attributes) ? awsServiceName(rpcService) : rpcService;
      break;
    }
    case RemoteSource.Database:
      service = str(attributes[DB_SYSTEM]) ?? str(attributes[DB_SYSTEM_NAME]);
      break;
    case RemoteSource.Faas:
      service = str(attributes[FAAS_INVOKED_NAME]);
      break;
    case RemoteSource.Messaging:
      service = str(attributes[MESSAGING_SYSTEM]);
      break;
    case RemoteSource.GraphQL:
      service = GRAPHQL;
      break;
  }
  // peer.service states the user's intent: it wins over everything but the app's aws.remote.service.
  if (attributes[AWS_REMOTE_SERVICE] === undefined) service = str(attributes[PEER_SERVICE]) ?? service;
  return service ?? addressService(attributes);
}

/** `<address>[:<port>]`: a numeric or string port as written (ADOT appends the port attribute as is). */
function withPort(address: string, port: unknown): string {
  if (typeof port === 'number') return address + ':' + String(port);
  return typeof port === 'string' && port !== '' ? address + ':' + port : address;
}

/**
 * An uninstrumented downstream named by its address, in ADOT's order: `net.peer.name[:net.peer.port]`,
 * `net.sock.peer.addr[:port]`, the host of `http.url`, `server.address[:server.port]`, the host of
 * `url.full` (a URL's default port is dropped, as `new URL` does).
 */
export function addressService(attributes: Attributes): string | undefined {
  const peerName = str(attributes[NET_PEER_NAME]);
  if (peerName !== undefined) return withPort(peerName, attributes[NET_PEER_PORT]);
  const sockAddress = str(attributes[NET_SOCK_PEER_ADDR]);
  if (sockAddress !== undefined) return withPort(sockAddress, attributes[NET_SOCK_PEER_PORT]);
  const httpUrl = attributes[HTTP_URL];
  if (typeof httpUrl === 'string') return str(urlHostAndPort(httpUrl));
  const serverAddress = str(attributes[SERVER_ADDRESS]);
  if (serverAddress !== undefined) return withPort(serverAddress, attributes[SERVER_PORT]);
  const full = attributes[URL_FULL];
  if (typeof full === 'string') return str(urlHostAndPort(full));
  return undefined;
}

/** `aws.remote.operation`, or `undefined` when nothing names it. */
export function remoteOperation(attributes: Attributes, source: RemoteSource): string | undefined {
  let operation: string | undefined;
  switch (source) {
    case RemoteSource.App:
      operation = str(attributes[AWS_REMOTE_OPERATION]);
      break;
    case RemoteSource.Rpc:
      operation = str(attributes[RPC_METHOD]);
      break;
    case RemoteSource.Database: {
      operation = str(attributes[DB_OPERATION]) ?? str(attributes[DB_OPERATION_NAME]);
      if (operation === undefined) {
        const statement = str(attributes[DB_STATEMENT]) ?? str(attributes[DB_QUERY_TEXT]);
        if (statement !== undefined) operation = sqlKeyword(statement);
      }
      break;
    }
    case RemoteSource.Faas:
      operation = str(attributes[FAAS_TRIGGER]);
      break;
    case RemoteSource.Messaging:
      operation =
        str(attributes[MESSAGING_OPERATION]) ??
        str(attributes[MESSAGING_OPERATION_NAME]) ??
        str(attributes[MESSAGING_OPERATION_TYPE]);
      break;
    case RemoteSource.GraphQL:
      operation = str(attributes[GRAPHQL_OPERATION_TYPE]);
      break;
  }
  return operation ?? urlOperation(attributes);
}

/** ADOT's HTTP fallback: `[<METHOD> ]/<first path segment>` of `http.url`, else of `url.full`. */
export function urlOperation(attributes: Attributes): string | undefined {
  const url = attributes[HTTP_URL] ?? attributes[URL_FULL];
  if (typeof url !== 'string') return undefined;
  const path = urlPath(url);
  if (path === undefined) return undefined;
  const segment = firstPathSegment(path);
  const method = httpMethod(attributes);
  return method === undefined ? segment : method + ' ' + segment;
}
