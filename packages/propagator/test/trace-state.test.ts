import * as assert from 'node:assert/strict';
import { isRootOnlyParent, withoutRootOnlyMarker, withRootOnlyMarker } from '../src/trace-state';

describe('trace-state', () => {
  it('marks a synthetic parent and recognises only that id', () => {
    const state = withRootOnlyMarker(undefined, 'abcdef0123456789');
    assert.equal(state.serialize(), 'xray-otel=r:abcdef0123456789');
    assert.ok(isRootOnlyParent(state, 'abcdef0123456789'));
    assert.equal(isRootOnlyParent(state, '1111111111111111'), false);
    assert.equal(isRootOnlyParent(state, ''), false);
    assert.equal(isRootOnlyParent(undefined, 'abcdef0123456789'), false);
    assert.equal(isRootOnlyParent(state.set('xray-otel', 'x:abcdef0123456789'), 'abcdef0123456789'), false);
  });

  it('is immutable, newest entry first, at most 32 entries', () => {
    const base = withRootOnlyMarker(undefined, 'abcdef0123456789');
    const more = base.set('a', '1').set('b', '2').set('a', '3');
    assert.equal(more.serialize(), 'a=3,b=2,xray-otel=r:abcdef0123456789');
    assert.equal(base.serialize(), 'xray-otel=r:abcdef0123456789');
    assert.equal(more.unset('b').serialize(), 'a=3,xray-otel=r:abcdef0123456789');
    let many = base;
    for (let i = 0; i < 40; i++) many = many.set('k' + i, String(i));
    assert.equal(many.serialize().split(',').length, 32);
  });

  it('removes only our marker', () => {
    assert.equal(withoutRootOnlyMarker(undefined), undefined);
    const other = withRootOnlyMarker(undefined, 'abcdef0123456789').unset('xray-otel').set('v', '1');
    assert.equal(withoutRootOnlyMarker(other), other);
    const marked = other.set('xray-otel', 'r:abcdef0123456789');
    assert.equal(withoutRootOnlyMarker(marked)?.serialize(), 'v=1');
  });
});
