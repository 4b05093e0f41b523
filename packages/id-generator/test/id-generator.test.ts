import * as assert from 'node:assert/strict';
import { AWSXRayIdGenerator } from '../src';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

describe('AWSXRayIdGenerator', () => {
  it('starts trace IDs with the current epoch seconds in 8 hex digits', () => {
    const generator = new AWSXRayIdGenerator();
    const before = Math.floor(Date.now() / 1000);
    const traceId = generator.generateTraceId();
    const after = Math.floor(Date.now() / 1000);
    assert.match(traceId, TRACE_ID);
    const epoch = parseInt(traceId.slice(0, 8), 16);
    assert.ok(epoch >= before && epoch <= after, `epoch ${epoch} outside [${before}, ${after}]`);
  });

  it('makes lower-case hex span IDs that are never all zero', () => {
    const generator = new AWSXRayIdGenerator();
    for (let i = 0; i < 5000; i++) {
      const spanId = generator.generateSpanId();
      assert.match(spanId, SPAN_ID);
      assert.notEqual(spanId, '0000000000000000');
    }
  });

  it('does not repeat IDs across many pool refills', () => {
    const generator = new AWSXRayIdGenerator();
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      traceIds.add(generator.generateTraceId().slice(8));
      spanIds.add(generator.generateSpanId());
    }
    assert.equal(traceIds.size, 20000);
    assert.equal(spanIds.size, 20000);
  });

  it('spreads random bits evenly (each hex digit near 1/16 over the random part)', () => {
    const generator = new AWSXRayIdGenerator();
    const counts = new Array<number>(16).fill(0);
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const random = generator.generateTraceId().slice(8);
      for (let j = 0; j < random.length; j++) counts[parseInt(random[j], 16)]++;
    }
    const expected = (n * 24) / 16;
    for (const count of counts)
      assert.ok(Math.abs(count - expected) < expected * 0.1, `skewed digit count ${count}`);
  });

  it('skips an all-zero span ID drawn from the pool', () => {
    const generator = new AWSXRayIdGenerator();
    // Force the next 8 pool bytes to zero: the generator must move on to the following 8.
    const internals = generator as unknown as { hex: string; offset: number };
    generator.generateSpanId();
    internals.hex =
      internals.hex.slice(0, internals.offset) +
      '0'.repeat(16) +
      'ab'.repeat(8) +
      internals.hex.slice(internals.offset + 32);
    assert.equal(generator.generateSpanId(), 'abababababababab');
  });

  it('follows the clock when the second changes', () => {
    const generator = new AWSXRayIdGenerator();
    const realNow = Date.now;
    try {
      Date.now = () => 1_700_000_000_000;
      assert.equal(generator.generateTraceId().slice(0, 8), (1_700_000_000).toString(16));
      Date.now = () => 1_700_000_001_500;
      assert.equal(generator.generateTraceId().slice(0, 8), (1_700_000_001).toString(16));
    } finally {
      Date.now = realNow;
    }
  });
});
