// Property-based fuzzing of the translator and its serializer (fast-check): hostile spans never make
// `spanToSegments` throw anything but `TranslationError`, every document is schema-valid, and every
// serialized document fits X-Ray's 64,000 bytes and parses back.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { isXRayName } from '../packages/core/src';
import { TranslationError, spanToSegments } from '../packages/translator/src';
import { MAX_SEGMENT_BYTES, serializeSegmentWithInfo } from '../packages/translator/src/serialize';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv04 = require('ajv-draft-04');

const SHARED = path.resolve(__dirname, '../../shared');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(SHARED, 'schema/xray-segment-schema.json'), 'utf8'));

// Seeded by default so a failure reproduces; FUZZ_SEED=random (or a number) explores further.
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 20260601);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

type Doc = Record<string, unknown>;

/**
 * The X-Ray schema with only the relaxations the collector's documented behaviour requires
 * (translator-spec.md §13.3, §18): annotation keys may keep `.` (allowDot, accepted by X-Ray since
 * 2024), and attribute values copied verbatim (annotation values, `http.request.*`, `user`) carry no
 * length limit. The name is not checked by the schema's pattern but by X-Ray's own rule, core's
 * `isXRayName` (1-200 Unicode letters, numbers, whitespace, `_.:/%&#=+\-@`; the 1.0.0 schema's
 * BMP-only list predates it): with the default `cleanNames` every name must meet it, hostile
 * name-source attributes included.
 */
function relaxedSchema(): Doc {
  const schema = structuredClone(SCHEMA);
  for (const target of [schema, schema.definitions.subsegment]) {
    target.properties.annotations.patternProperties = {
      '^[a-zA-Z0-9_.]{1,500}$': { type: ['string', 'number', 'boolean'] },
    };
    for (const field of Object.values(target.properties.http.properties.request.properties) as Doc[]) {
      delete field.maxLength;
    }
  }
  delete schema.properties.user.maxLength;
  // Checked with isXRayName instead (see above).
  delete schema.properties.name.pattern;
  return schema;
}
const ajv = new Ajv04({ allErrors: true, strict: false });
const validateStrict = ajv.compile(SCHEMA);
const validateRelaxed = ajv.compile(relaxedSchema());

function assertValid(validate: typeof validateStrict, doc: unknown, what: string): void {
  if (!validate(doc)) {
    assert.fail(
      `${what} is not schema-valid: ${JSON.stringify(validate.errors?.slice(0, 3)).slice(0, 2000)}`,
    );
  }
}

function assertSerializedOk(doc: object, validate: typeof validateStrict | undefined): boolean {
  const info = serializeSegmentWithInfo(doc);
  assert.ok(info.bytes <= MAX_SEGMENT_BYTES, `${info.bytes} bytes`);
  assert.equal(info.bytes, Buffer.byteLength(info.json, 'utf8'));
  assert.equal(Buffer.from(info.json, 'utf8').toString('utf8'), info.json, 'valid UTF-8');
  const parsed = JSON.parse(info.json);
  if (validate) assertValid(validate, parsed, 'serialized document');
  return info.truncated;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const HEX = [...'0123456789abcdef'];
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });
const nowEpochHex = () => Math.floor(Date.now() / 1000).toString(16);

/** Mostly ordinary strings (lone surrogates included), sometimes huge ones of one or two units. */
const hostileString = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('', '\ud800', '\udfff', 'a\udc00b', '😀', 'é', '\u0000', '"\\') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('a', '😀', '\ud800', 'é', '\u0000', '"', '中'),
        fc.integer({ min: 300, max: 150000 }),
      )
      .map(([unit, n]) => unit.repeat(n)),
  },
);

/** JSON-ish values: everything an attribute or metadata value could hold, nested. */
const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER + 2),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.uint8Array({ maxLength: 16 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
}));

