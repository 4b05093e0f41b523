/**
 * Spans made by the real `@opentelemetry/instrumentation-aws-sdk` (0.78) and
 * `@opentelemetry/instrumentation-pg` (0.76), from auto-instrumentations-node 0.81, for real AWS SDK
 * v3 SQS / DynamoDB clients and real `pg` against local stubs (fixtures/instrumented-calls.cjs, in a
 * child process so the instrumentations patch the modules before anything loads them), translated
 * here: what today's instrumentations emit is what the translator must understand. The attribute
 * keys are asserted exactly, so a new instrumentation version that changes them fails here first.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { childEnv } from '../../../test/helpers/processes';
import { spanToSegments, type AttributesLike, type ReadableSpanLike, type Segment } from '../src';
import { COLLECTOR_EXACT, hrTime, schemaErrors } from './helpers';

interface FinishedSpan {
  name: string;
  kind: number;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message?: string };
  attributes: AttributesLike;
  events: { name: string; time: [number, number]; attributes?: AttributesLike }[];
  resource: AttributesLike;
}

type Scenarios = Record<'sqs' | 'dynamodb' | 'pgPool' | 'pgClient', FinishedSpan[]>;

const APP = path.join(__dirname, 'fixtures', 'instrumented-calls.cjs');
const AWS_SDK = '@opentelemetry/instrumentation-aws-sdk';
const PG = '@opentelemetry/instrumentation-pg';

function runCalls(semconvOptIn: string | undefined): Promise<Scenarios> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [APP],
      {
        cwd: path.resolve(__dirname, '../../..'),
        env: childEnv({
          OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'aws-sdk,pg',
          OTEL_SEMCONV_STABILITY_OPT_IN: semconvOptIn,
          NODE_NO_WARNINGS: '1',
        }),
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

function toSpan(finished: FinishedSpan): ReadableSpanLike {
  const context = { traceId: finished.traceId, spanId: finished.spanId, traceFlags: 1 };
  return {
    name: finished.name,
    kind: finished.kind,
    spanContext: () => context,
    parentSpanContext:
      finished.parentSpanId !== undefined
        ? { traceId: finished.traceId, spanId: finished.parentSpanId, isRemote: false }
        : undefined,
    startTime: hrTime(finished.startTimeUnixNano),
    endTime: hrTime(finished.endTimeUnixNano),
    status: finished.status,
    attributes: finished.attributes,
    events: finished.events,
    resource: { attributes: finished.resource },
  };
}

/** The one document of `span` (none of these is a LOCAL_ROOT span), schema-checked. */
function translate(span: FinishedSpan, options = {}): Segment {
  const docs = spanToSegments(toSpan(span), options);
  assert.equal(docs.length, 1);
  assert.equal(schemaErrors(docs[0]), undefined);
  return docs[0];
}

function spansOf(spans: FinishedSpan[], scope: string): FinishedSpan[] {
  return spans.filter((span) => span.scope === scope);
}

const keys = (span: FinishedSpan) => Object.keys(span.attributes).sort();

