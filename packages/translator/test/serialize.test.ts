import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MAX_SEGMENT_BYTES,
  TRUNCATED_SUFFIX,
  TRUNCATION_NAMESPACE,
  serializeSegment,
  serializeSegmentWithInfo,
} from '../src/serialize';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv04 = require('ajv-draft-04');

const SHARED = path.resolve(__dirname, '../../../../shared');
const schema = JSON.parse(fs.readFileSync(path.join(SHARED, 'schema/xray-segment-schema.json'), 'utf8'));
const validate = new Ajv04({ allErrors: true, strict: false }).compile(schema);

type Doc = Record<string, unknown>;

const TRACE_ID = '1-6a000000-0123456789abcdef01234567';

function baseSegment(extra: Doc = {}): Doc {
  return {
    name: 'checkout',
    id: '53995c3f42cd8ad8',
    start_time: 1780000000.123,
    trace_id: TRACE_ID,
    end_time: 1780000000.456,
    fault: false,
    error: false,
    throttle: false,
    ...extra,
  };
}

/** Serializes, checks the invariants every result must satisfy, returns the parsed result. */
function check(doc: unknown): { json: string; parsed: Doc; truncated: boolean; marker: Doc | undefined } {
  const info = serializeSegmentWithInfo(doc as Doc);
  assert.equal(serializeSegment(doc as Doc), info.json, 'both entry points agree');
  assert.equal(info.bytes, Buffer.byteLength(info.json, 'utf8'));
  assert.ok(info.bytes <= MAX_SEGMENT_BYTES, `${info.bytes} bytes`);
  // Well-formed UTF-16 (no lone surrogates in the text itself) ⇒ valid UTF-8 on the wire.
  assert.equal(Buffer.from(info.json, 'utf8').toString('utf8'), info.json);
  const parsed = JSON.parse(info.json) as Doc;
  const metadata = parsed.metadata as Record<string, Doc> | undefined;
  const marker = metadata?.[TRUNCATION_NAMESPACE];
  assert.equal(info.truncated, marker !== undefined && marker.truncated === true);
  return { json: info.json, parsed, truncated: info.truncated, marker };
}

function assertSchemaValid(parsed: Doc): void {
  assert.ok(validate(parsed), JSON.stringify(validate.errors?.slice(0, 3)));
}

