/**
 * Reading attribute values the way the collector's pdata accessors do (`Str()`, `Int()`,
 * `AsString()`, `AsRaw()`), for JavaScript values: a wrong type reads as the zero value, and no
 * input throws (cyclic or very deep maps are cut at {@link MAX_VALUE_DEPTH}).
 */
import { isIP } from 'node:net';
import { MAX_VALUE_DEPTH } from './constants';
import type { AnnotationValue } from './document';

/** `Value.Str()`: the string, or `''` for any other type. */
/**
 * `Array.isArray` for a value typed as a readonly array: the built-in guard narrows it to `any[]`,
 * which would switch type checking off for everything read from it.
 */
export function isArray<T>(value: readonly T[] | null | undefined): value is readonly T[] {
  return Array.isArray(value);
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `Value.Int()`: an integral number (or bigint in range), else 0. */
export function int(value: unknown): number {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : 0;
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : 0;
  }
  return 0;
}

/** `Value.AsString()` for scalars: numbers and booleans formatted, anything else `''`. */
export function asString(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return '';
  }
}

/** Go's `net.ParseIP(s) != nil`: a dotted IPv4 or an IPv6 address without zone. */
export function isIPAddress(value: string): boolean {
  return value.length > 0 && value.indexOf('%') < 0 && isIP(value) !== 0;
}

/** Go's `strconv.Atoi` as the collector uses it (`n, _ := Atoi(s)`): an optionally signed decimal, else 0. */
export function atoi(text: string): number {
  return atoiRange(text, 0, text.length);
}

/** {@link atoi} of `text.slice(from, to)`, without making the slice (stack parsing, per frame). */
export function atoiRange(text: string, from: number, to: number): number {
  let i = from;
  let sign = 1;
  if (to <= from) return 0;
  const first = text.charCodeAt(from);
  if (first === 43 /* + */ || first === 45 /* - */) {
    if (first === 45) sign = -1;
    i = from + 1;
    if (i === to) return 0;
  }
  let n = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return 0;
    n = n * 10 + c;
  }
  return Number.isSafeInteger(n) ? sign * n : 0;
}

/** A value an annotation may hold (string, integer, double, bool); `undefined` otherwise. */
export function annotationValue(value: unknown): AnnotationValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // NaN/±Infinity break JSON encoding in the collector (the span is dropped); here they are
      // simply not annotatable.
      return Number.isFinite(value) ? value : undefined;
    default:
      return undefined;
  }
}

/**
 * `Value.AsRaw()` made JSON-safe: primitives as is, bytes as base64 (what Go's encoder does with
 * `[]byte`), arrays and maps copied. Returns `undefined` for an empty value (skipped by callers).
 * Non-finite numbers become their string form so the document stays valid JSON.
 */
export function rawValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'object':
      return value === null ? undefined : rawObject(value, 0);
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    default:
      return undefined;
  }
}

function rawNested(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'object':
      return value === null ? null : rawObject(value, depth);
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    default:
      return null;
  }
}

const DEPTH_LIMIT_MARKER = '[depth limit]';

function rawObject(value: object, depth: number): unknown {
  if (depth >= MAX_VALUE_DEPTH) return DEPTH_LIMIT_MARKER;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = rawNested(value[i], depth + 1);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    let member: unknown;
    try {
      member = record[key];
    } catch {
      continue; // a throwing getter on a hostile object
    }
    copy[key] = rawNested(member, depth + 1);
  }
  return copy;
}

/** Own enumerable-key check that works on objects without a prototype. */
export function has(attributes: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(attributes, key);
}
