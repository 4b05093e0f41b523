/**
 * The sql block with the stable database conventions (option `stableDbConventions`, default true;
 * the collector's gate `exporter.awsxray.EmitV1DBConventions`, plus the classic SDK's url). The
 * attribute maps are the ones `@opentelemetry/instrumentation-pg` 0.76 set (test/instrumentations.test.ts
 * runs it): it writes only the stable keys, whatever `OTEL_SEMCONV_STABILITY_OPT_IN` says.
 */
import * as assert from 'node:assert/strict';
import { spanToSegment, type AttributesLike, type Segment, type TranslatorOptions } from '../src';
import { makeSpan, schemaErrors } from './helpers';

const PARENT = '00fe93e601a919fe';

/** A pg query span (`pg.query:SELECT shop`), as instrumentation-pg 0.76 records it. */
const PG_QUERY: AttributesLike = {
  'db.system.name': 'postgresql',
  'db.namespace': 'shop',
  'server.address': '127.0.0.1',
  'server.port': 5432,
  'db.query.text': 'SELECT id FROM orders',
};

/** The old conventions (instrumentation-pg before 0.5x), what the collector reads by default. */
const OLD_QUERY: AttributesLike = {
  'db.system': 'postgresql',
  'db.name': 'shop',
  'db.statement': 'SELECT id FROM orders',
  'db.user': 'shopuser',
  'db.connection_string': 'postgresql://db.example.com:5432/shop',
  'net.peer.name': 'db.example.com',
  'net.peer.port': 5432,
};

/** `attributes` without `key` (an instrumentation that has no value sets no attribute). */
function without(attributes: AttributesLike, key: string): AttributesLike {
  const copy = { ...attributes };
  delete copy[key];
  return copy;
}

function translate(
  attributes: AttributesLike,
  options?: TranslatorOptions,
  name = 'pg.query:SELECT shop',
): Segment {
  const doc = spanToSegment(makeSpan({ kind: 2, name, attributes, parentSpanId: PARENT }), options);
  assert.equal(schemaErrors(doc), undefined);
  return doc;
}

