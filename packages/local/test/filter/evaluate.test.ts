/** Filter evaluation: a table of expressions over a seeded store, bare traces, and the work bound. */
import * as assert from 'node:assert/strict';
import { Evaluator, matchesFilter } from '../../src/filter/evaluate';
import { parseFilter } from '../../src/filter/parse';
import { summarize, TraceStore } from '../../src/store';
import type { SegmentDocument } from '../../src/types';
import { threeServiceTrace } from '../trace-fixtures';

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

  it('evaluates nested service() and edge() once per trace, not once per enclosing node', () => {
    const docs = threeServiceTrace(SHOP).docs;
    const trace = { summary: summarize(SHOP, docs), documents: docs };
    const nodes = new Evaluator(trace);
    nodes.evaluate(parseFilter('service()'), nodes.traceSubject);
    assert.ok(nodes.steps >= 1);
    for (const [inner, outer] of [
      // Inner expressions that match nothing, so every level has to try every node or edge.
      ['service("nowhere")', 'service() { '],
      ['edge("orders", "inventory") { fault }', 'edge("frontend", "orders") { '],
    ]) {
      const depth = 8;
      const text = outer.repeat(depth) + inner + ' }'.repeat(depth);
      const evaluator = new Evaluator(trace);
      const verdict = evaluator.evaluate(parseFilter(text), evaluator.traceSubject);
      assert.equal(verdict, matchesFilter(parseFilter(inner), trace), text);
      // Each nesting level is evaluated for each graph node at most once: linear in the depth. Without
      // keeping the verdicts of service()/edge() this count is (nodes ^ depth), half a million here.
      const graphSize = 20;
      assert.ok(evaluator.steps <= (depth + 1) * graphSize, `${evaluator.steps} steps for ${text}`);
    }
  });
});
