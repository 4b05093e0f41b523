/**
 * Every vector of /work/shared/vectors/translator-public.json (format: translator-spec.md "Vector
 * format"), twice:
 *  - with collector-exact options (`cleanNames`, `awsSdkConventions`, `stableDbConventions` false):
 *    the vectors are the collector's documents;
 *  - with the default options: every document's names are ones X-Ray accepts, and the document is
 *    the vector's except where the vector expects a name X-Ray would reject, which must then be that
 *    name cleaned (`toXRayName`, README "Deviations from the collector").
 * Every produced document must also validate against the X-Ray schema.
 */
import * as assert from 'node:assert/strict';
import { isXRayName, toXRayName } from '@xray-otel/core';
import {
  spanToSegment,
  spanToSegments,
  TranslationError,
  type Segment,
  type TranslatorOptions,
} from '../src';
import { COLLECTOR_EXACT, readShared, schemaErrors, vectorToSpan, type VectorSpan } from './helpers';

interface Vector {
  name: string;
  entry: 'segment' | 'segments';
  nowUnixSeconds?: number;
  featureGates?: Record<string, boolean>;
  config?: {
    indexedAttributes?: string[];
    indexAllAttributes?: boolean;
    logGroupNames?: string[] | null;
    skipTimestampValidation?: boolean;
  };
  resource?: Record<string, unknown>;
  span: VectorSpan;
  expect: Record<string, unknown>;
}

const VECTORS_FILE = process.env.XRAY_OTEL_VECTORS ?? 'vectors/translator-public.json';

/** RFC 6901 pointer lookup; `found: false` when a step is missing. */
export function resolvePointer(root: unknown, pointer: string): { found: boolean; value: unknown } {
  if (pointer === '') return { found: true, value: root };
  let value: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      const index = Number(token);
      if (!/^\d+$/.test(token) || index >= value.length) return { found: false, value: undefined };
      value = value[index];
    } else if (
      value !== null &&
      typeof value === 'object' &&
      Object.prototype.hasOwnProperty.call(value, token)
    ) {
      value = (value as Record<string, unknown>)[token];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value };
}

/** Deep equality where numbers compare numerically and a missing member equals a `null` one. */
export function jsonEqual(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number')
    return (
      typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected))
    );
  if (expected === null || typeof expected !== 'object')
    return actual === expected || (expected === null && actual === undefined);
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => jsonEqual(actual[i], e))
    );
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
  for (const key of keys) {
    const av = a[key] === null ? undefined : a[key];
    const ev = e[key] === null ? undefined : e[key];
    if (ev === undefined ? av !== undefined : !jsonEqual(av, ev)) return false;
  }
  return true;
}

function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

export function optionsOf(vector: Vector): TranslatorOptions {
  const config = vector.config ?? {};
  const nowSeconds = vector.nowUnixSeconds ?? 1700000100;
  return {
    indexedAttributes: config.indexedAttributes ?? [],
    indexAllAttributes: config.indexAllAttributes ?? false,
    logGroupNames: config.logGroupNames ?? undefined,
    skipTimestampValidation: config.skipTimestampValidation ?? true,
    allowDot: vector.featureGates?.['exporter.xray.allowDot'] ?? true,
    now: () => nowSeconds * 1000,
  };
}

