// The X-Amzn-Trace-Id value as data: every parsing and formatting rule lives here, as pure functions
// (spec/xray-protocol.md §8). The propagators only move these fields in and out of a Context.
//
// The parser walks the string with indexOf/charCodeAt instead of split/regex: it runs on every
// incoming request and allocates only the strings it keeps (bench/propagator.bench.mjs).
import {
  EXTRA_FIELDS_BUDGET,
  LINEAGE_KEY,
  MAX_LINEAGE_LENGTH,
  MAX_TRACE_HEADER_LENGTH,
  PARENT_KEY,
  ROOT_KEY,
  SAMPLED_KEY,
  SELF_KEY,
  SPAN_ID_LENGTH,
  XRAY_TRACE_ID_LENGTH,
  XRAY_TRACE_ID_VERSION,
} from './constants';
import { toXRayTraceId } from '@xray-otel/core';

/** One application field (`Key=Value`) carried through unchanged. */
export type TraceHeaderField = readonly [key: string, value: string];

/** The fields of an X-Amzn-Trace-Id header, ids in OpenTelemetry form. */
export interface TraceHeaderFields {
  /** 32 lower-case hex digits: the X-Ray `Root` `1-<8 hex>-<24 hex>` without version and dashes. */
  traceId: string;
  /** 16 lower-case hex digits; `undefined` when the header has no `Parent` (load balancer). */
  parentId?: string;
  /** `Sampled=1` -> true, `Sampled=0` -> false; `?`, absent or any other value -> undefined (undecided). */
  sampled?: boolean;
  /** The `Lineage` field, verbatim, only if valid (see `isValidLineage`). */
  lineage?: string;
  /** Other `Key=Value` fields in header order, within `EXTRA_FIELDS_BUDGET`. `Self` is never kept. */
  extraFields?: readonly TraceHeaderField[];
}

/** Receives why a header (or one of its fields) was not used; the propagators rate-limit it to diag. */
export type TraceHeaderProblemReporter = (problem: string) => void;

const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const DASH = 0x2d;
const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_A = 0x61;
const LOWER_F = 0x66;
const UPPER_A = 0x41;
const UPPER_F = 0x46;
const VISIBLE_FIRST = 0x21;
const VISIBLE_LAST = 0x7e;
const CASE_BIT = 0x20;

const ROOT_LOWER = ROOT_KEY.toLowerCase();
const PARENT_LOWER = PARENT_KEY.toLowerCase();
const SAMPLED_LOWER = SAMPLED_KEY.toLowerCase();
const LINEAGE_LOWER = LINEAGE_KEY.toLowerCase();
const SELF_LOWER = SELF_KEY.toLowerCase();
const ALL_ZERO_TRACE_ID = '00000000000000000000000000000000';
const ALL_ZERO_SPAN_ID = '0000000000000000';
// Positions inside `1-<8 hex>-<24 hex>`.
const EPOCH_START = 2;
const SECOND_DASH = 10;
const RANDOM_START = 11;
// Lineage `<counter 0-32767>:<8 hex>:<counter 0-255>` (OTel JS propagator's check, §8.1).
const LINEAGE_REQUEST_COUNTER_MAX = 32767;
const LINEAGE_LOOP_COUNTER_MAX = 255;
const LINEAGE_HASH_LENGTH = 8;
// Lineage `<8 hex>:<counter>|...` (developer guide example); counters are short decimals.
const LINEAGE_ENTRY_COUNTER_MAX_DIGITS = 5;

function noProblem(): void {}

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB;
}

function isHexDigit(code: number): boolean {
  return (
    (code >= DIGIT_0 && code <= DIGIT_9) ||
    (code >= LOWER_A && code <= LOWER_F) ||
    (code >= UPPER_A && code <= UPPER_F)
  );
}

function isUpperHexLetter(code: number): boolean {
  return code >= UPPER_A && code <= UPPER_F;
}

