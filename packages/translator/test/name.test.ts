/**
 * Segment names X-Ray accepts (option `cleanNames`, default true; a documented deviation): every
 * path of §3 steps 1–11 and the LOCAL_ROOT overrides of §2.2, cleaned with @xray-otel/core's
 * `toXRayName` / `cleanXRayName`; `cleanNames: false` restores the collector's verbatim names.
 */
import * as assert from 'node:assert/strict';
import { isXRayName } from '@xray-otel/core';
import {
  fixSegmentName,
  spanToSegment,
  spanToSegments,
  type AttributesLike,
  type TranslatorOptions,
} from '../src';
import { makeSpan, schemaErrors } from './helpers';

const PARENT = '00fe93e601a919fe';
const LONG = 'n'.repeat(300);
const COLLECTOR: TranslatorOptions = { cleanNames: false };

function nameOf(
  kind: number,
  attributes: AttributesLike,
  options?: TranslatorOptions,
  extra: Parameters<typeof makeSpan>[0] = {},
): string {
  const doc = spanToSegment(makeSpan({ kind, attributes, parentSpanId: PARENT, ...extra }), options);
  // The schema is checked where the rest of the document is ordinary (a 300-character http.host
  // also makes an http.request.url longer than the schema's 250).
  if (options?.cleanNames !== false) assert.ok(isXRayName(doc.name), JSON.stringify(doc.name));
  return doc.name;
}

describe('segment names X-Ray accepts (cleanNames)', () => {
  it('every attribute step: a name X-Ray rejects is cleaned, the collector keeps it verbatim', () => {
    const steps: [number, string][] = [
      [1, 'aws.local.service'],
      [2, 'aws.remote.service'],
      [3, 'aws.remote.service'],
      [4, 'aws.remote.service'],
      [0, 'peer.service'],
      [0, 'aws.service'],
      [0, 'rpc.service'],
      [0, 'http.host'],
      [0, 'net.peer.name'],
    ];
    for (const [kind, key] of steps) {
      assert.equal(nameOf(kind, { [key]: 'orders (prod)' }), 'orders prod', key);
      assert.equal(nameOf(kind, { [key]: 'orders (prod)' }, COLLECTOR), 'orders (prod)', key);
      assert.equal(nameOf(kind, { [key]: LONG }), 'n'.repeat(200), key);
      assert.equal(nameOf(kind, { [key]: LONG }, COLLECTOR), LONG, key);
    }
    const local = { 'aws.span.kind': 'LOCAL_ROOT', 'aws.local.service': 'orders (prod)' };
    assert.equal(nameOf(0, local), 'orders prod');
    assert.equal(nameOf(0, local, COLLECTOR), 'orders (prod)');
  });

  it('resource service.name on a SERVER span and db.name@host are cleaned too', () => {
    const resource = { attributes: { 'service.name': 'orders (prod)' } };
    assert.equal(nameOf(1, {}, undefined, { resource }), 'orders prod');
    assert.equal(schemaErrors(spanToSegment(makeSpan({ kind: 1, resource }))), undefined);
    assert.equal(nameOf(1, {}, COLLECTOR, { resource }), 'orders (prod)');
    const db = { 'db.name': 'shop$db', 'db.connection_string': 'jdbc:mysql://db.example.com:3306' };
    assert.equal(nameOf(2, db), 'shopdb@db.example.com');
    assert.equal(nameOf(2, db, COLLECTOR), 'shop$db@db.example.com');
  });

  it('valid names are kept verbatim, even outside the span-name alphabet', () => {
    // X-Ray's rule (xray-protocol.md) allows any whitespace, Unicode numbers and `\`, which the
    // 1.0.0 schema's BMP-only pattern predates: checked with isXRayName only.
    for (const name of [
      'Orders\tService',
      'C:\\svc',
      'Ünïcödé ٣',
      'a@b.example.com:8080/x#y',
      '𝒜'.repeat(200),
    ]) {
      const doc = spanToSegment(makeSpan({ kind: 1, attributes: { 'aws.local.service': name } }));
      assert.equal(doc.name, name);
      assert.ok(isXRayName(doc.name));
    }
  });

  it('an attribute with nothing usable counts as empty: the next step names the document', () => {
    assert.equal(nameOf(1, { 'aws.local.service': '()', 'peer.service': 'payments' }), 'payments');
    assert.equal(nameOf(1, { 'aws.local.service': '()', 'peer.service': 'payments' }, COLLECTOR), '()');
    // aws.service still sets the namespace, as an empty aws.service does in the collector.
    const doc = spanToSegment(
      makeSpan({ kind: 0, parentSpanId: PARENT, attributes: { 'aws.service': '<>', 'rpc.service': 'S3' } }),
    );
    assert.equal(doc.name, 'S3');
    assert.equal(doc.namespace, 'aws');
    assert.equal(nameOf(0, { 'db.name': '!!' }, undefined, { name: 'fallback' }), 'fallback');
  });

  it('AWS SDK prefixes are trimmed before cleaning', () => {
    const sdk = { 'rpc.system': 'aws-api', 'aws.remote.service': 'AWS.SDK.Dynamo(DB)' };
    assert.equal(nameOf(2, sdk), 'DynamoDB');
    assert.equal(nameOf(2, sdk, COLLECTOR), 'Dynamo(DB)');
  });

  it('the span-name step cuts between characters (no U+FFFD); the collector cuts inside one', () => {
    const name = 'a'.repeat(199) + 'é';
    assert.equal(nameOf(0, {}, undefined, { name }), 'a'.repeat(199));
    assert.equal(nameOf(0, {}, COLLECTOR, { name }), 'a'.repeat(199) + '\ufffd');
    assert.equal(nameOf(0, {}, undefined, { name: 'GET /orders, (v2)' }), 'GET /orders v2');
    assert.equal(nameOf(0, {}, undefined, { name: '<>' }), 'span');
  });

  it('LOCAL_ROOT split: dependency and service segment names are cleaned', () => {
    const span = makeSpan({
      kind: 2,
      parentSpanId: PARENT,
      attributes: {
        'aws.span.kind': 'LOCAL_ROOT',
        'aws.remote.service': 'payments [eu]',
        'aws.local.service': 'orders (prod)',
      },
    });
    const [dependency, service] = spanToSegments(span);
    assert.equal(dependency.name, 'payments eu');
    assert.equal(service.name, 'orders prod');
    for (const doc of [dependency, service]) assert.equal(schemaErrors(doc), undefined);
    const [collectorDependency, collectorService] = spanToSegments(span, COLLECTOR);
    assert.equal(collectorDependency.name, 'payments [eu]');
    assert.equal(collectorService.name, 'orders (prod)');

    // Overrides that clean to nothing keep the computed (valid) name; the collector takes them as is.
    const empty = makeSpan({
      kind: 3,
      name: 'publish orders',
      attributes: { 'aws.span.kind': 'LOCAL_ROOT', 'aws.remote.service': '()', 'aws.local.service': '' },
    });
    const names = spanToSegments(empty).map((doc) => doc.name);
    assert.deepEqual(names, ['publish orders', 'publish orders']);
    assert.deepEqual(
      spanToSegments(empty, COLLECTOR).map((doc) => doc.name),
      ['()', ''],
    );
  });

  it('fixSegmentName stays the collector-exact span-name rule', () => {
    assert.equal(fixSegmentName('a'.repeat(198) + 'ह'), 'a'.repeat(198) + '\ufffd\ufffd');
    assert.equal(fixSegmentName('a'.repeat(197) + ',ह' + 'b'), 'a'.repeat(197) + 'ह');
    assert.equal(fixSegmentName('a'.repeat(197) + '😀'), 'a'.repeat(197)); // a symbol, not a letter
    assert.equal(fixSegmentName('a'.repeat(197) + '𝒜'), 'a'.repeat(197) + '\ufffd\ufffd\ufffd');
    assert.equal(fixSegmentName('ह'.repeat(66) + 'a,'), 'ह'.repeat(66) + 'a');
    assert.equal(fixSegmentName('ह'.repeat(66) + ',.'), 'ह'.repeat(66) + '.');
    assert.equal(fixSegmentName('ह'.repeat(66) + 'ह'), 'ह'.repeat(66) + '\ufffd\ufffd');
  });
});

