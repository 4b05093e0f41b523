import * as assert from 'node:assert/strict';
import {
  arnResourceName,
  databaseConnection,
  escapeDelimiters,
  lambdaFunctionName,
  remoteResource,
  sqsQueueName,
  type RemoteResource,
} from '../src/resource';

const SDK = { 'rpc.system': 'aws-api' };

function resourceOf(attributes: Record<string, unknown>): RemoteResource | undefined {
  const out: RemoteResource = { type: '', identifier: '' };
  return remoteResource(attributes, out) ? out : undefined;
}

describe('resource', () => {
  it('escapeDelimiters: | → ^|, ^ → ^^, and the same string when neither is there', () => {
    assert.equal(escapeDelimiters('a|b^c'), 'a^|b^^c');
    const plain = 'orders';
    assert.equal(escapeDelimiters(plain), plain);
  });

  it('arnResourceName: the last part of a regional ARN with a 12-digit account', () => {
    assert.equal(arnResourceName('arn:aws:sns:us-east-1:123456789012:orders'), 'orders');
    assert.equal(arnResourceName('arn:aws:states:us-east-1:123456789012:stateMachine:checkout'), 'checkout');
    assert.equal(arnResourceName('arn:aws:sns:us-east-1:12345:orders'), undefined);
    assert.equal(arnResourceName('arn:aws:sns:us-east-1:123456789012'), undefined);
    assert.equal(arnResourceName('orders'), undefined);
    assert.equal(arnResourceName(42), undefined);
  });

  it('lambdaFunctionName: name, partial or full ARN, with or without qualifier', () => {
    assert.equal(lambdaFunctionName('resize'), 'resize');
    assert.equal(lambdaFunctionName('resize:prod'), 'resize');
    assert.equal(lambdaFunctionName('123456789012:function:resize'), 'resize');
    assert.equal(lambdaFunctionName('arn:aws:lambda:us-east-1:123456789012:function:resize'), 'resize');
    assert.equal(lambdaFunctionName('arn:aws:lambda:us-east-1:123456789012:function:resize:7'), 'resize');
    assert.equal(lambdaFunctionName(':odd'), ':odd');
  });

  it('sqsQueueName: https://sqs.<region>.amazonaws.com/<account>/<name>', () => {
    assert.equal(sqsQueueName('https://sqs.us-east-1.amazonaws.com/123456789012/orders'), 'orders');
    assert.equal(sqsQueueName('https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo'), 'orders.fifo');
    assert.equal(sqsQueueName('sqs.us-east-1.amazonaws.com/123456789012/my_queue-1'), 'my_queue-1');
    assert.equal(sqsQueueName('https://sqs.us-east-1.amazonaws.com/1234/orders'), undefined);
    assert.equal(sqsQueueName('https://sqs.us-east-1.amazonaws.com/123456789012/or$ders'), undefined);
    assert.equal(sqsQueueName('https://sqs.us-east-1.amazonaws.com/123456789012/.fifo'), undefined);
    assert.equal(
      sqsQueueName('https://sqs.us-east-1.amazonaws.com/123456789012/' + 'q'.repeat(81)),
      undefined,
    );
    assert.equal(sqsQueueName('https://sqs.us-east-1.amazonaws.com/123456789012/a/b'), undefined);
  });

  describe('AWS SDK calls', () => {
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      [
        'DynamoDB, one table',
        { 'rpc.service': 'DynamoDB', 'aws.dynamodb.table_names': ['orders'] },
        'AWS::DynamoDB::Table',
        'orders',
      ],
      [
        'DynamoDB table ARN (ADOT patch)',
        { 'aws.dynamodb.table.arn': 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' },
        'AWS::DynamoDB::Table',
        'orders',
      ],
      ['Kinesis stream name', { 'aws.kinesis.stream.name': 'clicks' }, 'AWS::Kinesis::Stream', 'clicks'],
      [
        'Kinesis stream ARN',
        { 'aws.kinesis.stream.arn': 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks' },
        'AWS::Kinesis::Stream',
        'clicks',
      ],
      ['S3 bucket', { 'rpc.service': 'S3', 'aws.s3.bucket': 'assets|eu' }, 'AWS::S3::Bucket', 'assets^|eu'],
      [
        'SNS topic',
        { 'aws.sns.topic.arn': 'arn:aws:sns:us-east-1:123456789012:orders' },
        'AWS::SNS::Topic',
        'orders',
      ],
      [
        'Secrets Manager',
        { 'aws.secretsmanager.secret.arn': 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' },
        'AWS::SecretsManager::Secret',
        'db-AbCdEf',
      ],
      [
        'Step Functions state machine',
        {
          'aws.step_functions.state_machine.arn':
            'arn:aws:states:us-east-1:123456789012:stateMachine:checkout',
        },
        'AWS::StepFunctions::StateMachine',
        'checkout',
      ],
      [
        'Step Functions activity',
        { 'aws.step_functions.activity.arn': 'arn:aws:states:us-east-1:123456789012:activity:approve' },
        'AWS::StepFunctions::Activity',
        'approve',
      ],
      [
        'Lambda Invoke (faas.invoked_name)',
        {
          'rpc.service': 'Lambda',
          'rpc.method': 'Invoke',
          'faas.invoked_name': 'arn:aws:lambda:us-east-1:123456789012:function:resize',
        },
        'AWS::Lambda::Function',
        'resize',
      ],
      [
        'Lambda (ADOT patch name)',
        { 'rpc.service': 'Lambda', 'rpc.method': 'GetFunction', 'aws.lambda.function.name': 'resize' },
        'AWS::Lambda::Function',
        'resize',
      ],
      [
        'Lambda event source mapping',
        { 'rpc.service': 'Lambda', 'aws.lambda.resource_mapping.id': 'uuid-1' },
        'AWS::Lambda::EventSourceMapping',
        'uuid-1',
      ],
      ['SQS queue name (ADOT patch)', { 'aws.sqs.queue.name': 'orders' }, 'AWS::SQS::Queue', 'orders'],
      [
        'SQS queue URL (ADOT patch)',
        { 'aws.sqs.queue.url': 'https://sqs.us-east-1.amazonaws.com/123456789012/orders' },
        'AWS::SQS::Queue',
        'orders',
      ],
      [
        'SQS (instrumentation-aws-sdk: messaging.destination.name)',
        {
          'rpc.service': 'SQS',
          'messaging.destination.name': 'orders',
          'url.full': 'http://localhost:4566/000000000000/orders',
        },
        'AWS::SQS::Queue',
        'orders',
      ],
      ['Bedrock agent', { 'aws.bedrock.agent.id': 'A1' }, 'AWS::Bedrock::Agent', 'A1'],
      ['Bedrock data source', { 'aws.bedrock.data_source.id': 'D1' }, 'AWS::Bedrock::DataSource', 'D1'],
      ['Bedrock guardrail', { 'aws.bedrock.guardrail.id': 'G1' }, 'AWS::Bedrock::Guardrail', 'G1'],
      [
        'Bedrock knowledge base',
        { 'aws.bedrock.knowledge_base.id': 'K1' },
        'AWS::Bedrock::KnowledgeBase',
        'K1',
      ],
      [
        'Bedrock model',
        { 'gen_ai.request.model': 'anthropic.claude' },
        'AWS::Bedrock::Model',
        'anthropic.claude',
      ],
    ];
    for (const [what, attributes, type, identifier] of cases)
      it(`${what} → ${type} ${identifier}`, () => {
        assert.deepEqual(resourceOf({ ...SDK, ...attributes }), { type, identifier });
      });

    it('none when the call names no single resource', () => {
      assert.equal(resourceOf({ ...SDK, 'aws.dynamodb.table_names': ['a', 'b'] }), undefined);
      assert.equal(resourceOf({ ...SDK, 'aws.dynamodb.table_names': [''] }), undefined);
      assert.equal(resourceOf({ ...SDK, 'aws.dynamodb.table.arn': 'not-an-arn' }), undefined);
      assert.equal(resourceOf({ ...SDK, 'aws.sns.topic.arn': 'orders' }), undefined);
      assert.equal(resourceOf({ ...SDK, 'aws.sqs.queue.url': 'http://localhost:4566/orders' }), undefined);
      assert.equal(resourceOf({ ...SDK, 'rpc.service': 'Lambda', 'rpc.method': 'ListFunctions' }), undefined);
      assert.equal(resourceOf({ ...SDK, 'rpc.service': 'S3', 'rpc.method': 'ListBuckets' }), undefined);
      // messaging.destination.name is a queue only on SQS calls.
      assert.equal(
        resourceOf({ ...SDK, 'rpc.service': 'SNS', 'messaging.destination.name': 'x' }),
        undefined,
      );
    });

    it('the scratch object is left alone when there is no resource', () => {
      const out: RemoteResource = { type: 'T', identifier: 'I' };
      assert.equal(remoteResource({ ...SDK }, out), false);
      assert.deepEqual(out, { type: 'T', identifier: 'I' });
    });
  });

  describe('database connections (DB::Connection)', () => {
    it('[db.name|]address[|port] from server.address, net.peer.name, server.socket.address, the connection string', () => {
      assert.deepEqual(
        resourceOf({
          'db.system': 'postgresql',
          'db.name': 'shop',
          'server.address': 'db',
          'server.port': 5432,
        }),
        {
          type: 'DB::Connection',
          identifier: 'shop|db|5432',
        },
      );
      assert.equal(
        databaseConnection({ 'db.namespace': 'shop', 'net.peer.name': 'db', 'net.peer.port': 3306 }),
        'shop|db|3306',
      );
      assert.equal(
        databaseConnection({ 'server.socket.address': '10.0.0.5', 'server.socket.port': 6379 }),
        '10.0.0.5|6379',
      );
      assert.equal(
        databaseConnection({ 'db.connection_string': 'jdbc:mysql://DB.example.com:3306/shop' }),
        'db.example.com|3306',
      );
      assert.equal(
        databaseConnection({ 'db.connection_string': 'mongodb://db.example.com/x' }),
        'db.example.com',
      );
      assert.equal(databaseConnection({ 'db.name': 'a|b', 'server.address': 'h^1' }), 'a^|b|h^^1');
    });

    it('no address, no resource', () => {
      assert.equal(resourceOf({ 'db.system': 'postgresql', 'db.name': 'shop' }), undefined);
      assert.equal(databaseConnection({ 'server.address': 5 }), undefined);
      assert.equal(databaseConnection({ 'net.peer.name': 5 }), undefined);
      assert.equal(databaseConnection({ 'server.socket.address': 5 }), undefined);
      assert.equal(databaseConnection({ 'db.connection_string': 'Server=db;Database=shop' }), undefined);
      assert.equal(resourceOf({ 'server.address': 'db' }), undefined, 'not a database span');
    });
  });
});
