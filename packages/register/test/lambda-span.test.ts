import * as assert from 'node:assert/strict';
import {
  MAX_INIT_MS,
  accountIdOf,
  errorMessageOf,
  fullUrlOf,
  invocationAttributes,
  invocationSpanName,
  isColdStart,
} from '../src/lambda-span';

describe('register lambda-span (the invocation span, as instrumentation-aws-lambda makes it)', () => {
  it('name: context.functionName, else AWS_LAMBDA_FUNCTION_NAME, else lambda-handler', () => {
    assert.equal(invocationSpanName({ functionName: 'fn' }, { AWS_LAMBDA_FUNCTION_NAME: 'env-fn' }), 'fn');
    assert.equal(invocationSpanName({ functionName: '' }, { AWS_LAMBDA_FUNCTION_NAME: 'env-fn' }), 'env-fn');
    assert.equal(invocationSpanName(undefined, {}), 'lambda-handler');
  });

  it('the account of a function ARN', () => {
    assert.equal(accountIdOf('arn:aws:lambda:us-east-1:123456789012:function:fn'), '123456789012');
    assert.equal(accountIdOf('arn:aws:lambda:us-east-1::function:fn'), undefined);
    assert.equal(accountIdOf('not-an-arn'), undefined);
  });

  it('url.full from API Gateway (REST and HTTP APIs) and function URL events', () => {
    assert.equal(
      fullUrlOf({
        headers: { host: 'h.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' },
        rawPath: '/a b',
        queryStringParameters: { q: 'x y', n: '1' },
      }),
      'https://h.example:443/a b?q=x%20y&n=1',
    );
    assert.equal(
      fullUrlOf({
        headers: { Host: 'h', 'X-Forwarded-Proto': 'http' },
        path: '/p',
        queryStringParameters: {},
      }),
      'http://h/p',
    );
    assert.equal(fullUrlOf({ headers: { host: 'h' }, path: '/p' }), undefined);
    assert.equal(fullUrlOf({ headers: null }), undefined);
    assert.equal(fullUrlOf({}), undefined);
    assert.equal(fullUrlOf('event'), undefined);
    assert.equal(fullUrlOf(null), undefined);
  });

  it('cold start: first invocation only, not for provisioned concurrency nor after a proactive init', () => {
    assert.equal(isColdStart(true, {}, 1000, 0), true);
    assert.equal(isColdStart(false, {}, 1000, 0), false);
    assert.equal(
      isColdStart(true, { AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency' }, 1000, 0),
      false,
    );
    assert.equal(isColdStart(true, {}, MAX_INIT_MS + 1, 0), false);
  });

  it('attributes: only the values known', () => {
    assert.deepEqual(invocationAttributes(undefined, undefined, false), { 'faas.coldstart': false });
    assert.deepEqual(invocationAttributes({ awsRequestId: 'r', invokedFunctionArn: 'arn:x' }, {}, true), {
      'faas.coldstart': true,
      'faas.invocation_id': 'r',
      'cloud.resource_id': 'arn:x',
    });
  });

  it('the message of an error, whatever was raised', () => {
    assert.equal(errorMessageOf(new RangeError('range')), 'range');
    assert.equal(errorMessageOf('text'), 'text');
    assert.equal(errorMessageOf({ message: 'object' }), 'object');
    assert.equal(errorMessageOf(42), '42');
    assert.equal(errorMessageOf(undefined), 'undefined');
  });
});