export function checkExpectations(root: unknown, text: string, expect: Record<string, unknown>): void {
  const at = (pointer: string) => resolvePointer(root, pointer);
  for (const [key, expected] of Object.entries(expect)) {
    switch (key) {
      case '$error':
        break;
      case '$absent':
        for (const p of expected as string[]) {
          const r = at(p);
          assert.ok(!r.found || r.value === null, `${p} should be absent, is ${JSON.stringify(r.value)}`);
        }
        break;
      case '$present':
        for (const p of expected as string[]) {
          const r = at(p);
          assert.ok(r.found && r.value !== null, `${p} should be present`);
        }
        break;
      case '$empty':
        for (const p of expected as string[]) assert.ok(isEmptyValue(at(p).value), `${p} should be empty`);
        break;
      case '$nonEmpty':
        for (const p of expected as string[]) {
          const r = at(p);
          assert.ok(r.found && !isEmptyValue(r.value), `${p} should be non-empty`);
        }
        break;
      case '$length':
        for (const [p, n] of Object.entries(expected as Record<string, number>)) {
          const v = at(p).value;
          const length = Array.isArray(v)
            ? v.length
            : v !== null && typeof v === 'object'
              ? Object.keys(v).length
              : -1;
          assert.equal(length, n, `${p || '(root)'} length: ${JSON.stringify(v)}`);
        }
        break;
      case '$startsWith':
        for (const [p, prefix] of Object.entries(expected as Record<string, string>)) {
          const v = at(p).value;
          assert.ok(
            typeof v === 'string' && v.startsWith(prefix),
            `${p} should start with ${prefix}: ${String(v)}`,
          );
        }
        break;
      case '$sameValue':
        for (const [a, b] of expected as [string, string][]) {
          const ra = at(a);
          const rb = at(b);
          assert.ok(ra.found && ra.value !== null && rb.found && rb.value !== null, `${a} / ${b} present`);
          assert.ok(
            jsonEqual(ra.value, rb.value),
            `${a} (${JSON.stringify(ra.value)}) == ${b} (${JSON.stringify(rb.value)})`,
          );
        }
        break;
      case '$approx':
        for (const [p, [value, tolerance]] of Object.entries(expected as Record<string, [number, number]>)) {
          const v = at(p).value;
          assert.ok(
            typeof v === 'number' && Math.abs(v - value) <= tolerance,
            `${p} ≈ ${value}: ${String(v)}`,
          );
        }
        break;
      case '$jsonContains':
        for (const s of expected as string[]) assert.ok(text.includes(s), `document should contain ${s}`);
        break;
      case '$jsonNotContains':
        for (const s of expected as string[])
          assert.ok(!text.includes(s), `document should not contain ${s}`);
        break;
      default: {
        assert.ok(key === '' || key.startsWith('/'), `unknown expectation ${key}`);
        const r = at(key);
        assert.ok(
          jsonEqual(r.value, expected) && (r.found || expected === null),
          `${key}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(r.value)}`,
        );
      }
    }
  }
}

/** A pointer to a document's `name`: `/name` (entry `segment`) or `/<n>/name` (entry `segments`). */
const NAME_POINTER = /^(\/\d+)?\/name$/;

/**
 * The vector's expectations as the default options must meet them: an expected name X-Ray would
 * reject becomes that name cleaned. Returns the rewritten expectations and how many names changed.
 */
export function defaultOptionsExpectations(expect: Record<string, unknown>): {
  expect: Record<string, unknown>;
  cleaned: number;
} {
  let cleaned = 0;
  const rewritten: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(expect)) {
    if (NAME_POINTER.test(key) && typeof value === 'string' && !isXRayName(value)) {
      rewritten[key] = toXRayName(value);
      cleaned++;
    } else {
      rewritten[key] = value;
    }
  }
  return { expect: rewritten, cleaned };
}

/**
 * Translates the vector's span with `options`; checks the error expectation, the schema (with
 * collector-exact names, for everything but a name X-Ray would reject), then `expect`.
 */
export function runVector(
  vector: Vector,
  options: TranslatorOptions,
  expect: Record<string, unknown> = vector.expect,
): Segment[] {
  const span = vectorToSpan(vector.span, vector.resource);
  let docs: Segment | Segment[];
  try {
    docs = vector.entry === 'segments' ? spanToSegments(span, options) : spanToSegment(span, options);
  } catch (error) {
    assert.ok(error instanceof TranslationError, `only TranslationError may be thrown: ${String(error)}`);
    assert.equal(expect.$error, true, `unexpected translation error: ${String(error)}`);
    return [];
  }
  assert.notEqual(expect.$error, true, 'translation should have failed');
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const checked = options.cleanNames === false ? { ...doc, name: toXRayName(doc.name) } : doc;
    const errors = schemaErrors(checked);
    assert.equal(errors, undefined, `schema: ${errors}`);
  }
  const text = list.map((doc) => JSON.stringify(doc)).join('');
  checkExpectations(docs, text, expect);
  return list;
}

describe('translator vectors (' + VECTORS_FILE + ')', () => {
  const vectors = readShared<Vector[]>(VECTORS_FILE);

  describe('collector-exact options (the deviations that have an option off)', () => {
    for (const vector of vectors) {
      it(vector.name, () => {
        runVector(vector, { ...optionsOf(vector), ...COLLECTOR_EXACT });
      });
    }
  });

  describe('default options: names X-Ray accepts', () => {
    let cleanedNames = 0;
    after(() => {
      // How many expected names were ones X-Ray would reject (0 in the public vectors today).
      console.log(`      ${cleanedNames} expected name(s) cleaned for the default options`);
    });
    for (const vector of vectors) {
      it(vector.name, () => {
        const { expect, cleaned } = defaultOptionsExpectations(vector.expect);
        cleanedNames += cleaned;
        for (const doc of runVector(vector, optionsOf(vector), expect)) {
          assert.ok(isXRayName(doc.name), `name X-Ray rejects: ${JSON.stringify(doc.name)}`);
        }
      });
    }
  });
});