/** Case-insensitive compare of `value[start, start + lowerName.length)` with an all-letters lower-case name. */
function keyIs(value: string, start: number, length: number, lowerName: string): boolean {
  if (length !== lowerName.length) return false;
  for (let i = 0; i < length; i++) {
    // Setting the case bit maps exactly {x, X} onto x for ASCII letters, the only characters in our names.
    if ((value.charCodeAt(start + i) | CASE_BIT) !== lowerName.charCodeAt(i)) return false;
  }
  return true;
}

/** `1-<8 hex>-<24 hex>` at value[start, end) -> 32 lower-case hex, or undefined (also for all zero). */
function traceIdFromRoot(value: string, start: number, end: number): string | undefined {
  if (end - start !== XRAY_TRACE_ID_LENGTH) return undefined;
  if (value.charCodeAt(start) !== XRAY_TRACE_ID_VERSION.charCodeAt(0)) return undefined;
  if (value.charCodeAt(start + 1) !== DASH || value.charCodeAt(start + SECOND_DASH) !== DASH)
    return undefined;
  let upper = false;
  for (let i = start + EPOCH_START; i < end; i++) {
    if (i === start + SECOND_DASH) continue;
    const code = value.charCodeAt(i);
    if (!isHexDigit(code)) return undefined;
    if (isUpperHexLetter(code)) upper = true;
  }
  let traceId =
    value.substring(start + EPOCH_START, start + SECOND_DASH) + value.substring(start + RANDOM_START, end);
  if (upper) traceId = traceId.toLowerCase();
  return traceId === ALL_ZERO_TRACE_ID ? undefined : traceId;
}

/** 16 hex at value[start, end) -> lower-case span id, or undefined (also for all zero). */
function spanIdFrom(value: string, start: number, end: number): string | undefined {
  if (end - start !== SPAN_ID_LENGTH) return undefined;
  let upper = false;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (!isHexDigit(code)) return undefined;
    if (isUpperHexLetter(code)) upper = true;
  }
  let spanId = value.substring(start, end);
  if (upper) spanId = spanId.toLowerCase();
  return spanId === ALL_ZERO_SPAN_ID ? undefined : spanId;
}

/** Decimal digits at value[start, end): their number, or -1 when empty, too long or not digits. */
function decimalAt(value: string, start: number, end: number, maxDigits: number): number {
  if (end <= start || end - start > maxDigits) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code < DIGIT_0 || code > DIGIT_9) return -1;
    n = n * 10 + (code - DIGIT_0);
  }
  return n;
}

function isHexRun(value: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isHexDigit(value.charCodeAt(i))) return false;
  return true;
}

/**
 * Both Lineage formats of spec §8.1:
 * - `<counter 0-32767>:<8 hex>:<counter 0-255>` (what the OTel JS propagator accepts, e.g. `10:1234abcd:3`);
 * - `<8 hex>:<counter>` entries joined by `|` (developer guide, e.g. `a87bd80c:1|68fd508a:5|c512fbe3:2`),
 *   counters of 1 to 5 decimal digits.
 */
export function isValidLineage(lineage: string): boolean {
  const length = lineage.length;
  if (length === 0 || length > MAX_LINEAGE_LENGTH) return false;
  const first = lineage.indexOf(':');
  if (first < 0) return false;
  const second = lineage.indexOf(':', first + 1);
  if (second >= 0 && lineage.indexOf('|') < 0) {
    const request = decimalAt(lineage, 0, first, 5);
    const loop = decimalAt(lineage, second + 1, length, 3);
    return (
      request >= 0 &&
      request <= LINEAGE_REQUEST_COUNTER_MAX &&
      second - first - 1 === LINEAGE_HASH_LENGTH &&
      isHexRun(lineage, first + 1, second) &&
      loop >= 0 &&
      loop <= LINEAGE_LOOP_COUNTER_MAX
    );
  }
  let start = 0;
  while (start <= length) {
    let end = lineage.indexOf('|', start);
    if (end < 0) end = length;
    const colon = start + LINEAGE_HASH_LENGTH;
    if (colon >= end || lineage.charCodeAt(colon) !== COLON) return false;
    if (!isHexRun(lineage, start, colon)) return false;
    if (decimalAt(lineage, colon + 1, end, LINEAGE_ENTRY_COUNTER_MAX_DIGITS) < 0) return false;
    if (end === length) return true;
    start = end + 1;
  }
  return false;
}

