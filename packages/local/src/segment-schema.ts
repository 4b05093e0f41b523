/**
 * The schema xray-local checks segment documents with: AWS's published segment document schema
 * (`xray-segment-schema.json`, JSON Schema draft-04), loaded as it is, plus our overlay, applied in
 * code at load time. The build copies AWS's file into `build/schema/` (scripts/build-assets.mjs), so
 * the installed package carries it.
 *
 * The overlay (each step says why; the README lists them too):
 *  - annotation keys: any key of 1-500 characters is accepted, not only `[A-Za-z0-9_]`.
 *  - stack frame `line` may be `null`.
 *  - `namespace` must be `local`, `remote` or `aws` wherever it appears.
 *  - one entity shape: a segment and a subsegment accept each other's fields, and their `http`,
 *    `aws` and `sql` blocks are the same (the union of what AWS defines in either place).
 *  - `http.request.traced` must be a boolean.
 *  - segment `name`: X-Ray's documented characters as Unicode classes.
 * Ids and the trace ID are checked in code (validate.ts) before the schema, with their own reasons.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Schema = Record<string, unknown>;

/**
 * Where the build puts AWS's schema. `..` from `build/` (the compiled module) and from `src/` (tests
 * run from source) both lead to the package folder.
 */
export const AWS_SEGMENT_SCHEMA_FILE = path.resolve(
  __dirname,
  '..',
  'build',
  'schema',
  'xray-segment-schema.json',
);

/** X-Ray segment names: Unicode letters, digits, whitespace and `_ . : / % & # = + \ - @`, 1-200 characters. */
export const SEGMENT_NAME_PATTERN = '^[\\p{L}\\p{Z}\\p{N}_.:/%&#=+\\\\\\-@]{1,200}$';

export interface SchemaOverlayStep {
  /** What the step changes, in the words of the README's table. */
  change: string;
  /** Why we differ from AWS's file. */
  reason: string;
  /** Changes `schema` (a copy of AWS's) in place; throws when AWS's file no longer has the expected shape. */
  apply(schema: Schema): void;
}

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The object at `keys` under `schema`, or a clear error naming the path that AWS's file lacks. */
function at(schema: Schema, ...keys: string[]): Schema {
  let node: unknown = schema;
  for (let i = 0; i < keys.length; i++) {
    node = isSchema(node) ? node[keys[i]] : undefined;
    if (!isSchema(node)) {
      const where = keys.slice(0, i + 1).join('.');
      throw new Error(`AWS's segment schema has no object at ${where}: the overlay needs updating`);
    }
  }
  return node as Schema;
}

/** The top-level (segment) and subsegment property maps. */
function entityProperties(schema: Schema): Schema[] {
  return [at(schema, 'properties'), at(schema, 'definitions', 'subsegment', 'properties')];
}

/** `{ properties }` of both blocks merged, each side's definition kept where both define a field. */
function unionOfProperties(a: Schema, b: Schema): Schema {
  const properties = { ...at(b, 'properties'), ...at(a, 'properties') };
  return { ...b, ...a, properties };
}

