// The AWS resources the real apps use, created once in moto by the test (with the AWS SDK v3 in
// the test process, which no tracer patches): the same names in every run, so documents compare.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface AwsResources {
  table: string;
  bucket: string;
  queueUrl: string;
  topicArn: string;
}

export async function createAwsResources(motoUrl: string): Promise<AwsResources> {
  const config = {
    region: 'us-east-1',
    endpoint: motoUrl,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const table = 'orders';
  const bucket = 'receipts';
  const dynamodb = new DynamoDBClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }));
    return { table, bucket, queueUrl: QueueUrl!, topicArn: TopicArn! };
  } finally {
    for (const client of [dynamodb, s3, sqs, sns]) client.destroy();
  }
}