describe('§3 step 6 with the stable database conventions (stableDbConventions)', () => {
  const PG = { 'db.system.name': 'postgresql', 'db.namespace': 'shop', 'server.address': 'db.internal' };
  it('db.namespace@server.address, before rpc.service and net.peer.name; not for AWS SDK spans', () => {
    assert.equal(nameOf(2, PG), 'shop@db.internal');
    assert.equal(nameOf(2, { ...PG, 'rpc.service': 'Orders', 'net.peer.name': 'peer' }), 'shop@db.internal');
    assert.equal(nameOf(2, { ...PG, 'peer.service': 'orders-db' }), 'orders-db', 'steps 1-5 come first');
    // DynamoDB writes its table as db.namespace: the call is named after the service.
    const dynamodb = { 'rpc.system': 'aws-api', 'rpc.service': 'DynamoDB', 'db.namespace': 'orders' };
    assert.equal(nameOf(2, { ...dynamodb, 'db.system.name': 'dynamodb' }), 'DynamoDB');
    assert.equal(nameOf(2, PG, { stableDbConventions: false }), 'operation');
  });
  it('cleaned like db.name@host with cleanNames, verbatim without', () => {
    const odd = { ...PG, 'db.namespace': 'shop (eu)' };
    assert.equal(nameOf(2, odd), 'shop eu@db.internal');
    assert.equal(nameOf(2, odd, COLLECTOR), 'shop (eu)@db.internal');
    // As db.name@host: the whole name is cleaned, the host stays.
    assert.equal(nameOf(2, { ...PG, 'db.namespace': '()' }), '@db.internal');
    assert.equal(nameOf(2, { ...PG, 'db.namespace': '' }), 'operation', 'empty: next steps');
  });
});