describe('serializeSegment', () => {
  it('returns JSON.stringify of a small document, untouched', () => {
    const doc = baseSegment({ annotations: { a: 1 }, metadata: { default: { k: 'v' } } });
    const { json, truncated } = check(doc);
    assert.equal(json, JSON.stringify(doc));
    assert.equal(truncated, false);
  });

  it('keeps a document of exactly MAX_SEGMENT_BYTES bytes and shrinks one byte more', () => {
    const empty = JSON.stringify(baseSegment({ metadata: { default: { pad: '' } } }));
    const pad = 'x'.repeat(MAX_SEGMENT_BYTES - Buffer.byteLength(empty));
    const exact = baseSegment({ metadata: { default: { pad } } });
    const atLimit = serializeSegmentWithInfo(exact);
    assert.equal(atLimit.bytes, MAX_SEGMENT_BYTES);
    assert.equal(atLimit.truncated, false);
    assert.equal(atLimit.json, JSON.stringify(exact));

    const over = check(baseSegment({ metadata: { default: { pad: pad + 'x' } } }));
    assert.equal(over.truncated, true);
    assert.deepEqual(over.marker, {
      truncated: true,
      original_bytes: MAX_SEGMENT_BYTES + 1,
      removed_metadata: 1,
    });
  });

  it('measures bytes, not characters: multi-byte text under the char fast path bound is exact', () => {
    // 15,000 emoji = 30,000 UTF-16 units = 60,000 bytes: over the fast-path length, under the limit.
    const doc = baseSegment({ metadata: { default: { text: '😀'.repeat(15000) } } });
    const { json, truncated } = check(doc);
    assert.equal(truncated, false);
    assert.equal(json, JSON.stringify(doc));
    // 20,000 emoji = 80,000 bytes: shrunk although only 40,000 characters.
    const big = check(baseSegment({ metadata: { default: { text: '😀'.repeat(20000) } } }));
    assert.equal(big.truncated, true);
  });

  it('does not mutate the input document', () => {
    const doc = baseSegment({
      name: 'n'.repeat(300000),
      annotations: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'v'.repeat(20)])),
      metadata: { default: { big: 'm'.repeat(100000) }, [TRUNCATION_NAMESPACE]: { mine: 1 } },
      cause: {
        exceptions: [
          { id: '0123456789abcdef', stack: Array.from({ length: 3000 }, (_, i) => stackFrame(i)) },
        ],
      },
    });
    const before = structuredClone(doc);
    check(doc);
    assert.deepEqual(doc, before);
  });

  it('removes metadata first, largest entries first, and leaves the rest alone', () => {
    const doc = baseSegment({
      annotations: { keep: 'me' },
      metadata: {
        default: { small: 'ok', huge: 'h'.repeat(70000), medium: 'm'.repeat(5000) },
        other: { also: 'a'.repeat(40000) },
      },
      cause: { exceptions: [{ id: '0123456789abcdef', stack: [stackFrame(0)] }] },
    });
    const { parsed, marker } = check(doc);
    const metadata = parsed.metadata as Record<string, Doc>;
    // Removing `huge` (70 kB) is enough: everything else stays.
    assert.deepEqual(metadata.default, { small: 'ok', medium: 'm'.repeat(5000) });
    assert.deepEqual(metadata.other, { also: 'a'.repeat(40000) });
    assert.deepEqual(parsed.annotations, { keep: 'me' });
    assert.deepEqual(marker, {
      truncated: true,
      original_bytes: Buffer.byteLength(JSON.stringify(doc)),
      removed_metadata: 1,
    });
    assertSchemaValid(parsed);
  });

  it('drops empty namespaces and replaces a non-object metadata or namespace', () => {
    const a = check(baseSegment({ metadata: { only: { x: 'x'.repeat(70000) }, scalar: 'y'.repeat(10) } }));
    assert.deepEqual(Object.keys(a.parsed.metadata as Doc), ['scalar', TRUNCATION_NAMESPACE]);
    const b = check(baseSegment({ metadata: 'not an object', name: 'n'.repeat(70000) }));
    assert.equal(b.marker?.removed_metadata, 1);
    assertSchemaValid(b.parsed);
  });

  it('replaces an existing xray_otel namespace with the marker only when shrinking', () => {
    const small = baseSegment({ metadata: { [TRUNCATION_NAMESPACE]: { mine: 1 } } });
    assert.equal(serializeSegment(small), JSON.stringify(small));
    const { marker } = check(
      baseSegment({ metadata: { [TRUNCATION_NAMESPACE]: { mine: 'x'.repeat(70000) } } }),
    );
    assert.deepEqual(marker, {
      truncated: true,
      original_bytes: marker?.original_bytes,
      removed_metadata: 1,
    });
  });

  it('drops stack frames from the end of the largest stack next and counts them in `truncated`', () => {
    const frames = Array.from({ length: 2000 }, (_, i) => stackFrame(i));
    const doc = baseSegment({
      metadata: { default: { gone: 'g'.repeat(1000) } },
      annotations: { kept: 1 },
      cause: {
        exceptions: [
          { id: '0123456789abcdef', type: 'Small', stack: frames.slice(0, 3) },
          { id: 'fedcba9876543210', type: 'Big', truncated: 5, stack: frames },
        ],
      },
    });
    const { parsed, marker } = check(doc);
    const exceptions = (parsed.cause as { exceptions: Doc[] }).exceptions;
    assert.deepEqual(exceptions[0].stack, frames.slice(0, 3));
    assert.equal(exceptions[0].truncated, undefined);
    const kept = exceptions[1].stack as unknown[];
    assert.ok(kept.length > 0 && kept.length < frames.length);
    assert.deepEqual(kept, frames.slice(0, kept.length), 'frames are dropped from the end');
    assert.equal(exceptions[1].truncated, 5 + frames.length - kept.length);
    assert.equal(marker?.removed_metadata, 1);
    assert.equal(marker?.removed_stack_frames, frames.length - kept.length);
    assert.deepEqual(parsed.annotations, { kept: 1 });
    assertSchemaValid(parsed);
  });

  it('tolerates cause shapes without stacks', () => {
    for (const cause of [
      '0123456789abcdef',
      { exceptions: 'x' },
      { exceptions: [null, { id: 'x', stack: [] }] },
    ]) {
      const { parsed, marker } = check(baseSegment({ cause, name: 'n'.repeat(70000) }));
      assert.deepEqual(parsed.cause, cause);
      assert.equal(marker?.removed_stack_frames, undefined);
    }
  });

  it('removes annotations after stack frames: 10,000 annotations', () => {
    const annotations = Object.fromEntries(
      Array.from({ length: 10000 }, (_, i) => [`key_${i}`, `value ${i}`]),
    );
    const { parsed, marker } = check(baseSegment({ annotations }));
    const kept = Object.keys(parsed.annotations as Doc);
    assert.ok(kept.length > 1000 && kept.length < 10000, String(kept.length));
    // Largest first, ties broken by dropping later entries first: the survivors are the shortest,
    // earliest ones, in their original order.
    assert.deepEqual(
      kept,
      kept.slice().sort((a, b) => a.length - b.length || Number(a.slice(4)) - Number(b.slice(4))),
    );
    assert.equal(kept[0], 'key_0');
    assert.equal(marker?.removed_annotations, 10000 - kept.length);
    assertSchemaValid(parsed);
  });

  it('removes annotations entirely when they are all too big, and is deterministic', () => {
    const annotations = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`k${i}`, 'a'.repeat(1000)]),
    );
    const doc = baseSegment({ annotations, sql: { sanitized_query: 'q'.repeat(1_000_000) } });
    const first = check(doc);
    assert.equal(first.parsed.annotations, undefined);
    assert.equal(first.marker?.removed_annotations, 100);
    assert.equal(serializeSegment(doc), first.json);
    assertSchemaValid(first.parsed);
  });

  for (const [where, make, read] of [
    ['name', (s: string) => ({ name: s }), (d: Doc) => d.name],
    ['sql', (s: string) => ({ sql: { sanitized_query: s } }), (d: Doc) => (d.sql as Doc).sanitized_query],
    [
      'http url',
      (s: string) => ({ http: { request: { url: s, method: 'GET' }, response: { status: 200 } } }),
      (d: Doc) => ((d.http as Doc).request as Doc).url,
    ],
  ] as const) {
    it(`cuts a single 1 MB string in the ${where} with a marker`, () => {
      const { parsed, marker } = check(baseSegment(make('a'.repeat(1_000_000))));
      const value = read(parsed) as string;
      assert.ok(value.length <= 8192, String(value.length));
      assert.ok(value.endsWith(where === 'name' ? '...' : TRUNCATED_SUFFIX));
      assert.ok(marker && (marker.cut_strings as number) >= 1);
      assertSchemaValid(parsed);
    });
  }

  it('cuts the limited fields to what X-Ray accepts once strings have to be cut', () => {
    const doc = baseSegment({
      name: 'n'.repeat(70000),
      user: 'u'.repeat(300),
      http: { request: { url: 'h'.repeat(300), user_agent: 'ok', x_forwarded_for: true } },
      sql: { user: 's'.repeat(300), url: 'short' },
      annotations: { long: 'l'.repeat(1200), num: 1 },
    });
    const { parsed } = check(doc);
    assert.equal((parsed.name as string).length, 200);
    assert.equal((parsed.user as string).length, 250);
    assert.equal((((parsed.http as Doc).request as Doc).url as string).length, 250);
    assert.equal(((parsed.sql as Doc).user as string).length, 250);
    // Annotations went in the step before strings are cut.
    assert.equal(parsed.annotations, undefined);
    assertSchemaValid(parsed);
  });

  it('handles emoji-heavy strings and never splits a surrogate pair', () => {
    for (const offset of [0, 1]) {
      const text = 'x'.repeat(offset) + '😀'.repeat(300000);
      const { parsed } = check(baseSegment({ sql: { sanitized_query: text } }));
      const cut = (parsed.sql as Doc).sanitized_query as string;
      assert.ok(cut.endsWith(TRUNCATED_SUFFIX));
      assert.equal(Buffer.from(cut, 'utf8').toString('utf8'), cut, 'no lone surrogate created');
    }
  });

  it('keeps lone surrogates as well-formed escapes', () => {
    const lone = '\ud800x\udc00'.repeat(30000);
    const { json, parsed } = check(
      baseSegment({ metadata: { default: { a: lone } }, name: lone, sql: { url: '\udbff' } }),
    );
    assert.match(json, /\\ud800/);
    assert.equal((parsed.sql as Doc).url, '\udbff');
    assert.equal((parsed.name as string).length, 200);
  });

  it('survives deeply nested metadata', () => {
    let nested: Doc = { leaf: 'x'.repeat(100) };
    for (let i = 0; i < 2000; i++) nested = { [`level${i}`]: nested, pad: 'p'.repeat(40) };
    const { parsed, marker } = check(baseSegment({ metadata: { default: { nested } } }));
    assert.equal(marker?.removed_metadata, 1);
    assertSchemaValid(parsed);
    // Nested too deep for JSON.stringify itself: the minimal document.
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200000; i++) deep = [deep];
    const result = check(baseSegment({ metadata: { default: { deep } } }));
    assert.equal(result.marker?.unserializable, true);
    assert.equal(result.parsed.trace_id, TRACE_ID);
  });

  it('cuts strings nested anywhere, such as link attributes, and removes optional blocks last', () => {
    const links = Array.from({ length: 3000 }, (_, i) => ({
      trace_id: TRACE_ID,
      id: '0123456789abcdef',
      attributes: { [`attr${i}`]: 'v'.repeat(i % 5 === 0 ? 10000 : 10) },
    }));
    const { parsed, marker } = check(baseSegment({ links, aws: { xray: { sdk: 'x' } } }));
    assert.equal(parsed.links, undefined);
    assert.deepEqual(parsed.aws, { xray: { sdk: 'x' } });
    assert.equal(marker?.removed_fields, 1);
    assert.ok((marker?.cut_strings as number) >= 600);
    assertSchemaValid(parsed);
  });

  it('removes optional fields with huge keys, which the string step does not cut', () => {
    const doc = baseSegment({
      metadata: { default: { ['k'.repeat(20000)]: 1 }, other: 'x', [TRUNCATION_NAMESPACE]: 1 },
      extra: { ['e'.repeat(90000)]: 1 },
    });
    const info = serializeSegmentWithInfo(doc);
    const { parsed, marker } = check(doc);
    assert.equal(info.truncated, true);
    assert.deepEqual(Object.keys(parsed.metadata as Doc), [TRUNCATION_NAMESPACE]);
    assert.equal(parsed.extra, undefined);
    assert.equal(marker?.removed_fields, 1);
  });

  it('falls back to the minimal document when core fields alone are too big', () => {
    const doc = baseSegment({
      id: Array.from({ length: 50000 }, (_, i) => i),
      parent_id: '0123456789abcdef',
    });
    const { parsed, marker } = check(doc);
    assert.equal(marker?.minimal_document, true);
    assert.equal(parsed.id, undefined);
    assert.equal(parsed.parent_id, '0123456789abcdef');
    assert.equal(parsed.name, 'checkout');
  });

  it('never throws: cycles, BigInt, throwing getters and toJSON, non-objects', () => {
    const cyclic = baseSegment();
    cyclic.self = cyclic;
    const getter = baseSegment();
    Object.defineProperty(getter, 'http', { enumerable: true, get: () => assert.fail('boom') });
    Object.defineProperty(getter, 'user', { enumerable: true, get: () => assert.fail('boom') });
    const toJSON = baseSegment({ aws: { toJSON: () => assert.fail('boom') }, name: 'x'.repeat(300) });
    const bigint = baseSegment({ http: { response: { content_length: 10n } }, start_time: NaN });
    for (const doc of [cyclic, getter, toJSON, bigint]) {
      const { parsed, marker } = check(doc);
      assert.equal(marker?.unserializable, true);
      assert.equal(marker?.minimal_document, true);
      assert.equal(parsed.trace_id, TRACE_ID);
      assert.equal(parsed.id, '53995c3f42cd8ad8');
      assert.equal(parsed.fault, false);
    }
    assert.equal((check(toJSON).parsed.name as string).length, 200);
    assert.equal(check(bigint).parsed.start_time, undefined);
    assert.equal(check(cyclic).parsed.start_time, 1780000000.123);
    for (const doc of [undefined, null, 42, 'str', [1, 2], () => 1, Symbol('s')]) {
      const { parsed } = check(doc);
      assert.deepEqual(Object.keys(parsed), ['metadata']);
    }
  });

  it('cuts a string under a `__proto__` key like any other', () => {
    const doc = JSON.parse(`{"name":"a","id":"0123456789abcdef","__proto__":"${'p'.repeat(70000)}"}`);
    const { json } = check(doc);
    assert.match(json, /"__proto__":"p+\.\.\.\[truncated\]"/);
  });
});

function stackFrame(i: number): { path: string; line: number; label: string } {
  return {
    path: `/srv/app/node_modules/some-package/lib/file-${i}.js`,
    line: i + 1,
    label: `Module.function${i}`,
  };
}
