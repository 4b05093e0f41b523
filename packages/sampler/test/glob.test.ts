import * as assert from 'node:assert/strict';
import { globMatch } from '../src/glob';

describe('globMatch', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything', true],
    ['', '', true],
    ['', 'a', false],
    ['abc', 'abc', true],
    ['abc', 'ABC', true],
    ['ABC', 'abc', true],
    ['abc', 'abcd', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['?', '', false],
    ['/api/*', '/api/', true],
    ['/api/*', '/api/users/1', true],
    ['/api/*', '/apx/users', false],
    ['*.example.com', 'www.Example.com', true],
    ['*.example.com', 'example.com', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['*a*a*a*', 'aaa', true],
    ['*a*a*a*', 'aa', false],
    ['**', 'x', true],
    ['a**', 'a', true],
    ['*?', '', false],
    ['*?', 'x', true],
    ['GET', 'get', true],
    ['arn:aws:ecs:*:task/*', 'arn:aws:ecs:us-east-1:1:task/abc', true],
  ];
  for (const [pattern, text, expected] of cases) {
    it(`${JSON.stringify(pattern)} vs ${JSON.stringify(text)} -> ${expected}`, () => {
      assert.equal(globMatch(pattern, text), expected);
    });
  }

  // How fast (near linear) is checked by `npm run test:load` (test/load/sampler-glob.load.ts).
  it('answers pathological patterns correctly', () => {
    assert.equal(globMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(2000)), false);
    assert.equal(globMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(2000) + 'b'), true);
    assert.equal(globMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(7) + 'b'), false);
  });
});
