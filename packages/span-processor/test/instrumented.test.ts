// The processor with the real upstream instrumentations (instrumentation-http, -express, -aws-sdk)
// and a real AWS SDK v3 DynamoDB client, in a child process (fixtures/instrumented-app.cjs) so the
// instrumentations patch their modules before anything loads them. The child prints the finished
// spans and the translator's documents for each; the assertions are here.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { childEnv } from '../../../test/helpers/processes';

interface Document {
  name: string;
  id: string;
  type?: string;
  namespace?: string;
  parent_id?: string;
}

interface FinishedSpan {
  name: string;
  kind: number;
  scope: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  segments: Document[];
}

type Scenarios = Record<'httpClient' | 'rootClient' | 'express' | 'dynamodb', FinishedSpan[]>;

const APP = path.join(__dirname, 'fixtures', 'instrumented-app.cjs');
const SERVER = 1;
const CLIENT = 2;

function runApp(): Promise<Scenarios> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [APP],
      {
        cwd: path.resolve(__dirname, '../../..'),
        // No OTEL_*/AWS_* of the parent (OTEL_AWS_XRAY_REDACT, AWS_LAMBDA_FUNCTION_NAME ...).
        env: childEnv({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,aws-sdk', NODE_NO_WARNINGS: '1' }),
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${APP} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Scenarios);
      },
    );
  });
}

function find(spans: FinishedSpan[], predicate: (span: FinishedSpan) => boolean, what: string): FinishedSpan {
  const span = spans.find(predicate);
  assert.ok(span, `no ${what} among ${spans.map((s) => `${s.scope}:${s.name}`).join(', ')}`);
  return span;
}

describe('AWSXRaySpanProcessor with the upstream instrumentations (child process)', function () {
  this.timeout(90_000);
  let scenarios: Scenarios;
  before(async () => {
    scenarios = await runApp();
  });

  it('instrumentation-http client call to an uninstrumented server: the subsegment is named host:port', () => {
    const client = find(scenarios.httpClient, (span) => span.kind === CLIENT, 'client span');
    assert.equal(client.name, 'GET');
    const port = String(client.attributes['server.port']);
    assert.equal(client.attributes['aws.span.kind'], 'CLIENT');
    assert.equal(client.attributes['aws.local.service'], 'orders prod');
    assert.equal(client.attributes['aws.local.operation'], 'InternalOperation');
    assert.equal(client.attributes['aws.remote.service'], `127.0.0.1:${port}`);
    assert.equal(client.attributes['aws.remote.operation'], 'GET /users');
    const [subsegment, ...more] = client.segments;
    assert.equal(more.length, 0);
    assert.equal(subsegment.name, `127.0.0.1:${port}`);
    assert.equal(subsegment.type, 'subsegment');
    assert.equal(subsegment.namespace, 'remote');
    // The local root it ran in: a segment named after the service.
    const job = find(scenarios.httpClient, (span) => span.name === 'handle-job', 'handle-job');
    assert.equal(job.attributes['aws.span.kind'], 'LOCAL_ROOT');
    assert.equal(job.segments[0].name, 'orders prod');
  });

  it('redacts the captured authorization header and the access_token in url.full', () => {
    const client = find(scenarios.httpClient, (span) => span.kind === CLIENT, 'client span');
    assert.deepEqual(client.attributes['http.request.header.authorization'], ['REDACTED']);
    assert.match(String(client.attributes['url.full']), /\?access_token=REDACTED&page=2$/);
    const everything = JSON.stringify(scenarios);
    assert.ok(!everything.includes('secret-token'), 'the token left the process');
    assert.ok(!everything.includes('Bearer secret'), 'the authorization header left the process');
  });

  it('a root CLIENT span: LOCAL_ROOT, so a segment named after the service plus the dependency subsegment', () => {
    const [client] = scenarios.rootClient;
    assert.equal(client.kind, CLIENT);
    assert.equal(client.parentSpanId, undefined);
    assert.equal(client.attributes['aws.span.kind'], 'LOCAL_ROOT');
    const [dependency, service] = client.segments;
    assert.equal(service.name, 'orders prod');
    assert.equal(service.type, undefined);
    assert.equal(dependency.name, client.attributes['aws.remote.service']);
    assert.match(dependency.name, /^127\.0\.0\.1:\d+$/);
    assert.equal(dependency.type, 'subsegment');
    assert.equal(dependency.parent_id, service.id);
  });

  it('express: the SERVER span is LOCAL_ROOT with GET /users/:id, and a call made while routed inherits it', () => {
    const server = find(scenarios.express, (span) => span.kind === SERVER, 'server span');
    assert.equal(server.name, 'GET /users/:id');
    assert.equal(server.attributes['aws.span.kind'], 'LOCAL_ROOT');
    assert.equal(server.attributes['aws.local.operation'], 'GET /users/:id');
    assert.equal(server.segments[0].name, 'orders prod');
    const call = find(scenarios.express, (span) => span.kind === CLIENT, 'client span in the handler');
    assert.equal(call.attributes['aws.local.operation'], 'GET /users/:id');
    assert.equal(call.attributes['aws.remote.operation'], 'GET /profile');
  });

  it('AWS SDK v3 DynamoDB GetItem: AWS::DynamoDB, GetItem and the table', () => {
    const call = find(
      scenarios.dynamodb,
      (span) => span.scope === '@opentelemetry/instrumentation-aws-sdk',
      'SDK span',
    );
    assert.equal(call.name, 'DynamoDB.GetItem');
    assert.equal(call.attributes['aws.remote.service'], 'AWS::DynamoDB');
    assert.equal(call.attributes['aws.remote.operation'], 'GetItem');
    assert.equal(call.attributes['aws.remote.resource.type'], 'AWS::DynamoDB::Table');
    assert.equal(call.attributes['aws.remote.resource.identifier'], 'orders');
    // A root SDK call (a script): the dependency subsegment is DynamoDB in the aws namespace.
    assert.equal(call.attributes['aws.span.kind'], 'LOCAL_ROOT');
    const [dependency, service] = call.segments;
    assert.equal(dependency.name, 'DynamoDB');
    assert.equal(dependency.namespace, 'aws');
    assert.equal(service.name, 'orders prod');
  });
});
