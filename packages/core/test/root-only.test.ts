import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isRootOnlyParent, rootOnlyParentSpanId } from '../src/root-only';

describe('root-only parents', () => {
  it('derives a 16-hex parent from the trace ID: the low half XOR "XRAYOTEL"', () => {
    // 0000...0000 low half → the mask itself; the mask is "XRAYOTEL" in ASCII.
    assert.equal(rootOnlyParentSpanId('5759e98800000000' + '0000000000000000'), '585241594f54454c');
    assert.equal(rootOnlyParentSpanId('5759e988bd862e3f' + 'ffffffffffffffff'), 'a7adbea6b0abbab3');
    // Either case in, lower case out; the high half does not matter.
    assert.equal(
      rootOnlyParentSpanId('5759E988BD862E3FE1BE46A994272793'),
      rootOnlyParentSpanId('00000000000000' + '00e1be46a994272793'),
    );
  });

  it('is never all zero: a trace ID whose low half is the mask gets the mask', () => {
    assert.equal(rootOnlyParentSpanId('5759e988bd862e3f585241594f54454c'), '585241594f54454c');
  });

  it('is undefined for a malformed trace ID', () => {
    assert.equal(rootOnlyParentSpanId('xyz'), undefined);
    assert.equal(rootOnlyParentSpanId('5759e988bd862e3fe1be46a99427279g'), undefined);
  });

  it('isRootOnlyParent recognises exactly the derived parent, in either case, and never throws', () => {
    const traceId = '5759e988bd862e3fe1be46a994272793';
    const parent = rootOnlyParentSpanId(traceId) as string;
    assert.equal(isRootOnlyParent(traceId, parent), true);
    assert.equal(isRootOnlyParent(traceId.toUpperCase(), parent.toUpperCase()), true);
    assert.equal(isRootOnlyParent(traceId, '53995c3f42cd8ad8'), false);
    assert.equal(isRootOnlyParent('5759e988bd862e3fe1be46a994272794', parent), false);
    for (const [t, p] of [
      [undefined, parent],
      [traceId, undefined],
      [traceId, 42],
      [{}, parent],
      [traceId, parent + '0'],
    ] as [unknown, unknown][]) {
      assert.equal(isRootOnlyParent(t, p), false);
    }
  });

  it('a random span ID is not taken for a root-only parent (fast-check, 20,000 pairs)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.stringMatching(/^[0-9a-f]{16}$/),
        (traceId, spanId) => {
          fc.pre(spanId !== rootOnlyParentSpanId(traceId));
          assert.equal(isRootOnlyParent(traceId, spanId), false);
          assert.equal(isRootOnlyParent(traceId, rootOnlyParentSpanId(traceId)), true);
        },
      ),
      { seed: 20261201, numRuns: 20_000 },
    );
  });

  it('is not the bare low half of the trace ID (the root span ID some tracers use)', () => {
    const traceId = '5759e988bd862e3fe1be46a994272793';
    assert.equal(isRootOnlyParent(traceId, traceId.slice(16)), false);
  });
});