/** An object nested `depth` levels deep (metadata bombs). */
const deepValue = fc.integer({ min: 10, max: 3000 }).map((depth) => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
  return value;
});

// ---------------------------------------------------------------------------------------------
// Part 1: the serializer over arbitrary documents

const annotationKey = fc.string({ unit: fc.constantFrom(...'abcXYZ019_'), minLength: 1, maxLength: 20 });
const stackFrame = fc.record({ path: hostileString, line: fc.nat(), label: hostileString });
const exception = fc.record(
  {
    id: hex(16),
    message: hostileString,
    type: hostileString,
    remote: fc.boolean(),
    truncated: fc.nat(100),
    stack: fc.oneof(
      fc.array(stackFrame, { maxLength: 20 }),
      fc
        .integer({ min: 100, max: 5000 })
        .map((n) =>
          Array.from({ length: n }, (_, i) => ({ path: `/srv/app/lib/f${i}.js`, line: i, label: `fn${i}` })),
        ),
    ),
  },
  { requiredKeys: ['id'] },
);
const manyAnnotations = fc
  .integer({ min: 0, max: 12000 })
  .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k_${i}`, i % 3 ? `v${i}` : i])));

const documentArb = fc.record(
  {
    name: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('checkout', 'GET /users/:id', 'DynamoDB') },
      { weight: 1, arbitrary: fc.constant('n'.repeat(1_000_000)) },
    ),
    id: hex(16),
    start_time: fc.double({ min: 1e9, max: 2e9, noNaN: true }),
    trace_id: hex(24).map((rest) => `1-${nowEpochHex()}-${rest}`),
    end_time: fc.double({ min: 1e9, max: 2e9, noNaN: true }),
    fault: fc.boolean(),
    error: fc.boolean(),
    throttle: fc.boolean(),
    parent_id: hex(16),
    type: fc.constant('subsegment'),
    namespace: fc.constantFrom('aws', 'remote'),
    user: hostileString,
    http: fc.record({
      request: fc.record({ method: hostileString, url: hostileString, user_agent: hostileString }),
      response: fc.record({ status: fc.nat(600), content_length: fc.nat() }),
    }),
    sql: fc.record({ url: hostileString, sanitized_query: hostileString, database_type: hostileString }),
    cause: fc.record({ exceptions: fc.array(exception, { maxLength: 4 }) }),
    annotations: fc.oneof(
      {
        weight: 6,
        arbitrary: fc.dictionary(annotationKey, fc.oneof(hostileString, fc.integer(), fc.boolean())),
      },
      { weight: 1, arbitrary: manyAnnotations },
    ),
    metadata: fc.dictionary(
      fc.string({ maxLength: 10 }),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(hostileValue, deepValue), { maxKeys: 6 }),
      { maxKeys: 4 },
    ),
    links: fc.array(
      fc.record({
        trace_id: fc.constant('1-5759e988-bd862e3fe1be46a994272793'),
        id: hex(16),
        attributes: fc.dictionary(fc.string(), hostileValue),
      }),
      { maxLength: 60 },
    ),
  },
  { requiredKeys: ['name', 'id', 'start_time', 'trace_id'] },
);

describe('translator fuzz', function () {
  this.timeout(120000);

  it('serializeSegment: any document fits, parses back, stays valid and is not mutated', () => {
    let runs = 0;
    let truncated = 0;
    let schemaValidInputs = 0;
    fc.assert(
      fc.property(documentArb, (doc) => {
        runs++;
        const before = JSON.stringify(doc);
        // Only documents valid before must be valid after; the fit must hold for all.
        const validBefore = validateStrict(JSON.parse(before));
        if (validBefore) schemaValidInputs++;
        if (assertSerializedOk(doc, validBefore ? validateStrict : undefined)) truncated++;
        assert.equal(JSON.stringify(doc), before, 'input not mutated');
      }),
      { seed: SEED, numRuns: Math.round(300 * SCALE) },
    );
    console.log(
      `      serializer fuzz: ${runs} documents, ${truncated} shrunk, ${schemaValidInputs} schema-valid inputs (seed ${SEED})`,
    );
  });

  it('serializeSegment: arbitrary values (not documents) never throw', () => {
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof(hostileValue, fc.object()), (value) => {
        runs++;
        assertSerializedOk(value as object, undefined);
      }),
      { seed: SEED, numRuns: Math.round(500 * SCALE) },
    );
    console.log(`      serializer fuzz: ${runs} arbitrary values`);
  });

  // -------------------------------------------------------------------------------------------
  // Part 2: spans through spanToSegments, then the serializer

  it('spanToSegments: hostile spans give schema-valid documents or a TranslationError', () => {
    let runs = 0;
    let documents = 0;
    let truncated = 0;
    const errors: Record<string, number> = {};
    fc.assert(
      fc.property(spanArb, optionsArb, (span, options) => {
        runs++;
        let docs: Doc[];
        try {
          docs = spanToSegments(span, options) as unknown as Doc[];
        } catch (error) {
          if (!(error instanceof TranslationError)) throw error;
          const reason = String(error.reason);
          // The translator wraps unexpected exceptions as 'unreadable-span'; these spans have no
          // throwing getters, so that reason here means a bug in a rule.
          assert.notEqual(reason, 'unreadable-span', error.message);
          errors[reason] = (errors[reason] ?? 0) + 1;
          return;
        }
        assert.ok(Array.isArray(docs) && docs.length >= 1 && docs.length <= 2, `${docs.length} documents`);
        for (const doc of docs) {
          documents++;
          assert.ok(isXRayName(doc.name), `name X-Ray rejects: ${JSON.stringify(doc.name)}`);
          const plain = JSON.parse(JSON.stringify(doc));
          assertValid(validateRelaxed, plain, 'document');
          if (assertSerializedOk(doc, validateRelaxed)) truncated++;
        }
      }),
      { seed: SEED, numRuns: Math.round(400 * SCALE) },
    );
    console.log(
      `      span fuzz: ${runs} spans, ${documents} documents, ${truncated} shrunk, TranslationErrors ${JSON.stringify(errors)} (seed ${SEED})`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Spans

// OpenTelemetry SDKs drop attributes with an empty key, so random keys are non-empty (with
// index-all an empty key would become an empty annotation key, which the schema rejects).
const attributeKey = fc.string({ minLength: 1, maxLength: 12 });

// Characters X-Ray allows in a name, for the attributes used as the name (§3)...
const nameSafe = fc.string({
  unit: fc.constantFrom(...'abcXYZ09 _.:/%&#=+-@é中'),
  minLength: 1,
  maxLength: 60,
});
// ...and names X-Ray rejects (`cleanNames` must clean them), sometimes longer than 200 characters.
const nameSource = fc.oneof(
  { weight: 3, arbitrary: nameSafe },
  { weight: 1, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom('orders (prod)', 'AWS.SDK.Dynamo(DB)', '()', 'x'.repeat(300), 'a\tb\\c'),
  },
);

const traceIdArb = fc.oneof(
  { weight: 16, arbitrary: hex(24).map((rest) => nowEpochHex() + rest) },
  // Valid shape, old epoch (accepted unless timestamp validation is on).
  { weight: 2, arbitrary: hex(24).map((rest) => '5759e988' + rest) },
  { weight: 1, arbitrary: fc.constantFrom('0'.repeat(32), 'xyz', '', '4BF92F3577B34DA6A3CE929D0E0E4736') },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const spanIdArb = fc.oneof(
  { weight: 18, arbitrary: hex(16) },
  { weight: 1, arbitrary: fc.constantFrom('0'.repeat(16), 'nothex!!nothex!!', '') },
);
const hrTimeArb = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.tuple(fc.integer({ min: 1.7e9, max: 1.9e9 }), fc.integer({ min: 0, max: 999999999 })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom(NaN, Infinity, -Infinity, -5, 0, 1e300),
      fc.constantFrom(NaN, -1, 0, 5e9),
    ),
  },
);

const jsStack = (frames: number) =>
  'TypeError: boom\n' +
  Array.from(
    { length: frames },
    (_, i) => `    at handler${i} (/srv/app/src/routes/r${i}.js:${i + 10}:${i % 80})`,
  ).join('\n');
const stacktraceArb = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map(jsStack),
  fc.integer({ min: 1000, max: 20000 }).map(jsStack),
  fc.constant(
    'java.lang.IllegalStateException: bad\n\tat com.example.App.main(App.java:12)\n\tat java.base/Thread.run(Thread.java:833)',
  ),
  fc.constant(
    'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    main()\nValueError: x',
  ),
  hostileString,
);
const exceptionEvent = fc.record({
  name: fc.constant('exception'),
  time: hrTimeArb,
  attributes: fc.record(
    {
      'exception.type': hostileString,
      'exception.message': hostileString,
      'exception.stacktrace': stacktraceArb,
      'exception.escaped': fc.boolean(),
    },
    { requiredKeys: [] },
  ),
});
const otherEvent = fc.record({
  name: fc.constantFrom('message', 'HTTP request failure', 'log', ''),
  time: hrTimeArb,
  attributes: fc.dictionary(
    fc.constantFrom('message.type', 'message.uncompressed_size', 'http.response.status_code', 'x'),
    hostileValue,
  ),
});

// Keys the rules look at (§3, §8–§13), with hostile values; the name sources get name-safe ones.
const NAME_KEYS = [
  'aws.local.service',
  'aws.remote.service',
  'peer.service',
  'aws.service',
  'db.name',
  'rpc.service',
  'http.host',
  'net.peer.name',
];
const RULE_KEYS = [
  'http.request.method',
  'http.method',
  'url.full',
  'http.url',
  'url.path',
  'url.query',
  'url.scheme',
  'http.scheme',
  'http.target',
  'server.address',
  'server.port',
  'http.server_name',
  'net.host.port',
  'http.response.status_code',
  'http.status_code',
  'user_agent.original',
  'http.user_agent',
  'client.address',
  'http.client_ip',
  'net.peer.ip',
  'http.route',
  'network.protocol.version',
  'http.response_content_length',
  'http.response.body.size',
  'http.response.header.content-length',
  'http.request.header.authorization',
  'http.request.header.cookie',
  'process.command_line',
  'aws.span.kind',
  'rpc.system',
  'rpc.method',
  'aws.operation',
  'aws.region',
  'aws.request_id',
  'aws.requestId',
  'aws.queue_url',
  'aws.table_name',
  'aws.dynamodb.table_names',
  'db.system',
  'db.statement',
  'db.user',
  'db.connection_string',
  'enduser.id',
  'aws.xray.annotations',
  'aws.xray.metadata.default',
  'aws.xray.metadata.custom',
  'aws.remote.operation',
  'aws.local.operation',
  'messaging.system',
  'error.type',
  'otel.status_code',
];
const ruleValue = fc.oneof(
  { weight: 3, arbitrary: hostileValue },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'GET',
      'aws-api',
      'LOCAL_ROOT',
      'mysql',
      'https',
      200,
      404,
      429,
      503,
      '{"a":{"b":1}}',
      'jdbc:mysql://db.example.com:3306',
    ),
  },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }) },
);
const attributesArb = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...NAME_KEYS), nameSource, { maxKeys: 3 }),
    fc.dictionary(fc.constantFrom(...RULE_KEYS), ruleValue, { maxKeys: 12 }),
    fc.dictionary(attributeKey, hostileValue, { maxKeys: 6 }),
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 5000 }) },
    ),
    fc.option(deepValue, { freq: 8 }),
  )
  .map(([names, rules, random, many, deep]) => {
    const attributes: Doc = { ...random, ...rules, ...names };
    for (let i = 0; i < many; i++) attributes[`bulk.attr_${i}`] = i % 2 ? `value ${i}` : i;
    if (deep !== null) attributes['deep.value'] = deep;
    return attributes;
  });
const resourceArb = fc.record({
  attributes: fc
    .tuple(
      fc.record(
        {
          'service.name': nameSource,
          'service.version': hostileString,
          'cloud.provider': fc.constantFrom('aws', 'gcp', '', 'AWS'),
          'cloud.platform': fc.constantFrom(
            'aws_ecs',
            'aws_eks',
            'aws_ec2',
            'aws_lambda',
            'aws_elastic_beanstalk',
            'aws_app_runner',
            'x',
          ),
          'aws.ecs.launchtype': fc.constantFrom('fargate', 'ec2', 'FARGATE'),
          'aws.log.group.names': fc.oneof(fc.array(fc.string(), { maxLength: 3 }), hostileString),
          'aws.log.group.arns': fc.array(
            fc.constantFrom('arn:aws:logs:us-east-1:123456789012:log-group:g:*', 'bad'),
            { maxLength: 3 },
          ),
          'telemetry.sdk.language': fc.constantFrom('nodejs', 'java', 'python', 'go', 'x'),
          'k8s.cluster.name': hostileString,
          'container.image.tag': hostileString,
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 4 }),
    )
    .map(([known, random]) => ({ ...random, ...known })),
});
const contextArb = fc.record({
  traceId: traceIdArb,
  spanId: spanIdArb,
  traceFlags: fc.constantFrom(0, 1),
  isRemote: fc.boolean(),
});

const spanArb = fc
  .record({
    name: fc.oneof(hostileString, nameSafe),
    kind: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom(99, -1, NaN, 2.5) },
    ),
    context: contextArb,
    parent: fc.option(contextArb, { freq: 2 }),
    startTime: hrTimeArb,
    endTime: hrTimeArb,
    status: fc.record({
      code: fc.oneof(fc.constantFrom(0, 1, 2), fc.constantFrom(7, -1, NaN)),
      message: fc.option(hostileString),
    }),
    attributes: attributesArb,
    links: fc.array(
      fc.record({
        context: contextArb,
        attributes: fc.option(fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 4 })),
      }),
      { maxLength: 4 },
    ),
    events: fc.array(fc.oneof(exceptionEvent, otherEvent), { maxLength: 4 }),
    resource: resourceArb,
    scope: fc.record({ name: fc.string(), version: fc.option(fc.string()) }),
  })
  .map((s) => ({
    name: s.name,
    kind: s.kind,
    spanContext: () => ({ traceId: s.context.traceId, spanId: s.context.spanId, traceFlags: 1 }),
    parentSpanContext: s.parent ?? undefined,
    startTime: s.startTime,
    endTime: s.endTime,
    status: { code: s.status.code, message: s.status.message ?? undefined },
    attributes: s.attributes,
    links: s.links.map((l) => ({ context: l.context, attributes: l.attributes ?? undefined })),
    events: s.events,
    resource: s.resource,
    instrumentationScope: { name: s.scope.name, version: s.scope.version ?? undefined },
    ended: true,
    duration: [0, 1000] as [number, number],
  }));

const optionsArb = fc.record(
  {
    indexAllAttributes: fc.boolean(),
    indexedAttributes: fc.array(
      fc.constantFrom('http.route', 'bulk.attr_1', 'otel.resource.service.name', 'x', 'deep.value'),
      { maxLength: 3 },
    ),
    skipTimestampValidation: fc.boolean(),
    allowDot: fc.boolean(),
    redact: fc.oneof(fc.boolean(), fc.constant(['x-tenant-token', 'x'])),
  },
  { requiredKeys: [] },
);
