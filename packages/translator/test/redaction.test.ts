/**
 * The `redact` option: span and resource attributes through @xray-otel/core's `redactAttributes`
 * before translation, the http `url` through `redactUrl`. Off by default (collector-exact).
 */
import * as assert from 'node:assert/strict';
import { DEFAULT_REDACTION_RULES, REDACT_ENV, REDACTED, redactionRules } from '@xray-otel/core';
import { spanToSegment, spanToSegments, type AttributesLike, type TranslatorOptions } from '../src';
import { redactedResourceAttributes, resourceKeysOf } from '../src/resource';
import { makeSpan, schemaErrors } from './helpers';

const SECRET_HEADERS: AttributesLike = {
  'http.request.header.authorization': ['Bearer s3cr3t'],
  'http.request.header.cookie': ['session=abc'],
  'http.request.header.proxy-authorization': ['Basic cHJveHk='],
  'http.request.header.x-api-key': ['key-123'],
  'http.request.header.x-amz-security-token': ['FwoGZXIvYXdzE'],
  'http.response.header.set-cookie': ['session=def; HttpOnly'],
  'http.request.header.accept': ['text/html'],
};

const RESOURCE = {
  attributes: {
    'service.name': 'orders',
    'process.command_args': ['node', 'app.js', '--password=hunter2'],
    'process.command_line': 'node app.js --password=hunter2',
    'process.pid': 42,
  },
};

function serverSpan(attributes: AttributesLike, resource = RESOURCE) {
  return makeSpan({
    kind: 1,
    resource,
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      ...attributes,
    },
  });
}

function translate(attributes: AttributesLike, options?: TranslatorOptions) {
  const doc = spanToSegment(serverSpan(attributes), options);
  assert.equal(schemaErrors(doc), undefined);
  return doc;
}

