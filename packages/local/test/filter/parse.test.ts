/** Filter parsing: the AST, syntax errors with their positions, a fuzz, and the parser's work bound. */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { matchesFilter } from '../../src/filter/evaluate';
import { MAX_FILTER_LENGTH, Parser, parseFilter } from '../../src/filter/parse';
import { tokenize } from '../../src/filter/tokenize';
import { FilterSyntaxError } from '../../src/filter/types';
import { summarize } from '../../src/store';
import { threeServiceTrace } from '../trace-fixtures';

describe('parseFilter', () => {
  it('bare boolean, "is set" and juxtaposition parse to the documented AST', () => {
    assert.deepEqual(parseFilter('ok !partial duration <3'), {
      kind: 'and',
      left: {
        kind: 'and',
        left: { kind: 'keyword', keyword: 'ok' },
        right: { kind: 'not', operand: { kind: 'keyword', keyword: 'partial' } },
      },
      right: { kind: 'compare', keyword: 'duration', operator: '<', value: 3 },
    });
    assert.deepEqual(parseFilter('annotation.a.b = "x\\"y\\u0041\\n"'), {
      kind: 'compare',
      keyword: 'annotation',
      annotation: 'a.b',
      operator: '=',
      value: 'x"yA\n',
    });
    assert.deepEqual(parseFilter('fault OR fault AND fault'), {
      kind: 'or',
      left: { kind: 'keyword', keyword: 'fault' },
      right: {
        kind: 'and',
        left: { kind: 'keyword', keyword: 'fault' },
        right: { kind: 'keyword', keyword: 'fault' },
      },
    });
    assert.deepEqual(parseFilter('annotation.n >= -1.5e2'), {
      kind: 'compare',
      keyword: 'annotation',
      annotation: 'n',
      operator: '>=',
      value: -150,
    });
  });
});

describe('filter syntax errors', () => {
  const ERRORS: Array<[string, number, RegExp]> = [
    ['responsetime >= ', 16, /expected a value after '>=' but found the end of the filter at position 16/],
    ['responsetime >= )', 16, /expected a value after '>='/],
    ['', 0, /expected a keyword/],
    ['fault AND', 9, /expected a keyword/],
    ['AND fault', 0, /expected an expression before 'AND'/],
    ['(fault', 6, /expected '\)' to close '\(' from position 0/],
    ['fault)', 5, /unexpected '\)'/],
    ['bogus = 1', 0, /unknown keyword 'bogus'/],
    ['group.name = "x"', 0, /not supported/],
    ['http.status CONTAINS "5"', 21, /number keyword/],
    ['http.status = "500"', 14, /expected a number/],
    ['http.url > 3', 11, /string keyword/],
    ['http.url = 3', 11, /quoted string/],
    ['fault = 1', 8, /expected true or false/],
    ['fault > true', 8, /boolean keyword/],
    ['annotation.x CONTAINS 1', 22, /quoted string/],
    ['annotation.x < "a"', 15, /expected a number/],
    ['annotation[', 11, /annotation key/],
    ['annotation[x', 12, /expected '\]'/],
    ['annotation = 1', 11, /expected '\['/],
    ['http.url = "abc', 11, /unterminated string/],
    ['http.url = "a\\q"', 13, /invalid escape/],
    ['duration > 5s', 11, /invalid number/],
    ['duration % 5', 9, /unexpected character '%'/],
    ['service', 7, /expected '\(' after 'service'/],
    ['service("a"', 11, /to close 'service\('/],
    ['service("a") { fault', 20, /to close '\{' from position 13/],
    ['service(3)', 8, /quoted service name or id/],
    ['service(id(nam: "x"))', 11, /'name:' or 'type:'/],
    ['service(id(name "x"))', 16, /expected ':'/],
    ['service(id(name: x))', 17, /quoted string after 'name:'/],
    ['service(id(name: "x")', 21, /to close 'service\('/],
    ['service(id(name: "x", type: "y"', 31, /to close 'id\('/],
    ['edge("a")', 8, /between the two services/],
    ['fault, error', 5, /expected a keyword/],
  ];
  for (const [text, position, message] of ERRORS) {
    it(JSON.stringify(text), () => {
      assert.throws(
        () => parseFilter(text),
        (error: unknown) => {
          assert.ok(error instanceof FilterSyntaxError);
          assert.match(error.message, message);
          assert.equal(error.position, position, error.message);
          assert.match(error.message, new RegExp(`at position ${position}$`));
          return true;
        },
      );
    });
  }

  it('rejects overlong and too deeply nested filters', () => {
    assert.throws(() => parseFilter('f'.repeat(MAX_FILTER_LENGTH + 1)), /longer than 4096 characters/);
    assert.throws(
      () => parseFilter('('.repeat(2000) + 'fault' + ')'.repeat(2000)),
      /nested too deeply at position 64/,
    );
    assert.throws(() => parseFilter('!'.repeat(4000) + 'fault'), /nested too deeply/);
    assert.throws(() => parseFilter('service() {'.repeat(300)), /nested too deeply/);
    assert.throws(() => parseFilter(42 as unknown as string), FilterSyntaxError);
    assert.ok(parseFilter('('.repeat(60) + 'fault' + ')'.repeat(60)));
  });
});

