/** Filter tokenizer: token kinds, decoded values, 0-based positions, and the errors it raises. */
import * as assert from 'node:assert/strict';
import { tokenize } from '../../src/filter/tokenize';
import { FilterSyntaxError } from '../../src/filter/types';

const brief = (text: string) => tokenize(text).map((t) => [t.kind, t.text, t.pos]);

describe('tokenize', () => {
  it('reads keywords with dotted parts, operators (two characters first), numbers and strings', () => {
    assert.deepEqual(brief('http.status>=500 AND annotation.a_b.c != "x"'), [
      ['ident', 'http.status', 0],
      ['punct', '>=', 11],
      ['number', '500', 13],
      ['ident', 'AND', 17],
      ['ident', 'annotation.a_b.c', 21],
      ['punct', '!=', 38],
      ['string', '"x"', 41],
      ['eof', '', 44],
    ]);
    assert.deepEqual(brief('service(id(name:"a")){!fault}annotation[k]<=-.5e1'), [
      ['ident', 'service', 0],
      ['punct', '(', 7],
      ['ident', 'id', 8],
      ['punct', '(', 10],
      ['ident', 'name', 11],
      ['punct', ':', 15],
      ['string', '"a"', 16],
      ['punct', ')', 19],
      ['punct', ')', 20],
      ['punct', '{', 21],
      ['punct', '!', 22],
      ['ident', 'fault', 23],
      ['punct', '}', 28],
      ['ident', 'annotation', 29],
      ['punct', '[', 39],
      ['ident', 'k', 40],
      ['punct', ']', 41],
      ['punct', '<=', 42],
      ['number', '-.5e1', 44],
      ['eof', '', 49],
    ]);
  });

  it('decodes numbers and JSON string escapes', () => {
    const [number, string] = tokenize('-1.5E2 "a\\"b\\\\c\\/\\n\\t\\r\\b\\f\\u00e9"');
    assert.equal(number.value, -150);
    assert.equal(string.value, 'a"b\\c/\n\t\r\b\fé');
    assert.equal(tokenize('3.').at(0)?.value, 3);
  });

  it('skips any whitespace and ends with one eof token at the text length', () => {
    assert.deepEqual(brief(''), [['eof', '', 0]]);
    assert.deepEqual(brief(' \t\n ok\u00a0'), [
      ['ident', 'ok', 4],
      ['eof', '', 7],
    ]);
  });

  const ERRORS: Array<[string, number, RegExp]> = [
    ['"abc', 0, /unterminated string/],
    ['x = "a\\', 6, /invalid escape/],
    ['"a\\q"', 2, /invalid escape/],
    ['"\\u12g4"', 1, /invalid escape/],
    ['duration > 5s', 11, /invalid number/],
    ['1_000', 0, /invalid number/],
    ['duration % 5', 9, /unexpected character '%'/],
    ['a & b', 2, /unexpected character '&'/],
  ];
  for (const [text, position, message] of ERRORS) {
    it(`rejects ${JSON.stringify(text)} at position ${position}`, () => {
      assert.throws(
        () => tokenize(text),
        (error: unknown) =>
          error instanceof FilterSyntaxError &&
          message.test(error.message) &&
          error.position === position &&
          error.message.endsWith(`at position ${position}`),
      );
    });
  }
});
