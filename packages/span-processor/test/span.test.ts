import * as assert from 'node:assert/strict';
import { isLocalRoot, readableParent, type ProcessorSpan } from '../src/span';

function span(fields: Partial<ProcessorSpan>): ProcessorSpan {
  return { name: 's', kind: 0, attributes: {}, setAttribute: () => undefined, ...fields };
}

describe('span', () => {
  it('isLocalRoot: no parent, or a remote one (2.x/3.x parentSpanContext)', () => {
    const none = new WeakSet<object>();
    assert.equal(isLocalRoot(span({}), none), true);
    assert.equal(isLocalRoot(span({ parentSpanContext: { isRemote: true } }), none), true);
    assert.equal(isLocalRoot(span({ parentSpanContext: { isRemote: false } }), none), false);
    assert.equal(isLocalRoot(span({ parentSpanContext: {} }), none), false);
  });

  it('isLocalRoot: 1.x spans have only parentSpanId; the set says whether the parent was remote', () => {
    const local = span({ parentSpanId: 'a1b2c3d4e5f60718' });
    const remote = span({ parentSpanId: 'a1b2c3d4e5f60718' });
    const remoteParents = new WeakSet<object>([remote]);
    assert.equal(isLocalRoot(local, remoteParents), false);
    assert.equal(isLocalRoot(remote, remoteParents), true);
    assert.equal(isLocalRoot(span({ parentSpanId: '' }), remoteParents), true);
  });

  it('readableParent: SDK spans only (duck-typed)', () => {
    const sdkSpan = { name: 'GET', kind: 1, attributes: {} };
    assert.equal(readableParent(sdkSpan), sdkSpan);
    assert.equal(readableParent({ kind: 1 }), undefined);
    assert.equal(readableParent({ kind: 1, attributes: null }), undefined);
    assert.equal(readableParent({ kind: '1', attributes: {} }), undefined);
    assert.equal(readableParent(undefined), undefined);
    assert.equal(readableParent(null), undefined);
    assert.equal(readableParent('span'), undefined);
  });
});
