'use strict';
// The outgoing calls the real apps make, shared by the Express app, the worker and the Lambda
// handler: plain library code, the same for both SDKs except that AWS clients go through
// tracing.awsClient (the classic SDK wraps each client; OpenTelemetry patches the library).
// Where things are comes from the environment the test sets:
//   DOWNSTREAM_URL  an untraced HTTP service     TLS_URL     the same over HTTPS (self-signed; the
//   MOTO_URL        moto_server (AWS APIs)                    test trusts it with NODE_EXTRA_CA_CERTS)
//   PG_URL          postgres://user@host:port/db  REDIS_URL   redis://host:port
//   TABLE, BUCKET, QUEUE_URL, TOPIC_ARN           the AWS resources the test created in moto
const tracing = require('./tracing.cjs');
const http = require('node:http');
const https = require('node:https');

// Secrets a real app sends: a token in the query string and a bearer token. Neither SDK should
// write them anywhere (test/real-apps checks every document for these strings).
const QUERY_SECRET = 's3cr3t-query-token';
const BEARER_SECRET = 's3cr3t-bearer-token';

function get(module, url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = module.get(url, { headers, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout calling ${url}`)));
    req.on('error', reject);
  });
}

const httpGet = (path) =>
  get(http, `${process.env.DOWNSTREAM_URL}${path}?access_token=${QUERY_SECRET}`, {
    authorization: `Bearer ${BEARER_SECRET}`,
  });
const httpsGet = (path) => get(https, `${process.env.TLS_URL}${path}`);
async function fetchGet(path) {
  const response = await fetch(`${process.env.DOWNSTREAM_URL}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}

let clients;
/** The AWS SDK v3 clients, made once, against moto (fake credentials, endpoint override). */
function aws() {
  if (clients) return clients;
  const config = {
    region: 'us-east-1',
    endpoint: process.env.MOTO_URL,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  };
  const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
  const { S3Client } = require('@aws-sdk/client-s3');
  const { SQSClient } = require('@aws-sdk/client-sqs');
  const { SNSClient } = require('@aws-sdk/client-sns');
  const { LambdaClient } = require('@aws-sdk/client-lambda');
  clients = {
    dynamodb: tracing.awsClient(new DynamoDBClient(config)),
    // moto serves buckets by path (no per-bucket host names on 127.0.0.1).
    s3: tracing.awsClient(new S3Client({ ...config, forcePathStyle: true })),
    sqs: tracing.awsClient(new SQSClient(config)),
    sns: tracing.awsClient(new SNSClient(config)),
    lambda: tracing.awsClient(new LambdaClient(config)),
  };
  return clients;
}

async function dynamodbPutGet(id) {
  const { PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
  const table = process.env.TABLE;
  await aws().dynamodb.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, n: { N: '1' } } }));
  const got = await aws().dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } } }));
  return got.Item ? got.Item.id.S : undefined;
}

async function s3Put(key) {
  const { PutObjectCommand } = require('@aws-sdk/client-s3');
  await aws().s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: key, Body: 'receipt' }));
}

async function sqsSend(body) {
  const { SendMessageCommand } = require('@aws-sdk/client-sqs');
  const sent = await aws().sqs.send(
    new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: body }),
  );
  return sent.MessageId;
}

async function snsPublish(message) {
  const { PublishCommand } = require('@aws-sdk/client-sns');
  const published = await aws().sns.send(
    new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: message }),
  );
  return published.MessageId;
}

/**
 * Invoke of a function that does not exist: moto runs real invocations in docker, which CI does not
 * have, so the scenario is the error path (404 ResourceNotFoundException), traced by both SDKs.
 */
async function lambdaInvokeMissing() {
  const { InvokeCommand } = require('@aws-sdk/client-lambda');
  await aws().lambda.send(new InvokeCommand({ FunctionName: 'no-such-function', Payload: '{}' }));
}

let pool;
async function pgQuery() {
  if (!pool) {
    const { Pool } = require('pg');
    pool = new Pool({ connectionString: process.env.PG_URL, max: 2 });
  }
  const result = await pool.query('SELECT $1::int + 1 AS answer', [41]);
  return result.rows[0].answer;
}

let redis;
async function redisSetGet(key) {
  if (!redis) {
    const Redis = require('ioredis');
    redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
  }
  await redis.set(key, 'cached');
  return redis.get(key);
}

async function close() {
  await Promise.all([pool && pool.end(), redis && redis.quit()]);
}

module.exports = {
  httpGet,
  httpsGet,
  fetchGet,
  dynamodbPutGet,
  s3Put,
  sqsSend,
  snsPublish,
  lambdaInvokeMissing,
  pgQuery,
  redisSetGet,
  close,
  QUERY_SECRET,
  BEARER_SECRET,
};
