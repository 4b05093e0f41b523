/** The segment schema: AWS's file as the build copies it, and each step of our overlay with its effect. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import {
  applySegmentSchemaOverlay,
  AWS_SEGMENT_SCHEMA_FILE,
  loadAwsSegmentSchema,
  SEGMENT_SCHEMA_OVERLAY,
  segmentSchema,
} from '../src/segment-schema';
import { SHARED, segment } from './helpers';

const awsText = fs.readFileSync(path.join(SHARED, 'schema', 'xray-segment-schema.json'), 'utf8');
const aws = JSON.parse(awsText);
const compile = (schema: object) => new Ajv04({ strict: false }).compile(schema);
const awsValidate = compile(aws);
const oursValidate = compile(segmentSchema);

const subsegment = (extra: Record<string, unknown> = {}) => ({
  name: 'db',
  id: '1234567890abcdef',
  start_time: 1,
  end_time: 2,
  ...extra,
});
const independent = (extra: Record<string, unknown> = {}) =>
  segment({ type: 'subsegment', parent_id: '1234567890abcdef', ...extra });
const embedded = (extra: Record<string, unknown>) => segment({ subsegments: [subsegment(extra)] });

/** Per overlay step (by position): documents whose verdict the step changes, and our verdict. */
const WITNESSES: Array<Array<[Record<string, unknown>, boolean]>> = [
  [
    [segment({ annotations: { 'http.route': '/x', 'key-with chars': true } }), true],
    [embedded({ annotations: { 'a.b': 1 } }), true],
  ],
  [
    [
      segment({ cause: { exceptions: [{ id: '1234567890abcdef', stack: [{ path: 'x', line: null }] }] } }),
      true,
    ],
  ],
  [
    [independent({ namespace: 'other' }), false],
    [embedded({ namespace: 'other' }), false],
  ],
  [
    [independent({ sql: { user: 'u'.repeat(251) } }), false],
    [independent({ precursor_ids: 'abc' }), false],
    [segment({ aws: { region: 1 } }), false],
    [embedded({ aws: { ecs: { container: 1 } } }), false],
    [embedded({ http: { request: { x_forwarded_for: 'yes' } } }), false],
    [embedded({ user: 1 }), false],
    [embedded({ service: { version: 2 } }), false],
  ],
  [
    [segment({ http: { request: { traced: 'yes' } } }), false],
    [embedded({ http: { request: { traced: 1 } } }), false],
  ],
  [
    [segment({ name: 'C:\\svc' }), true],
    [segment({ name: '𞤀𞤁 service' }), true], // Adlam letters: newer than AWS's enumerated ranges
  ],
];

describe('segment-schema', () => {
  it("loads AWS's file exactly as ../shared has it (the build copies it into build/schema/)", async () => {
    // The compiled module, by path: `npm run lint` type-checks the tests before anything is built.
    const compiled = path.join(__dirname, '..', 'build', 'segment-schema.js');
    const built = (await import(compiled)) as { AWS_SEGMENT_SCHEMA_FILE: string };
    assert.equal(
      AWS_SEGMENT_SCHEMA_FILE,
      path.resolve(__dirname, '..', 'build', 'schema', 'xray-segment-schema.json'),
    );
    // The compiled module (what an installed package runs) looks in the same place, inside the package.
    assert.equal(built.AWS_SEGMENT_SCHEMA_FILE, AWS_SEGMENT_SCHEMA_FILE);
    assert.equal(fs.readFileSync(AWS_SEGMENT_SCHEMA_FILE, 'utf8'), awsText);
    assert.deepEqual(loadAwsSegmentSchema(), aws);
    assert.equal(segmentSchema.$schema, 'http://json-schema.org/draft-04/schema#');
    assert.deepEqual(segmentSchema.required, aws.required);
  });

  it('says how to get the schema when it is missing, and refuses a file that is not a schema', () => {
    const missing = path.join(os.tmpdir(), `no-such-${process.pid}`, 'xray-segment-schema.json');
    assert.throws(() => loadAwsSegmentSchema(missing), /segment schema is missing .*npm run build/);
    const array = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schema-')), 'x.json');
    fs.writeFileSync(array, '[]');
    assert.throws(() => loadAwsSegmentSchema(array), /is not a JSON schema object/);
  });

  it("applies every step to a copy, leaving AWS's object as it was", () => {
    const before = structuredClone(aws);
    const ours = applySegmentSchemaOverlay(aws);
    assert.deepEqual(aws, before);
    assert.deepEqual(ours, segmentSchema);
    for (const step of SEGMENT_SCHEMA_OVERLAY) {
      assert.ok(step.change.length > 0 && step.reason.length > 20, step.change);
      const copy = structuredClone(aws);
      step.apply(copy);
      assert.notDeepEqual(copy, aws, `no effect: ${step.change}`);
    }
  });

  it('names the missing part when AWS changes the shape the overlay relies on', () => {
    const withoutStackFrame = structuredClone(aws);
    delete withoutStackFrame.definitions.stackFrame;
    assert.throws(
      () => applySegmentSchemaOverlay(withoutStackFrame),
      /no object at definitions\.stackFrame: the overlay needs updating/,
    );
    const withoutAnnotations = structuredClone(aws);
    delete withoutAnnotations.properties.annotations;
    assert.throws(() => applySegmentSchemaOverlay(withoutAnnotations), /no object at annotations/);
  });

  assert.equal(WITNESSES.length, SEGMENT_SCHEMA_OVERLAY.length);
  SEGMENT_SCHEMA_OVERLAY.forEach((step, index) => {
    it(`overlay: ${step.change}`, () => {
      // Everything but this step: the witnesses get AWS's verdict back, so the step is what differs.
      const others = structuredClone(aws);
      SEGMENT_SCHEMA_OVERLAY.forEach((other, i) => i !== index && other.apply(others));
      const withoutStep = compile(others);
      for (const [document, verdict] of WITNESSES[index]) {
        const text = JSON.stringify(document).slice(0, 200);
        assert.equal(oursValidate(document), verdict, `ours: ${text}`);
        assert.equal(awsValidate(document), !verdict, `AWS: ${text}`);
        assert.equal(withoutStep(document), !verdict, `without the step: ${text}`);
      }
    });
  });
});
