/**
 * The aws block with what `@opentelemetry/instrumentation-aws-sdk` 0.78 writes (option
 * `awsSdkConventions`, default true; a documented deviation): `cloud.region`, `aws.request.id`,
 * an SQS call's queue URL in `url.full`, ADOT's `aws.sqs.queue.url`. The attribute maps are the
 * ones the real instrumentation set for these calls (test/instrumentations.test.ts runs it).
 */
import * as assert from 'node:assert/strict';
import { spanToSegment, type AttributesLike, type Segment, type TranslatorOptions } from '../src';
import { makeSpan, schemaErrors } from './helpers';

const PARENT = '00fe93e601a919fe';
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
const CLIENT = 2;
const PRODUCER = 3;

/** SendMessage as instrumentation-aws-sdk 0.78 records it (a PRODUCER span). */
const SEND_MESSAGE: AttributesLike = {
  'rpc.system': 'aws-api',
  'rpc.method': 'SendMessage',
  'rpc.service': 'SQS',
  'messaging.system': 'aws_sqs',
  'messaging.destination.name': 'orders',
  'url.full': QUEUE_URL,
  'cloud.region': 'eu-west-1',
  'aws.request.id': 'a7c1b2d3-0000-4000-8000-000000000001',
  'http.response.status_code': 200,
  'messaging.message.id': 'm-1',
};

/** DynamoDB GetItem as instrumentation-aws-sdk 0.78 records it. */
const GET_ITEM: AttributesLike = {
  'rpc.system': 'aws-api',
  'rpc.method': 'GetItem',
  'rpc.service': 'DynamoDB',
  'db.system.name': 'dynamodb',
  'db.namespace': 'orders',
  'db.operation.name': 'GetItem',
  'aws.dynamodb.table_names': ['orders'],
  'cloud.region': 'eu-west-1',
  'aws.request.id': 'REQ-5',
  'http.response.status_code': 200,
};

function translate(
  attributes: AttributesLike,
  kind = CLIENT,
  options?: TranslatorOptions,
  resource: AttributesLike = {},
): Segment {
  const doc = spanToSegment(
    makeSpan({ kind, attributes, parentSpanId: PARENT, resource: { attributes: resource } }),
    options,
  );
  assert.equal(schemaErrors(doc), undefined);
  return doc;
}

const metadata = (doc: Segment) => doc.metadata?.default ?? {};

