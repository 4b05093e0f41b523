/** The JSON API over a real HTTP server on 127.0.0.1:0. */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiHandler } from '../src/api';
import { TraceStore } from '../src/store';
import type { ApiSources, Rejection, Stats } from '../src/types';
import { T1, threeServiceTrace } from './trace-fixtures';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

const STATS: Stats = {
  received: 7,
  accepted: 6,
  rejected: 1,
  rejectedByReason: { 'invalid-json': 1 },
  evicted: 0,
  traces: 1,
  documents: 6,
  receivedBySource: { udp: 7 },
  startedAt: 1,
};

const REJECTIONS: Rejection[] = Array.from({ length: 5 }, (_, i) => ({
  reason: 'invalid-json',
  detail: `bad ${i}`,
  source: 'udp',
  receivedAt: i,
  sample: '{',
}));

describe('JSON API', () => {
  let server: http.Server;
  let base: string;
  let sources: ApiSources;
  let store: TraceStore;

  before(async () => {
    store = new TraceStore();
    for (const doc of threeServiceTrace().docs) store.add(doc);
    sources = {
      listTraces: (filter, limit) => store.listTraces(filter, limit),
      getTrace: (id) => store.getTrace(id),
      serviceMap: () => store.serviceMap(),
      stats: () => STATS,
      rejected: (limit) => REJECTIONS.slice(0, limit),
    };
    const handler = createApiHandler({
      listTraces: (f, l) => sources.listTraces(f, l),
      getTrace: (id) => sources.getTrace(id),
      serviceMap: () => sources.serviceMap(),
      stats: () => sources.stats(),
      rejected: (l) => sources.rejected(l),
    });
    server = http.createServer((request, response) => {
      if (!handler(request, response)) {
        response.writeHead(418, { 'content-type': 'text/plain' });
        response.end('not api');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function request(path: string, method = 'GET'): Promise<Reply> {
    const response = await fetch(base + path, { method });
    const body = await response.text();
    const headers: http.IncomingHttpHeaders = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers, body, json };
  }

  function assertJson(reply: Reply, status: number): void {
    assert.equal(reply.status, status, reply.body);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(reply.headers['cache-control'], 'no-store');
  }

  it('GET /api/traces lists summaries, with filter and limit', async () => {
    let reply = await request('/api/traces');
    assertJson(reply, 200);
    assert.deepEqual(reply.json, { traces: store.listTraces() });
    reply = await request(
      '/api/traces?filter=' + encodeURIComponent('service("orders") { responsetime > 0.2 }') + '&limit=5',
    );
    assert.deepEqual(
      (reply.json as { traces: Array<{ id: string }> }).traces.map((t) => t.id),
      [T1],
    );
    reply = await request('/api/traces?filter=' + encodeURIComponent('http.status = 500'));
    assert.deepEqual(reply.json, { traces: [] });
    reply = await request('/api/traces?filter=&limit=0');
    assert.deepEqual(reply.json, { traces: [] });
    reply = await request('/api/traces/?limit=5000');
    assert.equal((reply.json as { traces: unknown[] }).traces.length, 1);
  });

  it('a bad filter is a 400 with the message and position; a bad limit is a 400', async () => {
    let reply = await request('/api/traces?filter=' + encodeURIComponent('responsetime >= '));
    assertJson(reply, 400);
    assert.deepEqual(reply.json, {
      error: "expected a value after '>=' but found the end of the filter at position 16",
      position: 16,
    });
    reply = await request('/api/traces?limit=ten');
    assertJson(reply, 400);
    assert.match((reply.json as { error: string }).error, /limit/);
    reply = await request('/api/rejected?limit=-1');
    assertJson(reply, 400);
  });

  it('GET /api/traces/:id returns the assembled trace or 404', async () => {
    let reply = await request('/api/traces/' + encodeURIComponent(T1));
    assertJson(reply, 200);
    assert.deepEqual(reply.json, JSON.parse(JSON.stringify(store.getTrace(T1))));
    reply = await request('/api/traces/1-00000000-000000000000000000000000');
    assertJson(reply, 404);
    assert.match((reply.json as { error: string }).error, /no trace/);
    reply = await request('/api/traces/%E0%A4%A');
    assertJson(reply, 400);
    reply = await request('/api/traces/a%2Fb');
    assertJson(reply, 404);
  });

  it('GET /api/service-map, /api/stats and /api/rejected', async () => {
    let reply = await request('/api/service-map');
    assertJson(reply, 200);
    assert.deepEqual(reply.json, store.serviceMap());
    reply = await request('/api/stats');
    assertJson(reply, 200);
    assert.deepEqual(reply.json, STATS);
    reply = await request('/api/rejected?limit=2');
    assertJson(reply, 200);
    assert.deepEqual(reply.json, { rejected: REJECTIONS.slice(0, 2) });
    reply = await request('/api/rejected');
    assert.equal((reply.json as { rejected: unknown[] }).rejected.length, 5);
  });

  it('other methods are 405 with allow: GET; unknown /api paths 404; other paths are not handled', async () => {
    for (const method of ['POST', 'DELETE', 'PUT']) {
      const reply = await request('/api/traces', method);
      assertJson(reply, 405);
      assert.equal(reply.headers.allow, 'GET');
    }
    let reply = await request('/api/nope');
    assertJson(reply, 404);
    reply = await request('/api');
    assertJson(reply, 404);
    reply = await request('/');
    assert.equal(reply.status, 418);
    reply = await request('/apix');
    assert.equal(reply.status, 418);
  });

  it('an unexpected error is a 500 JSON answer, never a thrown exception', async () => {
    const original = sources;
    sources = {
      ...original,
      stats: () => {
        throw new Error('boom');
      },
      listTraces: () => {
        throw 'not an error';
      },
    };
    try {
      let reply = await request('/api/stats');
      assertJson(reply, 500);
      assert.deepEqual(reply.json, { error: 'internal error: boom' });
      reply = await request('/api/traces');
      assertJson(reply, 500);
      assert.deepEqual(reply.json, { error: 'internal error: not an error' });
    } finally {
      sources = original;
    }
  });

  it('handles odd request objects without throwing', () => {
    const handler = createApiHandler(sources);
    const fake = (url: string | undefined) => {
      const calls: unknown[] = [];
      const response = {
        headersSent: false,
        writeHead: (...args: unknown[]) => calls.push(['writeHead', ...args]),
        end: (...args: unknown[]) => calls.push(['end', ...args]),
        destroy: () => calls.push(['destroy']),
      } as unknown as http.ServerResponse;
      return { handled: handler({ url, method: 'GET' } as http.IncomingMessage, response), calls };
    };
    assert.equal(fake('//[bad').handled, false);
    assert.equal(fake(undefined).handled, false);
    // A response whose writeHead throws after the headers went out is ended / destroyed, not thrown.
    const broken = {
      headersSent: true,
      writeHead: () => {
        throw new Error('socket gone');
      },
      end: () => undefined,
      destroy: () => undefined,
    } as unknown as http.ServerResponse;
    assert.equal(handler({ url: '/api/stats', method: 'GET' } as http.IncomingMessage, broken), true);
    const brokenEnd = {
      ...broken,
      end: () => {
        throw new Error('x');
      },
    } as unknown as http.ServerResponse;
    assert.equal(handler({ url: '/api/stats', method: 'GET' } as http.IncomingMessage, brokenEnd), true);
  });
});
