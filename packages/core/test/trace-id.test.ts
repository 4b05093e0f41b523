import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromXRayTraceId, isAllZero, isHex, toXRayTraceId } from '../src/trace-id';

describe('trace IDs', () => {
  it('toXRayTraceId: 1-<first 8>-<last 24>', () => {
    assert.equal(toXRayTraceId('5759e988bd862e3fe1be46a994272793'), '1-5759e988-bd862e3fe1be46a994272793');
  });

  it('fromXRayTraceId: the 32 hex digits in lower case, or undefined', () => {
    assert.equal(fromXRayTraceId('1-5759e988-bd862e3fe1be46a994272793'), '5759e988bd862e3fe1be46a994272793');
    assert.equal(fromXRayTraceId('1-5759E988-BD862E3FE1BE46A994272793'), '5759e988bd862e3fe1be46a994272793');
    for (const bad of [
      undefined,
      42,
      '',
      '2-5759e988-bd862e3fe1be46a994272793',
      '1-5759e988bd862e3fe1be46a994272793',
      '1_5759e988-bd862e3fe1be46a994272793',
      '1-5759e98g-bd862e3fe1be46a994272793',
      '1-5759e988-bd862e3fe1be46a99427279',
      '1-5759e988-bd862e3fe1be46a9942727933',
    ]) {
      assert.equal(fromXRayTraceId(bad), undefined, String(bad));
    }
  });

  it('round-trips every 32-hex trace ID', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), (traceId) => {
        assert.equal(fromXRayTraceId(toXRayTraceId(traceId)), traceId);
      }),
      { seed: 20261201, numRuns: 500 },
    );
  });

  it('isHex and isAllZero', () => {
    assert.equal(isHex('0aF9', 4), true);
    assert.equal(isHex('0aF9', 5), false);
    assert.equal(isHex('0aG9', 4), false);
    assert.equal(isHex(1234, 4), false);
    assert.equal(isAllZero('0000'), true);
    assert.equal(isAllZero('0001'), false);
  });
});
