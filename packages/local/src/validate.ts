/**
 * Validation of one received segment document, as X-Ray would judge it (xray-protocol.md §2,
 * translator-spec.md §19): JSON object, at most 64,000 bytes, required fields, trace ID and id
 * formats, then the structure (AWS's schema with our overlay, segment-schema.ts). Never throws.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import { isObject, MAX_DOCUMENT_BYTES } from '@xray-otel/core';
import type { SegmentDocument } from './types';
import { segmentSchema } from './segment-schema';

/** Largest document accepted, in UTF-8 bytes (xray-protocol.md §1.3: "keep each document <= 64,000"). */
export { MAX_DOCUMENT_BYTES };

/** Rejection reasons of this module. */
export type ValidationReason =
  'invalid-json' | 'too-large' | 'schema' | 'missing-field' | 'invalid-trace-id' | 'invalid-id';

export type ValidationResult =
  { ok: true; document: SegmentDocument } | { ok: false; reason: ValidationReason; detail: string };

const TRACE_ID = /^1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}$/;
const ID = /^[0-9a-fA-F]{16}$/;
const REQUIRED = ['name', 'id', 'start_time', 'trace_id'] as const;

let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  // AWS's file is draft-04; `strict: false` because it carries keywords of its own (`java_pattern`).
  compiled ??= new Ajv04({ allErrors: false, strict: false }).compile(segmentSchema);
  return compiled;
}

type Failure = { ok: false; reason: ValidationReason; detail: string };
const fail = (reason: ValidationReason, detail: string): Failure => ({ ok: false, reason, detail });

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

function checkId(value: unknown, path: string): Failure | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !ID.test(value))
    return fail('invalid-id', `${path} ${show(value)} is not 16 hex digits`);
  return undefined;
}

/** Ids, exception ids and the end_time/in_progress rule of one entity and its embedded subsegments. */
function checkEntity(entity: Record<string, unknown>, path: string, topLevel: boolean): Failure | undefined {
  const failure = checkId(entity.id, path + 'id') ?? checkId(entity.parent_id, path + 'parent_id');
  if (failure) return failure;
  if (!topLevel && (entity.id === undefined || entity.id === null))
    return fail('missing-field', `${path}id is required`);
  if (entity.end_time === undefined && entity.in_progress !== true) {
    return fail('missing-field', `${path}end_time is required unless ${path}in_progress is true`);
  }
  const cause = entity.cause;
  if (isObject(cause) && Array.isArray(cause.exceptions)) {
    for (let i = 0; i < cause.exceptions.length; i++) {
      const exception: unknown = cause.exceptions[i];
      if (isObject(exception)) {
        const bad = checkId(exception.id, `${path}cause.exceptions[${i}].id`);
        if (bad) return bad;
      }
    }
  }
  if (Array.isArray(entity.subsegments)) {
    for (let i = 0; i < entity.subsegments.length; i++) {
      const subsegment: unknown = entity.subsegments[i];
      if (!isObject(subsegment)) continue; // the schema names it
      const bad = checkEntity(subsegment, `${path}subsegments[${i}].`, false);
      if (bad) return bad;
    }
  }
  return undefined;
}

function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'document does not match the segment schema';
  // The deepest error is the most specific one (an `anyOf` reports its branches first).
  let best = errors[0];
  for (const error of errors) if (error.instancePath.length > best.instancePath.length) best = error;
  const where = best.instancePath === '' ? 'document' : best.instancePath.slice(1).replace(/\//g, '.');
  let message = best.message ?? 'is invalid';
  if (best.keyword === 'enum')
    message += ' ' + show((best.params as { allowedValues?: unknown }).allowedValues);
  return `${where} ${message}`;
}

/** Validate a parsed document. */
export function validateDocument(value: unknown): ValidationResult {
  try {
    if (!isObject(value))
      return fail(
        'schema',
        `document must be a JSON object, got ${Array.isArray(value) ? 'an array' : show(value)}`,
      );
    for (const field of REQUIRED) {
      if (value[field] === undefined || value[field] === null)
        return fail('missing-field', `${field} is required`);
    }
    if (value.type === 'subsegment' && (value.parent_id === undefined || value.parent_id === null)) {
      return fail('missing-field', 'parent_id is required on an independent subsegment (type "subsegment")');
    }
    const traceId = value.trace_id;
    if (typeof traceId !== 'string' || !TRACE_ID.test(traceId)) {
      return fail('invalid-trace-id', `trace_id ${show(traceId)} is not 1-<8 hex>-<24 hex>`);
    }
    const bad = checkEntity(value, '', true);
    if (bad) return bad;
    const validate = schemaValidator();
    if (!validate(value)) return fail('schema', describeSchemaError(validate.errors));
    return { ok: true, document: value };
  } catch (error) {
    // Only a pathological document gets here (e.g. subsegments nested deeper than the stack).
    return fail('schema', 'document could not be validated: ' + String(error));
  }
}

/** Validate the text of a document; `bytes` is its UTF-8 size when already known. */
export function validateDocumentText(
  text: string,
  bytes: number = Buffer.byteLength(text, 'utf8'),
): ValidationResult {
  if (bytes > MAX_DOCUMENT_BYTES)
    return fail('too-large', `document is ${bytes} bytes, over the ${MAX_DOCUMENT_BYTES}-byte limit`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('invalid-json', `document is not JSON: ${(error as Error).message}`);
  }
  return validateDocument(value);
}
