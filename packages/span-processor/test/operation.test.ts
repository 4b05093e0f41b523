import * as assert from 'node:assert/strict';
import { httpMethod, serverOperation, sqlKeyword } from '../src/operation';

describe('operation', () => {
  it('httpMethod: http.request.method, else http.method', () => {
    assert.equal(httpMethod({ 'http.request.method': 'GET', 'http.method': 'POST' }), 'GET');
    assert.equal(httpMethod({ 'http.method': 'POST' }), 'POST');
    assert.equal(httpMethod({ 'http.request.method': '', 'http.method': 7 }), undefined);
  });

  describe('serverOperation (ADOT ingress operation)', () => {
    it('keeps a span name that says something', () => {
      assert.equal(serverOperation('GET /users/:id', { 'http.request.method': 'GET' }), 'GET /users/:id');
      assert.equal(serverOperation('ProcessOrder', {}), 'ProcessOrder');
    });

    it('a name that is only the method: METHOD + http.route, else the route the framework recorded', () => {
      const attributes = { 'http.request.method': 'GET', 'url.path': '/users/42' };
      assert.equal(serverOperation('GET', { ...attributes, 'http.route': '/users/:id' }), 'GET /users/:id');
      assert.equal(serverOperation('GET', attributes, '/users/:id'), 'GET /users/:id');
      assert.equal(serverOperation('', { 'http.route': '/health' }), '/health');
    });

    it("falls back to ADOT's METHOD /first-segment from http.target, http.url, url.path, url.full", () => {
      assert.equal(
        serverOperation('GET', { 'http.method': 'GET', 'http.target': '/payment/1234?x=1' }),
        'GET /payment',
      );
      assert.equal(
        serverOperation('GET', { 'http.method': 'GET', 'http.url': 'https://shop.example.com/orders/9' }),
        'GET /orders',
      );
      assert.equal(serverOperation('UnknownOperation', { 'url.path': '/a/b' }), '/a');
      assert.equal(serverOperation(undefined, { 'url.full': 'http://h' }), '/');
      assert.equal(serverOperation('GET', { 'http.request.method': 'GET', 'url.full': 'garbage' }), 'GET /');
    });

    it('the first key present decides, even when its value is unusable (ADOT)', () => {
      assert.equal(
        serverOperation('GET', { 'http.request.method': 'GET', 'http.target': 5, 'url.path': '/x' }),
        'UnknownOperation',
      );
      const get = { 'http.request.method': 'GET' };
      assert.equal(serverOperation('GET', { ...get, 'http.url': 5 }), 'UnknownOperation');
      assert.equal(serverOperation('GET', { ...get, 'url.path': 5 }), 'UnknownOperation');
      assert.equal(serverOperation('GET', { ...get, 'url.full': 5 }), 'UnknownOperation');
      assert.equal(serverOperation('GET', { 'http.url': 5 }), 'GET', 'no method attribute: the name is kept');
    });

    it('UnknownOperation when nothing tells', () => {
      assert.equal(serverOperation('GET', { 'http.request.method': 'GET' }), 'UnknownOperation');
      assert.equal(serverOperation(42, {}), 'UnknownOperation');
    });
  });

  describe('sqlKeyword', () => {
    const cases: Array<[string, string | undefined]> = [
      ['SELECT * FROM orders', 'SELECT'],
      ['  \n\tselect id from orders', 'SELECT'],
      ['select(1)', 'SELECT'],
      ['SELECT DISTINCT name FROM t', 'SELECT DISTINCT'],
      ['insert into orders values (1)', 'INSERT INTO'],
      ['INSERT  INTO orders', 'INSERT'],
      ['CREATE TABLE t (id int)', 'CREATE TABLE'],
      ['CREATE UNIQUE INDEX i ON t (id)', 'CREATE'],
      ['DROP TABLE t', 'DROP TABLE'],
      ['update orders set x = 1', 'UPDATE'],
      ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH'],
      ['SELECTED', undefined],
      ['SELECT_X', undefined],
      ['CREATE TABLES', 'CREATE'],
      ['orders', undefined],
      ['', undefined],
      ['   ', undefined],
      ['42', undefined],
      ['(SELECT 1)', undefined],
      [' '.repeat(30) + 'SELECT 1', 'SELECT'],
      ['DELETE ' + 'x'.repeat(40), 'DELETE'],
      ['TRUNCATE TABLEX', 'TRUNCATE'],
      ['TRUNCATE TABLE', 'TRUNCATE TABLE'],
    ];
    for (const [statement, expected] of cases)
      it(`${JSON.stringify(statement.slice(0, 40))} → ${expected}`, () =>
        assert.equal(sqlKeyword(statement), expected));

    it('looks at the first 27 characters only, as ADOT', () => {
      assert.equal(sqlKeyword('ALTER ' + 'x'.repeat(30)), 'ALTER');
      assert.equal(sqlKeyword('SELECT ' + ' '.repeat(19) + 'DISTINCT'), 'SELECT');
      assert.equal(sqlKeyword('x'.repeat(30) + ' SELECT'), undefined);
    });
  });
});
