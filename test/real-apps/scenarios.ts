// The scenarios of test/real-apps: one request (or job, or invocation) each, the same for every run.
// `key` names the scenario in the comparison and in docs/classic-sdk-parity.md.

/** A request the test sends to one of the two services. */
export interface RequestScenario {
  key: string;
  service: 'shop' | 'catalog';
  path: string;
  status: number;
  /** The services whose segments the trace must hold (one each). */
  segments: string[];
  what: string;
}

export const REQUESTS: RequestScenario[] = [
  { key: 'express-ok', service: 'shop', path: '/ok', status: 200, segments: ['shop'], what: 'Express, 200' },
  {
    key: 'express-http',
    service: 'shop',
    path: '/http',
    status: 200,
    segments: ['shop'],
    what: 'Express calls an untraced service over http (query token, bearer header)',
  },
  {
    key: 'express-https',
    service: 'shop',
    path: '/https',
    status: 200,
    segments: ['shop'],
    what: 'Express calls an untraced service over https (self-signed certificate)',
  },
  {
    key: 'express-fetch',
    service: 'shop',
    path: '/fetch',
    status: 200,
    segments: ['shop'],
    what: 'Express calls an untraced service with fetch (undici)',
  },
  {
    key: 'express-dynamodb',
    service: 'shop',
    path: '/dynamodb',
    status: 200,
    segments: ['shop'],
    what: 'DynamoDB PutItem + GetItem',
  },
  { key: 'express-s3', service: 'shop', path: '/s3', status: 200, segments: ['shop'], what: 'S3 PutObject' },
  {
    key: 'express-sqs',
    service: 'shop',
    path: '/sqs',
    status: 200,
    segments: ['shop'],
    what: 'SQS SendMessage',
  },
  { key: 'express-sns', service: 'shop', path: '/sns', status: 200, segments: ['shop'], what: 'SNS Publish' },
  {
    key: 'express-lambda',
    service: 'shop',
    path: '/lambda',
    status: 502,
    segments: ['shop'],
    what: 'Lambda Invoke of a missing function (404), the app answers 502',
  },
  {
    key: 'express-pg',
    service: 'shop',
    path: '/pg',
    status: 200,
    segments: ['shop'],
    what: 'PostgreSQL query through pg',
  },
  {
    key: 'express-redis',
    service: 'shop',
    path: '/redis',
    status: 200,
    segments: ['shop'],
    what: 'Redis SET + GET through ioredis',
  },
  {
    key: 'express-throw',
    service: 'shop',
    path: '/throw',
    status: 500,
    segments: ['shop'],
    what: 'a handler throws',
  },
  {
    key: 'express-reject',
    service: 'shop',
    path: '/reject',
    status: 500,
    segments: ['shop'],
    what: 'an async handler rejects',
  },
  {
    key: 'express-404',
    service: 'shop',
    path: '/status/404',
    status: 404,
    segments: ['shop'],
    what: 'a 404 answer',
  },
  {
    key: 'express-429',
    service: 'shop',
    path: '/status/429',
    status: 429,
    segments: ['shop'],
    what: 'a 429 answer',
  },
  {
    key: 'express-503',
    service: 'shop',
    path: '/status/503',
    status: 503,
    segments: ['shop'],
    what: 'a 503 answer',
  },
  {
    key: 'express-chain',
    service: 'shop',
    path: '/chain',
    status: 200,
    segments: ['shop', 'catalog'],
    what: 'Express calls the traced Fastify service: one trace, two services',
  },
  {
    key: 'fastify-http',
    service: 'catalog',
    path: '/http',
    status: 200,
    segments: ['catalog'],
    what: 'Fastify calls an untraced service over http',
  },
  {
    key: 'fastify-throw',
    service: 'catalog',
    path: '/throw',
    status: 500,
    segments: ['catalog'],
    what: 'a Fastify handler throws',
  },
  {
    key: 'fastify-429',
    service: 'catalog',
    path: '/status/429',
    status: 429,
    segments: ['catalog'],
    what: 'a Fastify 429 answer',
  },
];

/** Lambda invocations (the simulated runtime runs them in one process). */
export interface InvocationScenario {
  key: string;
  event: { id: string; fail?: boolean };
  what: string;
}

export const INVOCATIONS: InvocationScenario[] = [
  { key: 'lambda-ok', event: { id: 'img-1' }, what: 'a Lambda invocation: http + DynamoDB' },
  {
    key: 'lambda-throw',
    event: { id: 'img-2', fail: true },
    what: 'a Lambda invocation that throws after its calls',
  },
];

/** The worker's traces, compared as one scenario (with OpenTelemetry each call may be its own trace). */
export const WORKER_KEY = 'worker';

export const FUNCTION_NAME = 'resize-fn';

/** Secrets the test and the apps send; no document may hold one where the classic SDK has none. */
export const SECRETS = {
  cookie: 's3cr3t-cookie',
  authorization: 's3cr3t-basic',
  commandLine: 's3cr3t-arg',
  query: 's3cr3t-query-token',
  bearer: 's3cr3t-bearer-token',
};
