/** Filter expressions: a table of expressions over a seeded store, error positions, and a parser fuzz. */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { FilterSyntaxError, MAX_FILTER_LENGTH, matchesFilter, parseFilter } from '../src/filter';
import { summarize, TraceStore } from '../src/store';
import type { SegmentDocument } from '../src/types';
import { threeServiceTrace } from './trace-fixtures';

const SHOP = '1-00000001-000000000000000000000001';
const LOGIN = '1-00000002-000000000000000000000002';
const BATCH = '1-00000003-000000000000000000000003';
const ITEMS404 = '1-00000004-000000000000000000000004';
const ITEMS429 = '1-00000005-000000000000000000000005';

function segment(traceId: string, fields: SegmentDocument): SegmentDocument {
  return { trace_id: traceId, id: traceId.slice(-16), start_time: 200, ...fields };
}

function seededStore(): TraceStore {
  const store = new TraceStore();
  for (const doc of threeServiceTrace(SHOP).docs) store.add(doc);
  store.add(
    segment(LOGIN, {
      name: 'frontend',
      start_time: 201,
      end_time: 203.5,
      fault: true,
      user: 'alice',
      http: {
        request: {
          method: 'POST',
          url: 'https://shop.example.com/login',
          user_agent: 'curl/8.0',
          client_ip: '10.0.0.1',
        },
        response: { status: 500 },
      },
      annotations: { customer: 'silver', beta: true, 'odd-key': 'x' },
    }),
  );
  store.add(
    segment(BATCH, { name: 'batch', start_time: 202, in_progress: true, annotations: { retries: 5 } }),
  );
  store.add(
    segment(ITEMS404, {
      name: 'frontend',
      start_time: 203,
      end_time: 203.05,
      error: true,
      user: 'bob',
      http: {
        request: { method: 'GET', url: 'https://shop.example.com/items/9' },
        response: { status: 404 },
      },
      annotations: { customer: 'gold', retries: 0 },
    }),
  );
  store.add(
    segment(ITEMS429, {
      name: 'frontend',
      start_time: 204,
      end_time: 204.01,
      error: true,
      throttle: true,
      http: {
        request: { method: 'GET', url: 'https://shop.example.com/items/1' },
        response: { status: 429 },
      },
    }),
  );
  return store;
}

const ALL = [ITEMS429, ITEMS404, BATCH, LOGIN, SHOP];

// expression -> matching trace ids (newest first, as listed)
const TABLE: Array<[string, string[]]> = [
  ['responsetime > 2', [LOGIN]],
  ['responsetime >= 0.5', [LOGIN, SHOP]],
  ['responsetime < 0.05', [ITEMS429]],
  ['responsetime <= 0.05', [ITEMS429, ITEMS404]],
  ['responseTime = 2.5', [LOGIN]],
  ['responsetime != 2.5', [ITEMS429, ITEMS404, SHOP]],
  ['duration >= 0.5 AND duration <= 3', [LOGIN, SHOP]],
  ['duration < 0.02', [ITEMS429, BATCH]],
  ['http.status = 404', [ITEMS404]],
  ['http.status != 200', [ITEMS429, ITEMS404, LOGIN]],
  ['http.status >= 400 and http.status < 500', [ITEMS429, ITEMS404]],
  ['http.url CONTAINS "/items/"', [ITEMS429, ITEMS404]],
  ['http.url BEGINSWITH "https://shop.example.com/l"', [LOGIN]],
  ['http.url endswith "/checkout"', [SHOP]],
  ['http.url = "https://shop.example.com/items/1"', [ITEMS429]],
  ['http.url', [ITEMS429, ITEMS404, LOGIN, SHOP]],
  ['!http.url', [BATCH]],
  ['http.method = "POST"', [LOGIN]],
  ['http.method != "GET"', [LOGIN]],
  ['http.useragent CONTAINS "curl"', [LOGIN]],
  ['http.clientip = "203.0.113.7"', [SHOP]],
  ['user = "alice" OR user = "bob"', [ITEMS404, LOGIN]],
  ['user CONTAINS ""', [ITEMS404, LOGIN, SHOP]],
  ['fault', [LOGIN]],
  ['fault = true', [LOGIN]],
  ['fault = "true"', [LOGIN]],
  ['!fault AND !error', [BATCH, SHOP]],
  ['fault != true', [ITEMS429, ITEMS404, BATCH, SHOP]],
  ['error', [ITEMS429, ITEMS404]],
  ['error = false', [BATCH, LOGIN, SHOP]],
  ['throttle', [ITEMS429]],
  ['ok', [BATCH, SHOP]],
  ['ok !partial duration < 3', [SHOP]],
  ['partial', [BATCH]],
  ['inferred', [SHOP]],
  ['root', ALL],
  ['name = "batch"', [BATCH]],
  ['type = "AWS::EC2::Instance"', [SHOP]],
  ['annotation.customer = "gold"', [ITEMS404, SHOP]],
  ['annotation[customer] != "gold"', [LOGIN]],
  ['annotation["odd-key"] = "x"', [LOGIN]],
  ['annotation.retries > 1', [BATCH]],
  ['annotation.retries = 0', [ITEMS404]],
  ['annotation.beta = true', [LOGIN]],
  ['annotation.bytes', [SHOP]],
  ['!annotation.customer', [ITEMS429, BATCH]],
  ['annotation.customer BEGINSWITH "go"', [ITEMS404, SHOP]],
  ['annotation.order_id ENDSWITH "17"', [SHOP]],
  ['service("orders")', [SHOP]],
  ['service("frontend") { fault }', [LOGIN]],
  ['service() { fault }', [LOGIN, SHOP]],
  ['service() { throttle }', [ITEMS429, SHOP]],
  [
    'service("api.example.com") { fault = true OR responsetime > 2.5 } AND annotation.customer = "gold"',
    [SHOP],
  ],
  ['service(id(name: "DynamoDB", type: "AWS::DynamoDB")) { throttle }', [SHOP]],
  ['service(id(type: "AWS::ECS::Container"))', [SHOP]],
  ['service(id(name: "orders", type: "service"))', []],
  ['service("frontend") { root = true AND http.status = 200 }', [SHOP]],
  ['service("inventory") { root }', []],
  ['service("orders") { http.method = "POST" AND responsetime > 0.2 AND user CONTAINS "" }', []],
  [
    'service("orders") { annotation.order_id = "o-17" AND name = "orders" AND type = "AWS::ECS::Container" }',
    [SHOP],
  ],
  ['service() { inferred AND !partial AND duration < 0.2 }', [SHOP]],
  ['service("batch") { partial }', [BATCH]],
  ['edge("frontend", "orders")', [SHOP]],
  ['edge("orders", "inventory") { error }', [SHOP]],
  ['edge("orders", "inventory") { fault }', []],
  ['edge("client", "frontend") { http.status = 500 }', [LOGIN]],
  ['edge(id(name: "frontend"), "api.example.com") { http.url CONTAINS "/v2/" }', [SHOP]],
  [
    'http.url BEGINSWITH "https://shop.example.com/" AND http.url CONTAINS "/items/" AND !service("orders")',
    [ITEMS429, ITEMS404],
  ],
  ['(fault OR throttle) AND !service("orders")', [ITEMS429, LOGIN]],
];

