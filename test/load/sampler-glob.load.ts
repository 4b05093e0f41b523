// Speed of the sampling-rule glob on a pathological pattern (many `*` against a long text that
// almost matches): the backtracking matcher must stay near linear, not exponential. The result
// itself is checked in packages/sampler/test/glob.test.ts; this is `npm run test:load` only.
//
// Threshold (also in the README's command table): one match of `*a*a*a*a*a*a*a*a*b` against 2,000
// `a` takes under 500 ms, the first call included (no warm-up, as a sampler meets it).
import * as assert from 'node:assert/strict';
import { globMatch } from '../../packages/sampler/src/glob';

const LIMIT_MS = 500;

describe('sampler: globMatch on a pathological pattern', () => {
  it(`matches *a*a*a*a*a*a*a*a*b against 2,000 "a" in under ${LIMIT_MS} ms`, () => {
    const start = process.hrtime.bigint();
    assert.equal(globMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(2000)), false);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`      ${ms.toFixed(1)} ms (limit ${LIMIT_MS} ms)`);
    assert.ok(ms < LIMIT_MS, `${ms.toFixed(1)} ms`);
  });
});
