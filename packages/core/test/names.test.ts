import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { cleanXRayName, isXRayName, toXRayName, XRAY_NAME_MAX_LENGTH } from '../src/names';

describe('X-Ray names', () => {
  it('isXRayName follows X-Ray: 1–200 letters, numbers, whitespace and _ . : / % & # = + \\ - @', () => {
    for (const ok of [
      'orders',
      'GET /users/:id',
      'a\tb',
      'back\\slash',
      'ünïcødé 服务',
      '٣',
      'x'.repeat(200),
    ]) {
      assert.equal(isXRayName(ok), true, ok);
    }
    for (const bad of ['', 'orders (prod)', 'a,b', 'x'.repeat(201), 'emoji 🙂', '\ufffd', 42, undefined]) {
      assert.equal(isXRayName(bad), false, String(bad));
    }
  });

  it('isXRayName: the ASCII fast path agrees with the rule (regex) on every string', () => {
    const rule = /^[\p{L}\p{N}\s_.:/%&#=+\\\-@]{1,200}$/u;
    const text = fc.oneof(
      fc.string({ maxLength: 210 }),
      fc.string({ unit: 'binary', maxLength: 210 }),
      fc.string({
        unit: fc.constantFrom('a', ' ', '\t', '\n', '\v', '(', '-', '\\', 'é', '9', ':', '~'),
        maxLength: 210,
      }),
    );
    fc.assert(
      fc.property(text, (name) => assert.equal(isXRayName(name), rule.test(name), JSON.stringify(name))),
      {
        numRuns: 3000,
      },
    );
    for (let cp = 0; cp < 128; cp++) {
      const name = 'a' + String.fromCharCode(cp);
      assert.equal(isXRayName(name), rule.test(name), `code point ${cp}`);
    }
  });

  it('cleanXRayName deletes what the span-name rule deletes and falls back when nothing is left', () => {
    assert.equal(cleanXRayName('orders (prod)'), 'orders prod');
    assert.equal(cleanXRayName('a,b;c'), 'abc');
    assert.equal(cleanXRayName('()'), 'span');
    assert.equal(cleanXRayName('()', 'worker'), 'worker');
    assert.equal(cleanXRayName('\ud800lone'), 'lone');
    assert.equal(cleanXRayName('𝒳ray'), '𝒳ray');
  });

  it('returns the same string when nothing changes', () => {
    const name = 'checkout-service';
    assert.equal(cleanXRayName(name), name);
    assert.equal(toXRayName(name), name);
  });

  it('cuts at 200 bytes between characters, never writing U+FFFD', () => {
    assert.equal(cleanXRayName('x'.repeat(250)), 'x'.repeat(200));
    const cut = cleanXRayName('é'.repeat(150)); // 2 bytes each
    assert.equal(cut, 'é'.repeat(100));
    assert.equal(cleanXRayName('a' + '服'.repeat(100)), 'a' + '服'.repeat(66));
  });

  it('toXRayName keeps a valid name verbatim (tab, backslash) and cleans an invalid one', () => {
    assert.equal(toXRayName('a\tb'), 'a\tb');
    assert.equal(toXRayName('orders (prod)'), 'orders prod');
    assert.equal(toXRayName(''), 'span');
  });

  it('always gives a name X-Ray accepts (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (value) => {
        const name = toXRayName(value);
        assert.equal(isXRayName(name), true, JSON.stringify(value));
        assert.ok([...name].length <= XRAY_NAME_MAX_LENGTH);
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});