/** Application field keys are visible ASCII without `=`, `;` and `,`, so they re-emit safely. */
function isFieldKey(value: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code < VISIBLE_FIRST || code > VISIBLE_LAST || code === EQUALS) return false;
  }
  return true;
}

/** Application field values: visible ASCII and inner spaces (no control characters: header injection). */
function isFieldValue(value: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if ((code < VISIBLE_FIRST && code !== SPACE) || code > VISIBLE_LAST) return false;
  }
  return true;
}

/**
 * Parses an X-Amzn-Trace-Id value. Never throws. Returns undefined for anything that does not carry a
 * valid `Root` (and, if present, a valid `Parent`), reporting why through `report`.
 *
 * Accepted (what real senders send, spec §8.2): fields in any order; spaces and tabs around `;` and
 * `=`; keys in any case; upper-case hex (normalised to lower); duplicate keys (the last one wins);
 * empty fields, a trailing `;` and fields without `=` (ignored); a value containing `=` (kept whole).
 * A `,` ends the header: that is how HTTP joins repeated header lines (RFC 9110 §5.3), and only the
 * first line is read.
 */
export function parseTraceHeaderReporting(
  value: unknown,
  report: TraceHeaderProblemReporter,
): TraceHeaderFields | undefined {
  if (typeof value !== 'string') {
    report('not a string');
    return undefined;
  }
  if (value.length > MAX_TRACE_HEADER_LENGTH) {
    report(`longer than ${MAX_TRACE_HEADER_LENGTH} characters (${value.length})`);
    return undefined;
  }
  let end = value.indexOf(',');
  if (end < 0) end = value.length;
  let rootStart = -1;
  let rootEnd = -1;
  let parentStart = -1;
  let parentEnd = -1;
  let sampled: boolean | undefined;
  let lineage: string | undefined;
  let extraFields: TraceHeaderField[] | undefined;
  let budget = EXTRA_FIELDS_BUDGET;

  let pos = 0;
  while (pos < end) {
    let fieldEnd = value.indexOf(';', pos);
    if (fieldEnd < 0 || fieldEnd > end) fieldEnd = end;
    let keyStart = pos;
    pos = fieldEnd + 1;
    while (keyStart < fieldEnd && isSpace(value.charCodeAt(keyStart))) keyStart++;
    const equals = value.indexOf('=', keyStart);
    if (equals < 0 || equals >= fieldEnd) continue; // `Flag`, empty field, trailing `;`: ignored
    let keyEnd = equals;
    while (keyEnd > keyStart && isSpace(value.charCodeAt(keyEnd - 1))) keyEnd--;
    let valueStart = equals + 1;
    while (valueStart < fieldEnd && isSpace(value.charCodeAt(valueStart))) valueStart++;
    let valueEnd = fieldEnd;
    while (valueEnd > valueStart && isSpace(value.charCodeAt(valueEnd - 1))) valueEnd--;
    const keyLength = keyEnd - keyStart;
    if (keyLength === 0 || valueEnd === valueStart) continue; // `=x`, `Foo=`: nothing to keep

    const first = value.charCodeAt(keyStart) | CASE_BIT;
    if (first === 0x72 /* r */ && keyIs(value, keyStart, keyLength, ROOT_LOWER)) {
      rootStart = valueStart;
      rootEnd = valueEnd;
    } else if (first === 0x70 /* p */ && keyIs(value, keyStart, keyLength, PARENT_LOWER)) {
      parentStart = valueStart;
      parentEnd = valueEnd;
    } else if (first === 0x73 /* s */ && keyIs(value, keyStart, keyLength, SAMPLED_LOWER)) {
      const flag = valueEnd - valueStart === 1 ? value.charCodeAt(valueStart) : -1;
      sampled = flag === 0x31 ? true : flag === DIGIT_0 ? false : undefined;
    } else if (first === 0x73 /* s */ && keyIs(value, keyStart, keyLength, SELF_LOWER)) {
      // Added by ALB about its own hop; SDKs ignore it and so do we.
    } else if (first === 0x6c /* l */ && keyIs(value, keyStart, keyLength, LINEAGE_LOWER)) {
      const candidate = value.substring(valueStart, valueEnd);
      if (isValidLineage(candidate)) {
        lineage = candidate;
      } else {
        lineage = undefined;
        report('invalid Lineage dropped');
      }
    } else {
      if (!isFieldKey(value, keyStart, keyEnd) || !isFieldValue(value, valueStart, valueEnd)) {
        report('application field with unsafe characters dropped');
        continue;
      }
      const key = value.substring(keyStart, keyEnd);
      if (extraFields !== undefined) {
        // Duplicate key: the last one wins, and gives back the budget of the one it replaces.
        for (let i = 0; i < extraFields.length; i++) {
          const [oldKey, oldValue] = extraFields[i];
          if (oldKey === key) {
            budget += oldKey.length + oldValue.length;
            extraFields.splice(i, 1);
            break;
          }
        }
      }
      const cost = keyLength + (valueEnd - valueStart);
      if (cost > budget) {
        report(`application field ${key} dropped: over the ${EXTRA_FIELDS_BUDGET}-character budget`);
        continue;
      }
      budget -= cost;
      (extraFields ??= []).push([key, value.substring(valueStart, valueEnd)]);
    }
  }

  if (rootStart < 0) {
    report('no Root');
    return undefined;
  }
  const traceId = traceIdFromRoot(value, rootStart, rootEnd);
  if (traceId === undefined) {
    report('invalid Root');
    return undefined;
  }
  const fields: TraceHeaderFields = { traceId };
  if (parentStart >= 0) {
    const parentId = spanIdFrom(value, parentStart, parentEnd);
    if (parentId === undefined) {
      report('invalid Parent');
      return undefined;
    }
    fields.parentId = parentId;
  }
  if (sampled !== undefined) fields.sampled = sampled;
  if (lineage !== undefined) fields.lineage = lineage;
  if (extraFields !== undefined && extraFields.length > 0) fields.extraFields = extraFields;
  return fields;
}

