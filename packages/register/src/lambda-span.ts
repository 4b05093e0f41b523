// The invocation span's name and attributes, as @opentelemetry/instrumentation-aws-lambda makes them
// (its _createSpanForRequest), so that a function shows up the same in X-Ray whether that
// instrumentation or flushAfterInvocation made the span. Pure: the Lambda context, the event, the
// environment and the clock in; a name and attributes out.
import type { Attributes } from '@opentelemetry/api';

/** The instrumentation whose invocation span we must not duplicate (its tracer's name). */
export const AWS_LAMBDA_INSTRUMENTATION_SCOPE = '@opentelemetry/instrumentation-aws-lambda';

export const ATTR_FAAS_INVOCATION_ID = 'faas.invocation_id';
export const ATTR_FAAS_COLDSTART = 'faas.coldstart';
export const ATTR_CLOUD_RESOURCE_ID = 'cloud.resource_id';
export const ATTR_CLOUD_ACCOUNT_ID = 'cloud.account.id';
export const ATTR_URL_FULL = 'url.full';

/** A first invocation this long after the process started was a proactive initialization (as the instrumentation). */
export const MAX_INIT_MS = 10_000;

/** What we read of the Lambda context (the runtime's `context` object). */
export interface LambdaContextLike {
  /** The invocation's trace header, `Root=…;Parent=…;Sampled=…`. */
  xRayTraceId?: string;
  functionName?: string;
  awsRequestId?: string;
  invokedFunctionArn?: string;
  [key: string]: unknown;
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The span's name: the function's name (context, then AWS_LAMBDA_FUNCTION_NAME), else `lambda-handler`. */
export function invocationSpanName(
  context: LambdaContextLike | undefined,
  env: Record<string, string | undefined>,
): string {
  return nonEmpty(context?.functionName) ?? nonEmpty(env.AWS_LAMBDA_FUNCTION_NAME) ?? 'lambda-handler';
}

/** The account of an ARN (`arn:aws:lambda:<region>:<account>:function:<name>`). */
export function accountIdOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 5 && parts[4] !== '' ? parts[4] : undefined;
}

type HttpEvent = {
  headers?: Record<string, string | undefined> | null;
  path?: string;
  rawPath?: string;
  queryStringParameters?: Record<string, string> | null;
};

/** The request URL of an API Gateway / function URL event, as the instrumentation rebuilds it. */
export function fullUrlOf(event: unknown): string | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  const { headers, path, rawPath, queryStringParameters } = event as HttpEvent;
  if (headers === null || typeof headers !== 'object') return undefined;
  const host = headers.host ?? headers.Host;
  const proto = headers['x-forwarded-proto'] ?? headers['X-Forwarded-Proto'];
  const port = headers['x-forwarded-port'] ?? headers['X-Forwarded-Port'];
  const urlPath = path ?? rawPath;
  if (!proto || !host || !urlPath) return undefined;
  let url = `${proto}://${host}${port ? ':' + port : ''}${urlPath}`;
  if (queryStringParameters) {
    const query = Object.entries(queryStringParameters)
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
      .join('&');
    if (query !== '') url += '?' + query;
  }
  return url;
}

/**
 * Whether this invocation is a cold start, as the instrumentation decides: the first one handled
 * by this wrapper, unless the sandbox was initialized for provisioned concurrency or proactively
 * (more than {@link MAX_INIT_MS} before it).
 */
export function isColdStart(
  first: boolean,
  env: Record<string, string | undefined>,
  nowMs: number,
  processStartMs: number,
): boolean {
  if (!first) return false;
  if (env.AWS_LAMBDA_INITIALIZATION_TYPE === 'provisioned-concurrency') return false;
  return nowMs - processStartMs <= MAX_INIT_MS;
}

/** The invocation span's attributes; undefined values are left out (the SDK would warn about them). */
export function invocationAttributes(
  context: LambdaContextLike | undefined,
  event: unknown,
  coldStart: boolean,
): Attributes {
  const attributes: Attributes = { [ATTR_FAAS_COLDSTART]: coldStart };
  const requestId = nonEmpty(context?.awsRequestId);
  if (requestId !== undefined) attributes[ATTR_FAAS_INVOCATION_ID] = requestId;
  const arn = nonEmpty(context?.invokedFunctionArn);
  if (arn !== undefined) {
    attributes[ATTR_CLOUD_RESOURCE_ID] = arn;
    const account = accountIdOf(arn);
    if (account !== undefined) attributes[ATTR_CLOUD_ACCOUNT_ID] = account;
  }
  const url = fullUrlOf(event);
  if (url !== undefined) attributes[ATTR_URL_FULL] = url;
  return attributes;
}

/** What an error a handler raised says on the span (the instrumentation's rule, plus other values). */
export function errorMessageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}
