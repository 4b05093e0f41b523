import * as assert from 'node:assert/strict';
import {
  RemoteSource,
  addressService,
  awsServiceName,
  isAwsSdkSpan,
  isDatabaseSpan,
  remoteOperation,
  remoteService,
  remoteSource,
  urlOperation,
} from '../src/remote';

/** Service and operation as the processor computes them. */
function remote(attributes: Record<string, unknown>): [string | undefined, string | undefined] {
  const source = remoteSource(attributes);
  return [remoteService(attributes, source), remoteOperation(attributes, source)];
}

describe('remote', () => {
  it("remoteSource: the first family present, in ADOT's order", () => {
    assert.equal(remoteSource({ 'aws.remote.operation': 'x', 'rpc.service': 'S3' }), RemoteSource.App);
    assert.equal(remoteSource({ 'rpc.method': 'x', 'db.system': 'pg' }), RemoteSource.Rpc);
    assert.equal(remoteSource({ 'db.query.text': 'x', 'faas.trigger': 'http' }), RemoteSource.Database);
    assert.equal(remoteSource({ 'faas.trigger': 'http', 'messaging.system': 'kafka' }), RemoteSource.Faas);
    assert.equal(remoteSource({ 'messaging.operation': 'publish' }), RemoteSource.Messaging);
    assert.equal(remoteSource({ 'graphql.operation.type': 'query' }), RemoteSource.GraphQL);
    assert.equal(remoteSource({ 'url.full': 'http://h/' }), RemoteSource.None);
  });

  it('isAwsSdkSpan / isDatabaseSpan', () => {
    assert.equal(isAwsSdkSpan({ 'rpc.system': 'aws-api' }), true);
    assert.equal(isAwsSdkSpan({ 'rpc.system': 'grpc' }), false);
    for (const key of [
      'db.system',
      'db.operation',
      'db.statement',
      'db.system.name',
      'db.operation.name',
      'db.query.text',
    ])
      assert.equal(isDatabaseSpan({ [key]: 'x' }), true, key);
    assert.equal(isDatabaseSpan({ 'db.name': 'shop' }), false);
  });

  it('AWS SDK services take the AWS:: name ADOT gives them', () => {
    assert.equal(awsServiceName('DynamoDB'), 'AWS::DynamoDB');
    assert.equal(awsServiceName('S3'), 'AWS::S3');
    assert.equal(awsServiceName('SQS'), 'AWS::SQS');
    assert.equal(awsServiceName('SNS'), 'AWS::SNS');
    assert.equal(awsServiceName('Kinesis'), 'AWS::Kinesis');
    assert.equal(awsServiceName('Lambda'), 'AWS::Lambda');
    assert.equal(awsServiceName('SecretsManager'), 'AWS::SecretsManager');
    assert.equal(awsServiceName('SFN'), 'AWS::StepFunctions');
    assert.equal(awsServiceName('BedrockAgent'), 'AWS::Bedrock');
    assert.equal(awsServiceName('BedrockAgentRuntime'), 'AWS::Bedrock');
    assert.equal(awsServiceName('BedrockRuntime'), 'AWS::BedrockRuntime');
  });

  it('AWS SDK calls (instrumentation-aws-sdk attributes)', () => {
    const sdk = { 'rpc.system': 'aws-api' };
    assert.deepEqual(
      remote({ ...sdk, 'rpc.service': 'DynamoDB', 'rpc.method': 'GetItem', 'db.system.name': 'dynamodb' }),
      ['AWS::DynamoDB', 'GetItem'],
    );
    assert.deepEqual(
      remote({ ...sdk, 'rpc.service': 'SQS', 'rpc.method': 'SendMessage', 'messaging.system': 'aws_sqs' }),
      ['AWS::SQS', 'SendMessage'],
    );
    // Lambda Invoke: AWS::Lambda like every other Lambda call (ADOT names the function instead).
    assert.deepEqual(
      remote({ ...sdk, 'rpc.service': 'Lambda', 'rpc.method': 'Invoke', 'faas.invoked_name': 'fn' }),
      ['AWS::Lambda', 'Invoke'],
    );
  });

  it('other RPC: rpc.service and rpc.method as they are', () => {
    assert.deepEqual(
      remote({ 'rpc.system': 'grpc', 'rpc.service': 'helloworld.Greeter', 'rpc.method': 'SayHello' }),
      ['helloworld.Greeter', 'SayHello'],
    );
    // rpc.method without rpc.service: the service comes from the address.
    assert.deepEqual(
      remote({ 'rpc.method': 'SayHello', 'server.address': 'greeter', 'server.port': 50051 }),
      ['greeter:50051', 'SayHello'],
    );
  });

  it('databases: db.system, db.operation or the statement keyword (old and stable keys)', () => {
    assert.deepEqual(remote({ 'db.system': 'postgresql', 'db.statement': 'select * from orders' }), [
      'postgresql',
      'SELECT',
    ]);
    assert.deepEqual(remote({ 'db.system': 'mysql', 'db.operation': 'INSERT' }), ['mysql', 'INSERT']);
    assert.deepEqual(remote({ 'db.system.name': 'postgresql', 'db.query.text': 'UPDATE t SET x=1' }), [
      'postgresql',
      'UPDATE',
    ]);
    assert.deepEqual(remote({ 'db.system.name': 'mongodb', 'db.operation.name': 'find' }), [
      'mongodb',
      'find',
    ]);
    assert.deepEqual(remote({ 'db.system': 'redis', 'db.statement': 'GET key' }), ['redis', undefined]);
  });

  it('FaaS, messaging, GraphQL', () => {
    assert.deepEqual(remote({ 'faas.invoked_name': 'resize', 'faas.trigger': 'http' }), ['resize', 'http']);
    assert.deepEqual(remote({ 'messaging.system': 'kafka', 'messaging.operation': 'publish' }), [
      'kafka',
      'publish',
    ]);
    assert.deepEqual(remote({ 'messaging.system': 'kafka', 'messaging.operation.name': 'send' }), [
      'kafka',
      'send',
    ]);
    assert.deepEqual(remote({ 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'receive' }), [
      'rabbitmq',
      'receive',
    ]);
    assert.deepEqual(remote({ 'graphql.operation.type': 'query' }), ['graphql', 'query']);
  });

  it("the app's own aws.remote.* decide; a missing half is derived", () => {
    assert.deepEqual(
      remote({ 'aws.remote.service': 'ledger', 'rpc.service': 'X', 'url.full': 'http://h/a/b' }),
      ['ledger', '/a'],
    );
    assert.deepEqual(remote({ 'aws.remote.operation': 'Post', 'server.address': 'ledger.internal' }), [
      'ledger.internal',
      'Post',
    ]);
  });

  it('peer.service wins over every family but the app’s aws.remote.service', () => {
    assert.deepEqual(remote({ 'peer.service': 'billing', 'db.system': 'pg', 'db.operation': 'SELECT' }), [
      'billing',
      'SELECT',
    ]);
    assert.deepEqual(remote({ 'peer.service': 'billing', 'aws.remote.service': 'ledger' }), [
      'ledger',
      undefined,
    ]);
  });

  describe('an uninstrumented HTTP downstream is named by its address', () => {
    it("ADOT's order: net.peer.name, net.sock.peer.addr, http.url, server.address, url.full", () => {
      const all = {
        'net.peer.name': 'a',
        'net.peer.port': 1,
        'net.sock.peer.addr': '10.0.0.2',
        'net.sock.peer.port': 2,
        'http.url': 'http://c:3/',
        'server.address': 'd',
        'server.port': 4,
        'url.full': 'http://e:5/',
      };
      assert.equal(addressService(all), 'a:1');
      const { ['net.peer.name']: _1, ...noPeer } = all;
      assert.equal(addressService(noPeer), '10.0.0.2:2');
      const { ['net.sock.peer.addr']: _2, ...noSock } = noPeer;
      assert.equal(addressService(noSock), 'c:3');
      const { ['http.url']: _3, ...noHttpUrl } = noSock;
      assert.equal(addressService(noHttpUrl), 'd:4');
      const { ['server.address']: _4, ...noServer } = noHttpUrl;
      assert.equal(addressService(noServer), 'e:5');
      assert.equal(addressService({}), undefined);
    });

    it('the port attribute is appended as is; a URL drops its default port', () => {
      assert.equal(
        addressService({ 'server.address': 'api.example.com', 'server.port': 443 }),
        'api.example.com:443',
      );
      assert.equal(addressService({ 'server.address': 'api.example.com' }), 'api.example.com');
      assert.equal(addressService({ 'net.peer.name': 'api', 'net.peer.port': '' }), 'api');
      assert.equal(addressService({ 'url.full': 'https://api.example.com:443/v1' }), 'api.example.com');
      assert.equal(addressService({ 'url.full': '/relative' }), undefined);
    });

    it('instrumentation-http: host:port and METHOD /first-segment, not GET', () => {
      assert.deepEqual(
        remote({
          'http.request.method': 'GET',
          'server.address': '127.0.0.1',
          'server.port': 8080,
          'url.full': 'http://127.0.0.1:8080/users/42?x=1',
        }),
        ['127.0.0.1:8080', 'GET /users'],
      );
      assert.deepEqual(remote({ 'http.method': 'POST', 'http.url': 'http://legacy.example.com/orders' }), [
        'legacy.example.com',
        'POST /orders',
      ]);
    });
  });

  it('urlOperation: nothing without a URL; no placeholder is made up', () => {
    assert.equal(urlOperation({ 'http.request.method': 'GET' }), undefined);
    assert.equal(urlOperation({ 'url.full': 'garbage' }), undefined);
    assert.equal(urlOperation({ 'url.full': 'http://h/x/y' }), '/x');
    assert.deepEqual(remote({ 'http.request.method': 'GET' }), [undefined, undefined]);
    assert.deepEqual(remote({}), [undefined, undefined]);
  });

  it('non-string values are ignored', () => {
    assert.deepEqual(remote({ 'rpc.service': 5, 'rpc.method': ['x'], 'net.peer.name': 7 }), [
      undefined,
      undefined,
    ]);
    assert.deepEqual(remote({ 'db.system': 1, 'db.statement': 2 }), [undefined, undefined]);
  });
});
