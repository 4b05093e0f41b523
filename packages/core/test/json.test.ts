import * as assert from 'node:assert/strict';
import { isObject } from '../src/json';

describe('isObject', () => {
  it('is true for objects that are not arrays or null', () => {
    assert.equal(isObject({}), true);
    assert.equal(isObject(Object.create(null)), true);
    for (const value of [null, undefined, [], 'a', 1, true, () => 1]) assert.equal(isObject(value), false);
  });
});