describe('filter parser fuzz', () => {
  const pieces = [
    'responsetime',
    'duration',
    'http.status',
    'http.url',
    'fault',
    'ok',
    'annotation.k',
    'annotation[',
    ']',
    'service(',
    'edge(',
    'id(',
    'name:',
    ')',
    '(',
    '{',
    '}',
    ',',
    '!',
    '=',
    '!=',
    '<',
    '>=',
    'CONTAINS',
    'and',
    'OR',
    '"x"',
    '"',
    '\\',
    '1.5',
    '-2',
    'true',
    ' ',
  ];
  const trace = { summary: summarize('t', threeServiceTrace().docs), documents: threeServiceTrace().docs };

  it('only ever throws FilterSyntaxError, and evaluates what it accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((a) => a.join(' ')),
          fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((a) => a.join('')),
        ),
        (text) => {
          let expr;
          try {
            expr = parseFilter(text);
          } catch (error) {
            assert.ok(error instanceof FilterSyntaxError, String(error));
            assert.ok(error.position >= 0 && error.position <= text.length, `${error.position} ${text}`);
            return;
          }
          assert.equal(typeof matchesFilter(expr, trace), 'boolean');
        },
      ),
      { numRuns: 3000, seed: 99 },
    );
  });

  it('parses 4 KiB inputs in work linear in their tokens (one pass, no backtracking)', () => {
    // Each grammar rule the parser enters consumes a token or descends one level (at most four rules
    // per operand), so 4 steps per token bound the parse of anything up to MAX_FILTER_LENGTH.
    const stepsPerToken = 4;
    const check = (text: string): void => {
      let tokens;
      try {
        tokens = tokenize(text);
      } catch (error) {
        assert.ok(error instanceof FilterSyntaxError);
        return;
      }
      const parser = new Parser(tokens);
      try {
        parser.parse();
      } catch (error) {
        assert.ok(error instanceof FilterSyntaxError);
      }
      assert.ok(
        parser.steps <= stepsPerToken * tokens.length,
        `${parser.steps} steps for ${tokens.length} tokens: ${text.slice(0, 80)}`,
      );
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ minLength: 4000, maxLength: 4096 }),
          fc
            .array(fc.constantFrom(...pieces), { minLength: 600, maxLength: 1000 })
            .map((a) => a.join(' ').slice(0, MAX_FILTER_LENGTH)),
        ),
        check,
      ),
      { numRuns: 60, seed: 3 },
    );
    const long = Array.from({ length: 400 }, () => 'fault').join(' OR ');
    assert.ok(long.length <= MAX_FILTER_LENGTH);
    assert.ok(parseFilter(long));
    check(long);
    check('('.repeat(60) + 'fault' + ')'.repeat(60));
    check('!'.repeat(60) + 'fault');
    check('service() { '.repeat(60) + 'fault' + ' }'.repeat(60));
  });
});