describe('the real aws-sdk and pg instrumentations, translated (child process)', function () {
  this.timeout(120_000);
  let scenarios: Scenarios;
  let dup: Scenarios;
  before(async () => {
    [scenarios, dup] = await Promise.all([runCalls(undefined), runCalls('database/dup,http/dup')]);
  });

  describe('instrumentation-aws-sdk', () => {
    const SQS_KEYS = [
      'aws.request.id',
      'cloud.region',
      'http.response.status_code',
      'messaging.destination.name',
      'messaging.system',
      'rpc.method',
      'rpc.service',
      'rpc.system',
      'url.full',
    ];

    it('writes cloud.region, aws.request.id and the queue URL as url.full on every SQS call', () => {
      const [send, receive, remove, failed] = spansOf(scenarios.sqs, AWS_SDK);
      assert.deepEqual(
        [send, receive, remove, failed].map((span) => [span.name, span.kind, span.attributes['rpc.method']]),
        [
          ['orders send', 3, 'SendMessage'],
          ['orders receive', 4, 'ReceiveMessage'],
          ['SQS.DeleteMessage', 2, 'DeleteMessage'],
          ['missing send', 3, 'SendMessage'],
        ],
      );
      assert.deepEqual(keys(send), [...SQS_KEYS, 'messaging.message.id'].sort());
      assert.deepEqual(
        keys(receive),
        [...SQS_KEYS, 'messaging.batch.message_count', 'messaging.operation.type'].sort(),
      );
      assert.deepEqual(keys(remove), SQS_KEYS);
      assert.deepEqual(keys(failed), SQS_KEYS);
      assert.match(String(send.attributes['url.full']), /^http:\/\/127\.0\.0\.1:\d+\/123456789012\/orders$/);
      assert.equal(send.attributes['cloud.region'], 'eu-west-1');
      assert.equal(send.attributes['aws.request.id'], 'REQ-1');
      // The same keys whatever OTEL_SEMCONV_STABILITY_OPT_IN says.
      assert.deepEqual(spansOf(dup.sqs, AWS_SDK).map(keys), [send, receive, remove, failed].map(keys));
    });

    it('SQS calls: region, request id and queue URL in the aws block, no request url', () => {
      const spans = spansOf(scenarios.sqs, AWS_SDK);
      for (const [index, span] of spans.entries()) {
        const doc = translate(span);
        assert.equal(doc.name, 'SQS');
        assert.equal(doc.namespace, 'aws');
        assert.equal(doc.aws?.operation, span.attributes['rpc.method']);
        assert.equal(doc.aws?.region, 'eu-west-1');
        assert.equal(doc.aws?.request_id, `REQ-${index + 1}`);
        assert.equal(doc.aws?.queue_url, span.attributes['url.full']);
        assert.equal(doc.http?.request.url, undefined);
        assert.equal(doc.http?.response.status, span.attributes['http.response.status_code']);
        for (const key of ['cloud.region', 'aws.request.id', 'url.full']) {
          assert.equal(doc.metadata?.default?.[key], undefined, `${span.name}: ${key} consumed`);
        }
      }
      const failed = translate(spans[3]);
      assert.equal(failed.error, true);
      assert.equal(failed.cause?.exceptions?.[0]?.message, 'The specified queue does not exist.');
    });

    it("with collector-exact options: the collector's blocks (no region, the queue URL as request url)", () => {
      const send = spansOf(scenarios.sqs, AWS_SDK)[0];
      const doc = translate(send, COLLECTOR_EXACT);
      assert.equal(doc.aws?.region, undefined);
      assert.equal(doc.aws?.request_id, undefined);
      assert.equal(doc.aws?.queue_url, undefined);
      assert.equal(doc.http?.request.url, send.attributes['url.full']);
    });

    it('DynamoDB GetItem: stable database keys with the table as db.namespace; named DynamoDB', () => {
      const [getItem] = spansOf(scenarios.dynamodb, AWS_SDK);
      assert.deepEqual(keys(getItem), [
        'aws.dynamodb.table_names',
        'aws.request.id',
        'cloud.region',
        'db.namespace',
        'db.operation.name',
        'db.system.name',
        'http.response.status_code',
        'rpc.method',
        'rpc.service',
        'rpc.system',
      ]);
      const doc = translate(getItem);
      assert.equal(doc.name, 'DynamoDB');
      assert.equal(doc.namespace, 'aws');
      assert.deepEqual(
        [doc.aws?.operation, doc.aws?.region, doc.aws?.request_id, doc.aws?.table_name],
        ['GetItem', 'eu-west-1', 'REQ-5', 'orders'],
      );
      assert.equal(doc.sql, undefined);
    });
  });

  describe('instrumentation-pg', () => {
    const CONNECTION_KEYS = ['db.namespace', 'db.system.name', 'server.address', 'server.port'];

    it('writes only the stable database keys (no user, no operation), in every opt-in mode', () => {
      const pool = spansOf(scenarios.pgPool, PG);
      assert.deepEqual(
        pool.map((span) => span.name),
        [
          'pg.connect',
          'pg-pool.connect',
          'pg.query:SELECT shop',
          'pg-pool.connect',
          'pg.query:order-by-id shop',
          'pg-pool.connect',
          'pg.query:SELEC shop',
        ],
      );
      assert.ok(pool.every((span) => span.kind === 2));
      assert.deepEqual(keys(pool[0]), CONNECTION_KEYS);
      assert.deepEqual(keys(pool[1]), [...CONNECTION_KEYS, 'db.postgresql.idle.timeout.millis'].sort());
      assert.deepEqual(keys(pool[2]), [...CONNECTION_KEYS, 'db.query.text'].sort());
      assert.deepEqual(keys(pool[4]), [...CONNECTION_KEYS, 'db.postgresql.plan', 'db.query.text'].sort());
      assert.deepEqual(pool[2].attributes['db.system.name'], 'postgresql');
      assert.deepEqual(pool[2].attributes['db.namespace'], 'shop');
      assert.deepEqual(pool[2].attributes['server.address'], '127.0.0.1');
      const client = spansOf(scenarios.pgClient, PG);
      assert.deepEqual(
        client.map((span) => [span.name, keys(span)]),
        [
          ['pg.connect', CONNECTION_KEYS],
          ['pg.query:SELECT shop', [...CONNECTION_KEYS, 'db.query.text'].sort()],
        ],
      );
      assert.deepEqual(spansOf(dup.pgPool, PG).map(keys), pool.map(keys));
      assert.deepEqual(spansOf(dup.pgClient, PG).map(keys), client.map(keys));
    });

    it('every pg span is a shop@127.0.0.1 subsegment with a sql block; queries carry the query', () => {
      for (const span of [...spansOf(scenarios.pgPool, PG), ...spansOf(scenarios.pgClient, PG)]) {
        const doc = translate(span);
        const url = `postgresql://127.0.0.1:${span.attributes['server.port']}/shop`;
        assert.equal(doc.name, 'shop@127.0.0.1', span.name);
        assert.equal(doc.namespace, 'remote');
        assert.equal(doc.sql?.url, url);
        assert.equal(doc.sql?.connection_string, url);
        assert.equal(doc.sql?.database_type, 'postgresql');
        assert.equal(doc.sql?.sanitized_query, span.attributes['db.query.text']);
        assert.equal(doc.http, undefined);
      }
      const failed = translate(spansOf(scenarios.pgPool, PG)[6]);
      assert.equal(failed.fault, true);
      // instrumentation-pg records a sanitized error (the code, not the message).
      assert.match(String(failed.cause?.exceptions?.[0]?.message), /42601/);
    });

    it('with collector-exact options: no sql block, named after the span (what the collector sends)', () => {
      const query = spansOf(scenarios.pgPool, PG)[2];
      const doc = translate(query, COLLECTOR_EXACT);
      assert.equal(doc.sql, undefined);
      assert.equal(doc.name, 'pg.query:SELECT shop');
      assert.equal(doc.metadata?.default?.['db.query.text'], 'SELECT id FROM orders');
    });
  });
});