describe('redact option', () => {
  afterEach(() => {
    delete process.env[REDACT_ENV];
  });

  it('off by default: the collector sends captured headers, command lines and URL secrets as they are', () => {
    const doc = translate({ ...SECRET_HEADERS, 'url.full': 'https://u:pw@api.example.com/x?token=t1' });
    assert.deepEqual(doc.metadata?.default?.['http.request.header.authorization'], ['Bearer s3cr3t']);
    assert.deepEqual(doc.metadata?.default?.['otel.resource.process.command_args'], [
      'node',
      'app.js',
      '--password=hunter2',
    ]);
    assert.equal(doc.http?.request.url, 'https://u:pw@api.example.com/x?token=t1');
    assert.deepEqual(translate(SECRET_HEADERS, { redact: false }), translate(SECRET_HEADERS));
  });

  it('on: credential headers masked, other headers kept, command lines removed from metadata', () => {
    const doc = translate(SECRET_HEADERS, { redact: true });
    const metadata = doc.metadata!.default;
    for (const key of Object.keys(SECRET_HEADERS)) {
      if (key.endsWith('accept')) assert.deepEqual(metadata[key], ['text/html']);
      else assert.deepEqual(metadata[key], [REDACTED], key);
    }
    assert.equal(metadata['otel.resource.process.command_args'], undefined);
    assert.equal(metadata['otel.resource.process.command_line'], undefined);
    assert.equal(metadata['otel.resource.process.pid'], 42);
    assert.equal(metadata['otel.resource.service.name'], 'orders');
  });

  it('on: command lines never become annotations either', () => {
    const doc = spanToSegment(serverSpan({ 'process.command_line': 'node app.js --token=x' }), {
      redact: true,
      indexAllAttributes: true,
    });
    // (The HTTP keys are consumed by the http block, so they are no annotations either.)
    assert.deepEqual(doc.annotations, {
      'otel.resource.service.name': 'orders',
      'otel.resource.process.pid': 42,
    });
    assert.equal(schemaErrors(doc), undefined);
  });

  it('on: URL credentials and token parameters masked in the url, however it is assembled', () => {
    const url = (attributes: AttributesLike, kind = 1) =>
      spanToSegment(makeSpan({ kind, attributes: { 'http.request.method': 'GET', ...attributes } }), {
        redact: true,
      }).http?.request.url;
    assert.equal(
      url({ 'url.full': 'https://user:pw@api.example.com/p?token=t1&page=2' }, 2),
      `https://${REDACTED}:${REDACTED}@api.example.com/p?token=${REDACTED}&page=2`,
    );
    assert.equal(
      url({ 'http.url': 'https://api.example.com/p?X-Amz-Signature=abc' }, 2),
      `https://api.example.com/p?X-Amz-Signature=${REDACTED}`,
    );
    assert.equal(
      url({ 'server.address': 'shop.example.com', 'url.path': '/cb', 'url.query': 'code=c1&state=s' }),
      `http://shop.example.com/cb?code=${REDACTED}&state=s`,
    );
    assert.equal(
      url({ 'http.host': 'shop.example.com', 'http.target': '/cb?access_token=a1#top' }),
      `http://shop.example.com/cb?access_token=${REDACTED}#top`,
    );
    // Parts that are not URL attributes: the assembled URL is redacted as a whole.
    assert.equal(
      url({ 'http.host': 'admin:pw@shop.example.com' }),
      `http://${REDACTED}:${REDACTED}@shop.example.com/`,
    );
    assert.equal(
      url({ 'server.address': 'shop.example.com', 'url.path': '/p?password=x' }),
      `http://shop.example.com/p?password=${REDACTED}`,
    );
    // Nothing secret: the same URL.
    assert.equal(
      url({ 'url.full': 'https://api.example.com/p?page=2' }, 2),
      'https://api.example.com/p?page=2',
    );
  });

  it('on: credentials in db.connection_string masked in the sql block and the name; off: as sent', () => {
    const span = makeSpan({
      kind: 2,
      parentSpanId: '00fe93e601a919fe',
      attributes: {
        'db.system': 'postgresql',
        'db.name': 'shop',
        'db.connection_string': 'postgresql://shop:hunter2@db.example.com:5432',
        'db.statement': 'SELECT 1',
      },
    });
    const on = spanToSegment(span, { redact: true });
    assert.equal(on.sql?.connection_string, `postgresql://${REDACTED}:${REDACTED}@db.example.com:5432/shop`);
    assert.equal(on.name, 'shop@db.example.com');
    assert.ok(!JSON.stringify(on).includes('hunter2'));
    assert.equal(schemaErrors(on), undefined);
    const off = spanToSegment(span);
    assert.equal(off.sql?.connection_string, 'postgresql://shop:hunter2@db.example.com:5432/shop');
  });

  it('never mutates the span or the resource', () => {
    const span = serverSpan({ ...SECRET_HEADERS, 'url.full': 'https://u:p@h/?token=t' });
    const before = JSON.stringify({ attributes: span.attributes, resource: span.resource });
    spanToSegments(span, { redact: true });
    assert.equal(JSON.stringify({ attributes: span.attributes, resource: span.resource }), before);
  });

  it('a list adds names (header, query parameter and attribute key) to the default lists', () => {
    const doc = translate(
      {
        ...SECRET_HEADERS,
        'http.request.header.x-tenant-secret': ['t'],
        'x-tenant-secret': 'v',
        'url.full': 'https://h/p?x-tenant-secret=1&token=2',
      },
      { redact: ['X-Tenant-Secret', 7 as never] },
    );
    const metadata = doc.metadata!.default;
    assert.deepEqual(metadata['http.request.header.x-tenant-secret'], [REDACTED]);
    assert.deepEqual(metadata['http.request.header.authorization'], [REDACTED]);
    assert.equal(doc.http?.request.url, `https://h/p?x-tenant-secret=${REDACTED}&token=${REDACTED}`);
    // The attribute key matches as listed (case kept).
    const listed = translate({ 'X-Tenant-Secret': 'v' }, { redact: ['X-Tenant-Secret'] });
    assert.equal(listed.metadata?.default?.['X-Tenant-Secret'], undefined);
  });

  it('rules built by core are used as given; another value counts as true', () => {
    const rules = redactionRules(['x-internal']);
    const doc = translate({ 'http.request.header.x-internal': ['1'] }, { redact: rules });
    assert.deepEqual(doc.metadata?.default?.['http.request.header.x-internal'], [REDACTED]);
    for (const odd of ['yes', {}, 1]) {
      const masked = translate(SECRET_HEADERS, { redact: odd as never });
      assert.deepEqual(masked.metadata?.default?.['http.request.header.cookie'], [REDACTED], String(odd));
    }
  });

  it('true follows OTEL_AWS_XRAY_REDACT, read once per options object', () => {
    process.env[REDACT_ENV] = 'false';
    const off: TranslatorOptions = { redact: true };
    assert.deepEqual(translate(SECRET_HEADERS, off).metadata?.default?.['http.request.header.cookie'], [
      'session=abc',
    ]);
    process.env[REDACT_ENV] = 'x-extra';
    // Same options object: resolved already (the exporter's case: one object for every span).
    assert.deepEqual(translate(SECRET_HEADERS, off).metadata?.default?.['http.request.header.cookie'], [
      'session=abc',
    ]);
    const extended = translate({ ...SECRET_HEADERS, 'http.request.header.x-extra': ['e'] }, { redact: true });
    assert.deepEqual(extended.metadata?.default?.['http.request.header.cookie'], [REDACTED]);
    assert.deepEqual(extended.metadata?.default?.['http.request.header.x-extra'], [REDACTED]);
    // Assigning another value to the same object takes effect.
    off.redact = ['x-other'];
    assert.deepEqual(translate(SECRET_HEADERS, off).metadata?.default?.['http.request.header.cookie'], [
      REDACTED,
    ]);
  });

  it('LOCAL_ROOT split: both documents come from the redacted attributes', () => {
    const span = makeSpan({
      kind: 2,
      resource: RESOURCE,
      attributes: {
        'aws.span.kind': 'LOCAL_ROOT',
        'aws.remote.service': 'payments',
        'aws.local.service': 'orders',
        'http.request.method': 'POST',
        'url.full': 'https://payments.example.com/charge?api_key=k',
        'http.request.header.authorization': ['Bearer t'],
      },
    });
    const [dependency, service] = spanToSegments(span, { redact: true });
    assert.equal(dependency.http?.request.url, `https://payments.example.com/charge?api_key=${REDACTED}`);
    assert.deepEqual(dependency.metadata?.default?.['http.request.header.authorization'], [REDACTED]);
    assert.deepEqual(Object.keys(service.metadata!.default).sort(), [
      'otel.resource.process.pid',
      'otel.resource.service.name',
    ]);
    const text = JSON.stringify([dependency, service]);
    assert.ok(!text.includes('hunter2') && !text.includes('Bearer t') && !text.includes('api_key=k'), text);
  });

  it('the redacted resource is made once per resource attributes object, the original kept when nothing is secret', () => {
    const secret = { ...RESOURCE.attributes };
    const first = redactedResourceAttributes(secret, DEFAULT_REDACTION_RULES);
    assert.notEqual(first, secret);
    assert.equal(redactedResourceAttributes(secret, DEFAULT_REDACTION_RULES), first);
    assert.deepEqual(Object.keys(first), ['service.name', 'process.pid']);
    // Other rules: made again for them.
    const other = redactionRules(['service.name']);
    assert.deepEqual(Object.keys(redactedResourceAttributes(secret, other)), ['process.pid']);
    const plain = { 'service.name': 'orders' };
    assert.equal(redactedResourceAttributes(plain, DEFAULT_REDACTION_RULES), plain);
    // The key cache and the redaction share one entry per resource attributes object.
    assert.equal(resourceKeysOf(plain), resourceKeysOf(plain));
    assert.deepEqual(resourceKeysOf(plain).prefixed, ['otel.resource.service.name']);
  });
});
