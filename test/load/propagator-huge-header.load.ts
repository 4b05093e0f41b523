// Speed of refusing a huge X-Amzn-Trace-Id (a hostile or broken client): extract must give up early,
// not parse megabytes on the request path. That it is refused (no span context) is checked in
// test/propagator-fuzz.test.ts; the time limit is `npm run test:load` only.
//
// Threshold (also in the README's command table): extract of a valid header followed by 8,193,
// 100,000 or 5,000,000 bytes of junk takes under 50 ms each, the first call included.
import * as assert from 'node:assert/strict';
import { defaultTextMapGetter, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AWSXRayPropagator } from '../../packages/propagator/src';

const LIMIT_MS = 50;
const VALID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('propagator: huge headers are refused in bounded time', () => {
  const propagator = new AWSXRayPropagator();
  for (const size of [8193, 100_000, 5_000_000]) {
    it(`a header with ${size} extra bytes: refused in under ${LIMIT_MS} ms`, () => {
      const header = VALID + ';' + 'A'.repeat(size);
      const start = process.hrtime.bigint();
      const context = propagator.extract(ROOT_CONTEXT, { 'x-amzn-trace-id': header }, defaultTextMapGetter);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      assert.equal(trace.getSpanContext(context), undefined);
      console.log(`      ${ms.toFixed(2)} ms (limit ${LIMIT_MS} ms)`);
      assert.ok(ms < LIMIT_MS, `${ms.toFixed(2)} ms`);
    });
  }
});
