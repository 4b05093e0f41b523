/**
 * Our JSON schema (draft-07, compiled with ajv) of an X-Ray segment document, written from the X-Ray
 * rules (xray-protocol.md §2, translator-spec.md §18-19) so the package works installed alone. It
 * follows AWS's published draft-04 schema with these deliberate differences:
 *  - annotation keys: any key of 1-500 characters is accepted. X-Ray accepts dotted keys since 2024
 *    (translator-spec §18), and real SDKs send other keys unvalidated (fixtures node-01, py-deb095-01:
 *    `bad key-with.chars`); only `[A-Za-z0-9_]` keys work in filter expressions.
 *  - stack frame `line` may be `null`: the Node SDK writes it for `node:internal` frames (§2.6).
 *  - `namespace` must be `local`, `remote` or `aws` wherever it appears (the receiver's rule, §19).
 *  - `aws`, `sql` and `http` blocks have the same shape in segments and subsegments.
 * Ids and the trace ID are checked in code (validate.ts), with their own rejection reasons.
 */

const string = { type: 'string' } as const;
const string250 = { type: 'string', maxLength: 250 } as const;
const number = { type: 'number' } as const;
const boolean = { type: 'boolean' } as const;

/** X-Ray segment names: Unicode letters, digits, whitespace and `_ . : / % & # = + \ - @`, 1-200 characters. */
export const SEGMENT_NAME_PATTERN = '^[\\p{L}\\p{Z}\\p{N}_.:/%&#=+\\\\\\-@]{1,200}$';

const cause = {
  anyOf: [
    { type: 'string', minLength: 16, maxLength: 16 },
    {
      type: 'object',
      properties: {
        working_directory: string,
        paths: { type: 'array', items: string },
        exceptions: { type: 'array', items: { $ref: '#/definitions/exception' } },
      },
    },
  ],
};

const http = {
  type: 'object',
  properties: {
    request: {
      type: 'object',
      properties: {
        method: string250,
        client_ip: string250,
        url: string250,
        user_agent: string250,
        x_forwarded_for: boolean,
        traced: boolean,
      },
    },
    response: { type: 'object', properties: { status: number, content_length: number } },
  },
};

const aws = {
  type: 'object',
  properties: {
    account_id: string,
    operation: string,
    region: string,
    request_id: string,
    queue_url: string,
    table_name: string,
    ecs: { type: 'object', properties: { container: string } },
    ec2: { type: 'object', properties: { instance_id: string, availability_zone: string } },
    elastic_beanstalk: {
      type: 'object',
      properties: { environment_name: string, version_label: string, deployment_id: number },
    },
    tracing: { type: 'object', properties: { sdk: string } },
  },
};

const sql = {
  type: 'object',
  properties: {
    connection_string: string,
    url: string,
    sanitized_query: string,
    database_type: string,
    database_version: string,
    driver_version: string,
    user: string250,
    preparation: string,
  },
};

/** Fields a segment and a subsegment share. */
const entityProperties = {
  id: string,
  parent_id: string,
  trace_id: string,
  start_time: number,
  end_time: number,
  in_progress: boolean,
  fault: boolean,
  error: boolean,
  throttle: boolean,
  user: string250,
  resource_arn: string,
  origin: string,
  type: string,
  namespace: { enum: ['local', 'remote', 'aws'] },
  traced: boolean,
  precursor_ids: { type: 'array', items: string },
  cause,
  annotations: {
    type: 'object',
    propertyNames: { minLength: 1, maxLength: 500 },
    additionalProperties: { type: ['string', 'number', 'boolean'], maxLength: 1000 },
  },
  metadata: { type: 'object', additionalProperties: { type: 'object' } },
  subsegments: { type: 'array', items: { $ref: '#/definitions/subsegment' } },
  http,
  aws,
  sql,
  service: { type: 'object', properties: { version: string } },
};

/** The schema object (JSON Schema draft-07). */
export const segmentSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/xray-otel/local/segment-document.json',
  description: 'AWS X-Ray segment document (segment or independent subsegment), as xray-local accepts it',
  type: 'object',
  required: ['name', 'id', 'start_time', 'trace_id'],
  properties: { ...entityProperties, name: { type: 'string', pattern: SEGMENT_NAME_PATTERN } },
  definitions: {
    subsegment: {
      type: 'object',
      required: ['name', 'id', 'start_time'],
      properties: { ...entityProperties, name: { type: 'string', minLength: 1 } },
    },
    exception: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', minLength: 16, maxLength: 16 },
        message: string,
        type: string,
        remote: boolean,
        truncated: { type: 'integer' },
        skipped: { type: 'integer' },
        cause: string,
        stack: { type: 'array', items: { $ref: '#/definitions/stackFrame' } },
      },
    },
    stackFrame: {
      type: 'object',
      properties: { path: string, line: { type: ['integer', 'null'] }, label: string },
    },
  },
} as const;