/** Parses an X-Amzn-Trace-Id value (rules on `parseTraceHeaderReporting`); undefined when unusable. Never throws. */
export function parseTraceHeader(value: unknown): TraceHeaderFields | undefined {
  return parseTraceHeaderReporting(value, noProblem);
}

// `1-<8 hex>-<24 hex>` from a 32-hex OpenTelemetry trace id: one home, @xray-otel/core.
export { toXRayTraceId };

/**
 * `Root=1-<8>-<24>[;Parent=<16>][;Sampled=0|1][;Lineage=...][;Key=Value...]`, the order producers use
 * (spec §8.1). `parentId` and `sampled` are left out when undefined (root only / no decision).
 * Expects valid ids (the propagator checks the span context first).
 */
export function formatTraceHeader(fields: TraceHeaderFields): string {
  let header = ROOT_KEY + '=' + toXRayTraceId(fields.traceId);
  if (fields.parentId !== undefined) header += ';' + PARENT_KEY + '=' + fields.parentId;
  if (fields.sampled !== undefined) header += ';' + SAMPLED_KEY + (fields.sampled ? '=1' : '=0');
  if (fields.lineage !== undefined) header += ';' + LINEAGE_KEY + '=' + fields.lineage;
  const extraFields = fields.extraFields;
  if (extraFields !== undefined) {
    for (let i = 0; i < extraFields.length; i++) header += ';' + extraFields[i][0] + '=' + extraFields[i][1];
  }
  return header;
}