describe('aws block: what the AWS SDK instrumentation writes (awsSdkConventions)', () => {
  it('SQS SendMessage: region, request id and queue URL in the aws block, no request url', () => {
    const doc = translate(SEND_MESSAGE, PRODUCER);
    assert.equal(doc.name, 'SQS');
    assert.equal(doc.namespace, 'aws');
    assert.equal(doc.aws?.operation, 'SendMessage');
    assert.equal(doc.aws?.region, 'eu-west-1');
    assert.equal(doc.aws?.request_id, 'a7c1b2d3-0000-4000-8000-000000000001');
    assert.equal(doc.aws?.queue_url, QUEUE_URL);
    // As the classic SDK's AWS subsegments: the response status, no request URL.
    assert.deepEqual(doc.http, { request: {}, response: { status: 200, content_length: 0 } });
    for (const key of ['cloud.region', 'aws.request.id', 'url.full']) {
      assert.equal(metadata(doc)[key], undefined, `${key} is consumed`);
    }
    assert.equal(metadata(doc)['messaging.destination.name'], 'orders');
  });

  it('DynamoDB GetItem: region and request id; the table from aws.dynamodb.table_names', () => {
    const doc = translate(GET_ITEM);
    assert.equal(doc.name, 'DynamoDB');
    assert.equal(doc.aws?.region, 'eu-west-1');
    assert.equal(doc.aws?.request_id, 'REQ-5');
    assert.equal(doc.aws?.table_name, 'orders');
    assert.equal(doc.sql, undefined);
    assert.equal(metadata(doc)['cloud.region'], undefined);
  });

  it("the collector's keys win when present, and the instrumentation's then stay in metadata", () => {
    const doc = translate({
      ...SEND_MESSAGE,
      'aws.region': 'us-east-1',
      'aws.request_id': 'X-1',
      'aws.queue_url': 'https://sqs.us-east-1.amazonaws.com/1/other',
    });
    assert.equal(doc.aws?.region, 'us-east-1');
    assert.equal(doc.aws?.request_id, 'X-1');
    assert.equal(doc.aws?.queue_url, 'https://sqs.us-east-1.amazonaws.com/1/other');
    assert.equal(metadata(doc)['cloud.region'], 'eu-west-1');
    assert.equal(metadata(doc)['aws.request.id'], 'a7c1b2d3-0000-4000-8000-000000000001');
    assert.equal(metadata(doc)['url.full'], QUEUE_URL);
    assert.equal(doc.http?.request.url, undefined);
    // aws.requestId counts as the collector's too; an empty aws.region is present (and omitted).
    const alternate = translate({ ...GET_ITEM, 'aws.requestId': 'X-2', 'aws.region': '' });
    assert.equal(alternate.aws?.request_id, 'X-2');
    assert.equal(alternate.aws?.region, undefined);
  });

  it('messaging.url (older instrumentations) still overrides; ADOT aws.sqs.queue.url before url.full', () => {
    const messaging = translate({ ...SEND_MESSAGE, 'messaging.url': 'https://queue.example/1' });
    assert.equal(messaging.aws?.queue_url, 'https://queue.example/1');
    assert.equal(metadata(messaging)['url.full'], QUEUE_URL, 'url.full not used: kept');
    const adot = translate({ ...SEND_MESSAGE, 'aws.sqs.queue.url': 'https://queue.example/2' });
    assert.equal(adot.aws?.queue_url, 'https://queue.example/2');
    assert.equal(metadata(adot)['aws.sqs.queue.url'], undefined);
    // Only on AWS SDK spans: other spans pay nothing for these keys.
    const plain = translate({ 'aws.sqs.queue.url': 'https://queue.example/3', 'aws.request.id': 'R' });
    assert.equal(plain.aws?.queue_url, undefined);
    assert.equal(plain.aws?.request_id, undefined);
    assert.equal(plain.metadata?.default?.['aws.request.id'], 'R');
  });

  it('the keys mean the call only on AWS SDK spans (url.full: SQS calls only)', () => {
    const http = translate({
      'http.request.method': 'GET',
      'url.full': 'https://example.com/',
      'cloud.region': 'x',
    });
    assert.equal(http.aws?.region, undefined);
    assert.equal(http.aws?.queue_url, undefined);
    assert.equal(http.http?.request.url, 'https://example.com/');
    assert.equal(metadata(http)['cloud.region'], 'x');
    const s3 = translate({ ...GET_ITEM, 'rpc.service': 'S3', 'url.full': 'https://b.s3.amazonaws.com/k' });
    assert.equal(s3.aws?.queue_url, undefined);
    assert.equal(s3.http?.request.url, 'https://b.s3.amazonaws.com/k');
  });

  it("a non-AWS cloud.provider: no aws block, the keys used are consumed like the collector's", () => {
    const doc = translate(SEND_MESSAGE, PRODUCER, undefined, { 'cloud.provider': 'gcp' });
    assert.equal(doc.aws, undefined);
    assert.equal(metadata(doc)['cloud.region'], undefined);
    assert.equal(metadata(doc)['url.full'], undefined);
  });

  it("awsSdkConventions: false gives the collector's blocks", () => {
    const doc = translate(SEND_MESSAGE, PRODUCER, { awsSdkConventions: false });
    assert.equal(doc.aws?.region, undefined);
    assert.equal(doc.aws?.request_id, undefined);
    assert.equal(doc.aws?.queue_url, undefined);
    assert.equal(doc.http?.request.url, QUEUE_URL);
    assert.equal(metadata(doc)['cloud.region'], 'eu-west-1');
    assert.equal(metadata(doc)['aws.request.id'], 'a7c1b2d3-0000-4000-8000-000000000001');
    const adot = translate({ ...GET_ITEM, 'aws.sqs.queue.url': 'https://queue.example/3' }, CLIENT, {
      awsSdkConventions: false,
    });
    assert.equal(adot.aws?.queue_url, undefined);
  });
});