describe('sql block: the stable database conventions (stableDbConventions)', () => {
  it("a pg query: sql block and name as the classic SDK's capturePostgres writes them", () => {
    const doc = translate(PG_QUERY);
    assert.equal(doc.name, 'shop@127.0.0.1');
    assert.equal(doc.namespace, 'remote');
    assert.deepEqual(doc.sql, {
      url: 'postgresql://127.0.0.1:5432/shop',
      connection_string: 'postgresql://127.0.0.1:5432/shop',
      sanitized_query: 'SELECT id FROM orders',
      database_type: 'postgresql',
    });
    assert.equal(doc.http, undefined);
    assert.equal(doc.metadata, undefined, 'every key consumed (server.* by the http block)');
  });

  it('pg.connect / pg-pool.connect (no query): named and described like the database', () => {
    const doc = translate(
      { ...without(PG_QUERY, 'db.query.text'), 'db.postgresql.idle.timeout.millis': 10000 },
      undefined,
      'pg-pool.connect',
    );
    assert.equal(doc.name, 'shop@127.0.0.1');
    assert.equal(doc.sql?.url, 'postgresql://127.0.0.1:5432/shop');
    assert.equal(doc.sql?.sanitized_query, undefined, 'no query: none (the classic SDK writes none)');
    // The old conventions keep the collector's empty query.
    const old = translate(without(OLD_QUERY, 'db.statement'), undefined, 'pg.connect');
    assert.equal(old.sql?.sanitized_query, '');
    assert.equal(doc.metadata?.default?.['db.postgresql.idle.timeout.millis'], 10000);
  });

  it('user.name is the user; renamed systems count as SQL and get a URL scheme', () => {
    assert.equal(translate({ ...PG_QUERY, 'user.name': 'shopuser' }).sql?.user, 'shopuser');
    const cases: [string, string][] = [
      ['microsoft.sql_server', 'mssql://127.0.0.1:5432/shop'],
      ['ibm.db2', 'db2://127.0.0.1:5432/shop'],
      ['oracle.db', 'oracle://127.0.0.1:5432/shop'],
      ['mysql', 'mysql://127.0.0.1:5432/shop'],
    ];
    for (const [system, url] of cases) {
      const doc = translate({ ...PG_QUERY, 'db.system.name': system });
      assert.equal(doc.sql?.database_type, system);
      assert.equal(doc.sql?.url, url);
    }
    // other_sql has no URL scheme: the collector's url (the span name) and connection string.
    const other = translate({ ...PG_QUERY, 'db.system.name': 'other_sql' });
    assert.equal(other.sql?.url, 'pg.query:SELECT shop');
    assert.equal(other.sql?.connection_string, 'localhost/shop');
    // Not SQL: no block, the keys stay in metadata.
    const redis = translate({
      'db.system.name': 'redis',
      'db.query.text': 'GET k',
      'server.address': 'cache',
    });
    assert.equal(redis.sql, undefined);
    assert.equal(redis.metadata?.default?.['db.query.text'], 'GET k');
  });

  it('the URL: an IPv6 address in brackets, a string port as is, no port or no address', () => {
    assert.equal(
      translate({ ...PG_QUERY, 'server.address': '::1' }).sql?.url,
      'postgresql://[::1]:5432/shop',
    );
    assert.equal(translate({ ...PG_QUERY, 'server.address': '::1' }).name, 'shop@::1');
    assert.equal(
      translate({ ...PG_QUERY, 'server.port': '6432' }).sql?.url,
      'postgresql://127.0.0.1:6432/shop',
    );
    assert.equal(translate(without(PG_QUERY, 'server.port')).sql?.url, 'postgresql://127.0.0.1/shop');
    const noAddress = translate(without(PG_QUERY, 'server.address'));
    assert.equal(noAddress.sql?.url, 'pg.query:SELECT shop');
    assert.equal(noAddress.sql?.connection_string, 'localhost/shop');
    assert.equal(noAddress.name, 'shop');
    const noDatabase = translate(without(PG_QUERY, 'db.namespace'));
    assert.equal(noDatabase.sql?.url, 'postgresql://127.0.0.1:5432/');
    assert.equal(noDatabase.name, 'pg.query:SELECT shop');
  });

  it('old keys win key by key; the old conventions keep the collector url and connection string', () => {
    const old = translate(OLD_QUERY, undefined, 'call-db');
    assert.equal(old.name, 'shop@db.example.com');
    assert.deepEqual(old.sql, {
      url: 'call-db',
      connection_string: 'postgresql://db.example.com:5432/shop/shop',
      sanitized_query: 'SELECT id FROM orders',
      database_type: 'postgresql',
      user: 'shopuser',
    });
    assert.deepEqual(translate(OLD_QUERY, { stableDbConventions: false }, 'call-db'), old);
    // Both conventions (an instrumentation's `database/dup` mode): the old keys are used, the stable
    // ones consumed all the same.
    const dup = translate({
      ...OLD_QUERY,
      ...PG_QUERY,
      'db.namespace': 'other',
      'db.query.text': 'SELECT 2',
    });
    assert.equal(dup.name, 'shop@db.example.com');
    assert.equal(dup.sql?.sanitized_query, 'SELECT id FROM orders');
    assert.equal(dup.sql?.url, 'pg.query:SELECT shop');
    assert.equal(dup.metadata?.default?.['db.namespace'], undefined);
    // A stable span with a connection string: its host names the span, the collector's url.
    const withConnection = translate({
      ...PG_QUERY,
      'db.connection_string': 'jdbc:postgresql://db.internal:5432',
    });
    assert.equal(withConnection.name, 'shop@db.internal');
    assert.equal(withConnection.sql?.connection_string, 'jdbc:postgresql://db.internal:5432/shop');
    assert.equal(withConnection.sql?.url, 'pg.query:SELECT shop');
  });

  it("stableDbConventions: false gives the collector's default: no sql block, named by span name", () => {
    const doc = translate(PG_QUERY, { stableDbConventions: false });
    assert.equal(doc.sql, undefined);
    assert.equal(doc.name, 'pg.query:SELECT shop');
    assert.equal(doc.metadata?.default?.['db.system.name'], 'postgresql');
    assert.equal(doc.metadata?.default?.['db.query.text'], 'SELECT id FROM orders');
    const renamed = translate(
      { 'db.system': 'microsoft.sql_server', 'db.name': 'x' },
      { stableDbConventions: false },
    );
    assert.equal(renamed.sql, undefined);
  });
});
