import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import fc from 'fast-check';
import { parseDatagram } from '../src/datagram';
import { MAX_DOCUMENT_BYTES, validateDocument, validateDocumentText } from '../src/validate';
import { KNOWN_BAD_FIXTURES, SHARED, segment, udpFixtures } from './helpers';

const sharedSchema = new Ajv04({ strict: false }).compile(
  JSON.parse(fs.readFileSync(path.join(SHARED, 'schema', 'xray-segment-schema.json'), 'utf8')),
);

function verdict(document: unknown): string {
  const result = validateDocument(document);
  return result.ok ? 'ok' : result.reason;
}

describe('validate', () => {
  it('accepts a minimal segment, an in-progress segment and an independent subsegment', () => {
    assert.equal(verdict(segment()), 'ok');
    const inProgress = segment({ in_progress: true });
    delete inProgress.end_time;
    assert.equal(verdict(inProgress), 'ok');
    assert.equal(
      verdict(segment({ type: 'subsegment', parent_id: '1234567890abcdef', namespace: 'remote' })),
      'ok',
    );
  });

  const table: [string, unknown, string, RegExp][] = [
    ['array', [], 'schema', /JSON object, got an array/],
    ['number', 3, 'schema', /JSON object, got 3/],
    ['missing name', { ...segment(), name: undefined }, 'missing-field', /^name is required/],
    ['null trace_id', segment({ trace_id: null }), 'missing-field', /trace_id is required/],
    [
      'missing end_time',
      { ...segment(), end_time: undefined },
      'missing-field',
      /end_time is required unless in_progress/,
    ],
    [
      'in_progress false, no end_time',
      { ...segment(), end_time: undefined, in_progress: false },
      'missing-field',
      /end_time/,
    ],
    [
      'independent subsegment without parent_id',
      segment({ type: 'subsegment' }),
      'missing-field',
      /parent_id is required/,
    ],
    [
      'short trace id',
      segment({ trace_id: '1-abc' }),
      'invalid-trace-id',
      /trace_id "1-abc" is not 1-<8 hex>-<24 hex>/,
    ],
    [
      'version 2 trace id',
      segment({ trace_id: '2-581cf771-a006649127e371903a2de979' }),
      'invalid-trace-id',
      /trace_id/,
    ],
    ['numeric trace id', segment({ trace_id: 5 }), 'invalid-trace-id', /trace_id 5/],
    ['short id', segment({ id: 'abc' }), 'invalid-id', /^id "abc" is not 16 hex digits/],
    ['non-hex parent id', segment({ parent_id: 'zzzzzzzzzzzzzzzz' }), 'invalid-id', /^parent_id/],
    [
      'subsegment id',
      segment({ subsegments: [{ name: 'a', id: 'x', start_time: 1, end_time: 2 }] }),
      'invalid-id',
      /subsegments\[0\]\.id/,
    ],
    [
      'subsegment without id',
      segment({ subsegments: [{ name: 'a', start_time: 1, end_time: 2 }] }),
      'missing-field',
      /subsegments\[0\]\.id is required/,
    ],
    [
      'subsegment without end',
      segment({ subsegments: [{ name: 'a', id: '1234567890abcdef', start_time: 1 }] }),
      'missing-field',
      /subsegments\[0\]\.end_time/,
    ],
    [
      'exception id',
      segment({ cause: { exceptions: [{ id: 'nope' }] } }),
      'invalid-id',
      /cause\.exceptions\[0\]\.id/,
    ],
    [
      'namespace',
      segment({ namespace: 'other' }),
      'schema',
      /namespace must be equal to one of the allowed values/,
    ],
    ['name characters', segment({ name: 'a*b' }), 'schema', /^name must match pattern/],
    ['name too long', segment({ name: 'a'.repeat(201) }), 'schema', /name must match pattern/],
    [
      'http status type',
      segment({ http: { response: { status: '200' } } }),
      'schema',
      /^http\.response\.status must be number/,
    ],
    [
      'url too long',
      segment({ http: { request: { url: 'x'.repeat(251) } } }),
      'schema',
      /http\.request\.url must NOT have more than 250/,
    ],
    [
      'annotation object value',
      segment({ annotations: { a: {} } }),
      'schema',
      /annotations\.a must be string,number,boolean/,
    ],
    [
      'annotation empty key',
      segment({ annotations: { '': 1 } }),
      'schema',
      /annotations must NOT have fewer than 1 characters/,
    ],
    [
      'metadata namespace not an object',
      segment({ metadata: { default: 1 } }),
      'schema',
      /metadata\.default must be object/,
    ],
    ['cause id length', segment({ cause: 'abc' }), 'schema', /cause/],
    [
      'nested subsegment name',
      segment({
        subsegments: [
          {
            name: 'a',
            id: '1234567890abcdef',
            start_time: 1,
            end_time: 2,
            subsegments: [{ name: '', id: '1234567890abcdef', start_time: 1, end_time: 2 }],
          },
        ],
      }),
      'schema',
      /subsegments\.0\.subsegments\.0\.name/,
    ],
    ['sql user', segment({ sql: { user: 'u'.repeat(251) } }), 'schema', /sql\.user/],
    [
      'aws deployment id',
      segment({ aws: { elastic_beanstalk: { deployment_id: 'x' } } }),
      'schema',
      /aws\.elastic_beanstalk\.deployment_id must be number/,
    ],
  ];
  for (const [name, document, reason, detail] of table) {
    it(`rejects: ${name}`, () => {
      const result = validateDocument(document);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.reason, reason);
        assert.match(result.detail, detail);
      }
    });
  }

  it('accepts dotted annotation keys (X-Ray since 2024), null stack lines (Node SDK) and Unicode names', () => {
    assert.equal(verdict(segment({ annotations: { 'http.route': '/x', n: 1, b: true } })), 'ok');
    assert.equal(
      verdict(
        segment({
          cause: { exceptions: [{ id: '1234567890abcdef', stack: [{ path: 'node', line: null }] }] },
        }),
      ),
      'ok',
    );
    assert.equal(verdict(segment({ name: 'Überdienst 服务 :/%&#=+\\-@_.' })), 'ok');
  });

  it('checks text: size (UTF-8 bytes), JSON', () => {
    const big = JSON.stringify(segment({ metadata: { default: { pad: 'é'.repeat(32000) } } }));
    assert.ok(big.length < MAX_DOCUMENT_BYTES && Buffer.byteLength(big) > MAX_DOCUMENT_BYTES);
    const tooLarge = validateDocumentText(big);
    assert.ok(
      !tooLarge.ok &&
        tooLarge.reason === 'too-large' &&
        /bytes, over the 64000-byte limit/.test(tooLarge.detail),
    );
    const exact = JSON.stringify(segment({ metadata: { default: { pad: '' } } }));
    const padded = exact.replace(
      '"pad":""',
      `"pad":"${'x'.repeat(MAX_DOCUMENT_BYTES - Buffer.byteLength(exact))}"`,
    );
    assert.equal(Buffer.byteLength(padded), MAX_DOCUMENT_BYTES);
    assert.ok(validateDocumentText(padded).ok);
    const json = validateDocumentText('{"name":');
    assert.ok(!json.ok && json.reason === 'invalid-json' && /not JSON/.test(json.detail));
  });

  it('never throws, even on documents nested deeper than the stack', () => {
    let deep: Record<string, unknown> = { name: 'x', id: '1234567890abcdef', start_time: 1, end_time: 2 };
    for (let i = 0; i < 20000; i++)
      deep = { name: 'x', id: '1234567890abcdef', start_time: 1, end_time: 2, subsegments: [deep] };
    const result = validateDocument({ ...segment(), subsegments: [deep] });
    assert.ok(!result.ok && result.reason === 'schema');
  });

  it('accepts every real SDK document in the wire fixtures except those X-Ray rejects too', () => {
    const rejected: Record<string, string> = {};
    for (const fixture of udpFixtures()) {
      const parsed = parseDatagram(fixture.bin);
      assert.ok(parsed.ok && parsed.body.kind === 'document');
      const result = validateDocumentText(parsed.body.text, parsed.body.bytes);
      if (!result.ok) rejected[fixture.name] = result.reason;
    }
    // Forwarded garbage trace headers (node-09 / py-07) and the 65,477-byte oversize documents.
    assert.deepEqual(rejected, KNOWN_BAD_FIXTURES);
  });

  it('agrees with the shared draft-04 schema on the fixture documents (our documented relaxations aside)', () => {
    for (const fixture of udpFixtures()) {
      const document = fixture.json.document;
      const ours = validateDocument(document);
      if (sharedSchema(document)) {
        assert.ok(ours.ok || KNOWN_BAD_FIXTURES[fixture.name], `${fixture.name}: ${JSON.stringify(ours)}`);
      } else if (ours.ok) {
        // Accepted by us, rejected by the old schema: only for the documented relaxations.
        const errors = (sharedSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
        for (const error of errors)
          assert.match(
            error,
            /\/annotations|\/stack\/\d+\/line|^\/(subsegments\/\d+\/)*cause /,
            `${fixture.name}: ${error}`,
          );
      }
    }
  });

  describe('generated documents (fast-check)', () => {
    const hex = (n: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
    const name = fc.string({
      unit: fc.constantFrom(...'abcXYZ09 _.:/%&#=+-@é'),
      minLength: 1,
      maxLength: 40,
    });
    const annotationKey = fc.string({ unit: fc.constantFrom(...'abcXYZ09_'), minLength: 1, maxLength: 20 });
    const annotationValue = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
    );
    const time = fc.double({ min: 1e9, max: 2e9, noNaN: true });
    const http = fc.record(
      {
        request: fc.record(
          {
            method: fc.constantFrom('GET', 'POST'),
            url: fc.webUrl(),
            client_ip: fc.ipV4(),
            x_forwarded_for: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        response: fc.record(
          { status: fc.integer({ min: 100, max: 599 }), content_length: fc.nat() },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    const exception = fc.record(
      {
        id: hex(16),
        message: fc.string(),
        type: fc.string(),
        remote: fc.boolean(),
        stack: fc.array(fc.record({ path: fc.string(), line: fc.nat(), label: fc.string() }), {
          maxLength: 3,
        }),
      },
      { requiredKeys: ['id'] },
    );
    const common = {
      id: hex(16),
      start_time: time,
      end_time: time,
      fault: fc.boolean(),
      error: fc.boolean(),
      throttle: fc.boolean(),
      http,
      annotations: fc.dictionary(annotationKey, annotationValue, { maxKeys: 4 }),
      metadata: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        { maxKeys: 2 },
      ),
      cause: fc.oneof(
        hex(16),
        fc.record(
          { working_directory: fc.string(), exceptions: fc.array(exception, { maxLength: 2 }) },
          { requiredKeys: [] },
        ),
      ),
    };
    const { subsegment } = fc.letrec<{ subsegment: Record<string, unknown> }>((tie) => ({
      subsegment: fc.record(
        {
          ...common,
          name,
          namespace: fc.constantFrom('local', 'remote', 'aws'),
          sql: fc.record(
            { url: fc.string(), sanitized_query: fc.string(), user: fc.string({ maxLength: 250 }) },
            { requiredKeys: [] },
          ),
          subsegments: fc.array(tie('subsegment'), { maxLength: 2, depthIdentifier: 'sub' }),
        },
        { requiredKeys: ['name', 'id', 'start_time', 'end_time'] },
      ),
    }));
    const document = fc.record(
      {
        ...common,
        name,
        trace_id: fc.tuple(hex(8), hex(24)).map(([a, b]) => `1-${a}-${b}`),
        user: fc.string({ maxLength: 250 }),
        origin: fc.constantFrom('AWS::EC2::Instance', 'AWS::ECS::Container'),
        service: fc.record({ version: fc.string() }),
        subsegments: fc.array(subsegment, { maxLength: 3 }),
      },
      { requiredKeys: ['name', 'id', 'trace_id', 'start_time', 'end_time'] },
    ) as fc.Arbitrary<Record<string, unknown>>;

    it('valid documents are accepted by ours and the shared schema', () => {
      fc.assert(
        fc.property(document, (doc) => {
          assert.ok(sharedSchema(doc), JSON.stringify(sharedSchema.errors));
          const ours = validateDocument(doc);
          assert.ok(ours.ok, JSON.stringify(ours));
        }),
        { numRuns: 300 },
      );
    });

    type Mutation = (doc: Record<string, unknown>) => void;
    const mutations: Record<string, Mutation> = {
      'short id': (d) => (d.id = String(d.id).slice(1)),
      'long id': (d) => (d.id = d.id + 'a'),
      'short trace id': (d) => (d.trace_id = '1-abc'),
      'no name': (d) => delete d.name,
      'no id': (d) => delete d.id,
      'no start_time': (d) => delete d.start_time,
      'no trace_id': (d) => delete d.trace_id,
      'string start_time': (d) => (d.start_time = '1'),
      'string end_time': (d) => (d.end_time = 'x'),
      'name pattern': (d) => (d.name = 'bad*name'),
      'empty name': (d) => (d.name = ''),
      'user type': (d) => (d.user = 1),
      'fault type': (d) => (d.fault = 'true'),
      'in_progress type': (d) => (d.in_progress = 1),
      'annotation object': (d) => (d.annotations = { k: { x: 1 } }),
      'annotation too long': (d) => (d.annotations = { k: 'x'.repeat(1001) }),
      'metadata array value': (d) => (d.metadata = { default: 1 }),
      'metadata type': (d) => (d.metadata = 'x'),
      'cause short': (d) => (d.cause = 'abc'),
      'exception no id': (d) => (d.cause = { exceptions: [{ message: 'm' }] }),
      'exception short id': (d) => (d.cause = { exceptions: [{ id: 'a' }] }),
      'stack line': (d) => (d.cause = { exceptions: [{ id: '1234567890abcdef', stack: [{ line: 'x' }] }] }),
      'http status': (d) => (d.http = { response: { status: '500' } }),
      'http url': (d) => (d.http = { request: { url: 'u'.repeat(251) } }),
      'subsegments type': (d) => (d.subsegments = {}),
      'subsegment no name': (d) => (d.subsegments = [{ id: '1234567890abcdef', start_time: 1, end_time: 2 }]),
      'subsegment no start': (d) => (d.subsegments = [{ name: 'a', id: '1234567890abcdef', end_time: 2 }]),
      'subsegment empty name': (d) =>
        (d.subsegments = [{ name: '', id: '1234567890abcdef', start_time: 1, end_time: 2 }]),
      'subsegment sql user': (d) =>
        (d.subsegments = [
          { name: 'a', id: '1234567890abcdef', start_time: 1, end_time: 2, sql: { user: 'u'.repeat(251) } },
        ]),
      'subsegment traced type': (d) =>
        (d.subsegments = [{ name: 'a', id: '1234567890abcdef', start_time: 1, end_time: 2, traced: 'yes' }]),
      'aws account type': (d) => (d.aws = { account_id: 1 }),
      'service version type': (d) => (d.service = { version: 1 }),
    };

    it('mutations the shared schema rejects are rejected by ours', () => {
      fc.assert(
        fc.property(document, fc.constantFrom(...Object.keys(mutations)), (doc, mutation) => {
          const mutated = structuredClone(doc);
          mutations[mutation](mutated);
          if (sharedSchema(mutated)) return; // e.g. deleting an absent field
          const ours = validateDocument(mutated);
          assert.equal(ours.ok, false, `${mutation}: ${JSON.stringify(mutated).slice(0, 300)}`);
        }),
        { numRuns: 500 },
      );
    });

    it('except the documented relaxation: dotted annotation keys', () => {
      fc.assert(
        fc.property(document, annotationKey, annotationKey, (doc, a, b) => {
          const mutated = { ...doc, annotations: { [`${a}.${b}`]: 1 } };
          assert.equal(sharedSchema(mutated), false);
          assert.ok(validateDocument(mutated).ok);
        }),
        { numRuns: 50 },
      );
    });
  });
});