export const SEGMENT_SCHEMA_OVERLAY: readonly SchemaOverlayStep[] = [
  {
    change: 'annotation keys: any key of 1-500 characters (values unchanged: string, number or boolean)',
    reason:
      'X-Ray accepts dotted keys since 2024 (translator-spec §18) and real SDKs send other keys ' +
      'unvalidated (wire fixtures node-01, py-deb095-01: `bad key-with.chars`); only `[A-Za-z0-9_]` ' +
      'keys work in filter expressions',
    apply(schema) {
      for (const properties of entityProperties(schema)) {
        const annotations = at(properties, 'annotations');
        const patterns = at(annotations, 'patternProperties');
        const [value] = Object.values(patterns);
        if (!isSchema(value)) throw new Error("AWS's segment schema: annotations have no value schema");
        properties.annotations = {
          type: 'object',
          propertyNames: { minLength: 1, maxLength: 500 },
          additionalProperties: value,
        };
      }
    },
  },
  {
    change: 'stack frame `line`: an integer or `null`',
    reason: 'the Node SDK writes `null` for `node:internal` frames (xray-protocol §2.6)',
    apply(schema) {
      at(schema, 'definitions', 'stackFrame', 'properties').line = { type: ['integer', 'null'] };
    },
  },
  {
    change: '`namespace`: `local`, `remote` or `aws`, in segments and subsegments',
    reason: "the X-Ray service's rule (translator-spec §19); AWS's file only says string",
    apply(schema) {
      for (const properties of entityProperties(schema))
        properties.namespace = { enum: ['local', 'remote', 'aws'] };
    },
  },
  {
    change:
      "one entity shape: segments and subsegments accept each other's fields; `http`, `aws` and `sql` " +
      'blocks are the union of both places',
    reason:
      'a subsegment sent on its own (`type: "subsegment"`) is checked by the top-level schema, so it ' +
      'needs `namespace`, `sql`, `traced`, `precursor_ids`; and SDKs write the same blocks in both ' +
      "places (a segment's `aws.region`, a subsegment's `http.request.x_forwarded_for`)",
    apply(schema) {
      const [segment, subsegment] = entityProperties(schema);
      for (const block of ['http', 'aws']) {
        const union = unionOfProperties(at(segment, block), at(subsegment, block));
        if (block === 'http') {
          for (const part of ['request', 'response'])
            at(union, 'properties')[part] = unionOfProperties(
              at(segment, block, 'properties', part),
              at(subsegment, block, 'properties', part),
            );
        }
        segment[block] = union;
        subsegment[block] = structuredClone(union);
      }
      for (const [key, definition] of Object.entries(subsegment))
        if (!(key in segment)) segment[key] = structuredClone(definition);
      for (const [key, definition] of Object.entries(segment))
        if (!(key in subsegment)) subsegment[key] = structuredClone(definition);
      // X-Ray files an embedded subsegment under its segment's trace ID (checked in validate.ts), so a
      // subsegment's own `trace_id` is only type-checked, not held to the segment's format.
      subsegment.trace_id = { type: at(segment, 'trace_id').type };
    },
  },
  {
    change: '`http.request.traced`: a boolean',
    reason:
      "the X-Ray developer guide defines it (a subsegment calling another traced service); AWS's " +
      'file does not list it, so any value would pass',
    apply(schema) {
      for (const properties of entityProperties(schema))
        at(properties, 'http', 'properties', 'request', 'properties').traced = { type: 'boolean' };
    },
  },
  {
    change: 'segment `name`: Unicode letters, numbers, whitespace and `_ . : / % & # = + \\ - @`, 1-200',
    reason:
      "the X-Ray developer guide's rule, with Unicode property classes: AWS's pattern enumerates the " +
      'letters of an old Unicode version and its JSON escaping drops the backslash the guide lists',
    apply(schema) {
      at(schema, 'properties', 'name').pattern = SEGMENT_NAME_PATTERN;
    },
  },
];

/** AWS's schema with our overlay applied (a new object; `aws` is not changed). */
export function applySegmentSchemaOverlay(aws: Schema): Schema {
  const schema = structuredClone(aws);
  for (const step of SEGMENT_SCHEMA_OVERLAY) step.apply(schema);
  schema.description =
    'AWS X-Ray segment document (segment or independent subsegment), as xray-local accepts it';
  return schema;
}

/** AWS's schema as the build copied it; a clear error when the build step did not run. */
export function loadAwsSegmentSchema(file: string = AWS_SEGMENT_SCHEMA_FILE): Schema {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `xray-local: AWS's segment schema is missing (${(error as Error).message}); the build copies it ` +
        'from ../shared/schema/ (npm run build)',
    );
  }
  const schema: unknown = JSON.parse(text);
  if (!isSchema(schema)) throw new Error(`xray-local: ${file} is not a JSON schema object`);
  return schema;
}

/** The schema object (JSON Schema draft-04): AWS's file plus the overlay. */
export const segmentSchema: Schema = applySegmentSchemaOverlay(loadAwsSegmentSchema());