describe('filter expressions over a seeded store', () => {
  const store = seededStore();
  for (const [expression, expected] of TABLE) {
    it(expression, () => {
      assert.deepEqual(
        store.listTraces(expression, 1000).map((s) => s.id),
        expected,
      );
    });
  }

  it('the table covers every keyword and operator', () => {
    const text = TABLE.map(([e]) => e.toLowerCase()).join('\n');
    for (const word of [
      'responsetime',
      'duration',
      'http.status',
      'http.url',
      'http.method',
      'http.useragent',
      'http.clientip',
      'user',
      'fault',
      'error',
      'throttle',
      'ok',
      'partial',
      'inferred',
      'root',
      'annotation.',
      'annotation[',
      'service(',
      'service()',
      'edge(',
      'id(',
      ' = ',
      ' != ',
      ' < ',
      ' <= ',
      ' > ',
      ' >= ',
      'contains',
      'beginswith',
      'endswith',
      ' and ',
      ' or ',
      '!',
      '(',
      '{',
    ]) {
      assert.ok(text.includes(word), word);
    }
  });

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

  it('matchesFilter works on a bare { summary, documents } (no root segment, annotations of other types)', () => {
    const docs: SegmentDocument[] = [
      {
        type: 'subsegment',
        id: 'a',
        parent_id: 'zz',
        name: 'x',
        start_time: 1,
        end_time: 2,
        annotations: { n: 1 },
      },
    ];
    const trace = { summary: summarize('t', docs), documents: docs };
    assert.equal(matchesFilter(parseFilter('annotation.n = "1"'), trace), false);
    assert.equal(matchesFilter(parseFilter('annotation.n = 1'), trace), true);
    assert.equal(matchesFilter(parseFilter('type = "service"'), trace), true);
    assert.equal(matchesFilter(parseFilter('fault'), trace), false);
    assert.equal(matchesFilter(parseFilter('service()'), trace), false);
    assert.equal(matchesFilter(parseFilter('http.status'), trace), false);
    const empty = { summary: summarize('t', []), documents: [] };
    assert.equal(matchesFilter(parseFilter('name = ""'), empty), false);
    assert.equal(matchesFilter(parseFilter('type = "service"'), empty), false);
    assert.equal(matchesFilter(parseFilter('fault'), empty), false);
    assert.equal(matchesFilter(parseFilter('ok'), empty), false);
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

  it('parses 4 KiB inputs quickly', () => {
    const start = Date.now();
    fc.assert(
      fc.property(fc.string({ minLength: 4000, maxLength: 4096 }), (text) => {
        try {
          parseFilter(text);
        } catch (error) {
          assert.ok(error instanceof FilterSyntaxError);
        }
      }),
      { numRuns: 50, seed: 3 },
    );
    const long = Array.from({ length: 400 }, () => 'fault').join(' OR ');
    assert.ok(long.length <= MAX_FILTER_LENGTH);
    assert.ok(parseFilter(long));
    assert.ok(Date.now() - start < 5000);
  });
});
