import * as assert from 'node:assert/strict';
import { DEFAULT_REDACTION_RULES, REDACTED, redactionRules } from '@xray-otel/core';
import { redactSpanAttributes, type RedactableSpan } from '../src/redaction';

/** A span whose setAttribute records its calls. */
function spanWith(attributes: Record<string, unknown>): RedactableSpan & { calls: Array<[string, unknown]> } {
  const calls: Array<[string, unknown]> = [];
  return {
    attributes,
    calls,
    setAttribute(key: string, value: unknown) {
      calls.push([key, value]);
      attributes[key] = value;
    },
  };
}

describe('redaction', () => {
  it('masks through setAttribute, removes the command line from the attributes object', () => {
    const span = spanWith({
      'http.request.header.authorization': ['Bearer secret'],
      'http.response.header.set-cookie': ['session=abc'],
      'url.full': 'https://user:pw@api.example.com/x?access_token=abc&page=2',
      'url.query': 'access_token=abc',
      'http.target': '/x?token=abc',
      'process.command_args': ['node', 'app.js', '--password=hunter2'],
      'process.command_line': 'node app.js --password=hunter2',
      'http.request.header.accept': ['text/html'],
      'order.id': 'o-1',
    });
    assert.equal(redactSpanAttributes(span, DEFAULT_REDACTION_RULES, false), 7);
    assert.deepEqual(span.attributes, {
      'http.request.header.authorization': [REDACTED],
      'http.response.header.set-cookie': [REDACTED],
      'url.full': `https://${REDACTED}:${REDACTED}@api.example.com/x?access_token=${REDACTED}&page=2`,
      'url.query': `access_token=${REDACTED}`,
      'http.target': `/x?token=${REDACTED}`,
      'http.request.header.accept': ['text/html'],
      'order.id': 'o-1',
    });
    assert.deepEqual(
      span.calls.map(([key]) => key),
      [
        'http.request.header.authorization',
        'http.response.header.set-cookie',
        'url.full',
        'url.query',
        'http.target',
      ],
    );
  });

  it('direct: writes into the attributes object (an ended span)', () => {
    const span = spanWith({ 'http.request.header.cookie': ['a=b'], 'process.command_line': 'x' });
    assert.equal(redactSpanAttributes(span, DEFAULT_REDACTION_RULES, true), 2);
    assert.deepEqual(span.attributes, { 'http.request.header.cookie': [REDACTED] });
    assert.deepEqual(span.calls, []);
  });

  it('extra names: an attribute of that name is removed, a header of that name masked', () => {
    const span = spanWith({ 'x-session': 's', 'http.request.header.x_session': ['s'], keep: 'k' });
    redactSpanAttributes(span, redactionRules(['x-session']), false);
    assert.deepEqual(span.attributes, { 'http.request.header.x_session': [REDACTED], keep: 'k' });
  });

  it('a key that cannot be deleted is masked instead', () => {
    const attributes: Record<string, unknown> = {};
    Object.defineProperty(attributes, 'process.command_line', {
      value: 'x',
      enumerable: true,
      writable: true,
    });
    const span = spanWith(attributes);
    redactSpanAttributes(span, DEFAULT_REDACTION_RULES, false);
    assert.equal(span.attributes['process.command_line'], REDACTED);
  });

  it('nothing to redact: nothing written', () => {
    const span = spanWith({ 'url.full': 'https://api.example.com/x?page=2', n: 1 });
    assert.equal(redactSpanAttributes(span, DEFAULT_REDACTION_RULES, false), 0);
    assert.deepEqual(span.calls, []);
  });

  it('inherited keys are not own attributes', () => {
    const attributes = Object.create({ 'process.command_line': 'inherited' }) as Record<string, unknown>;
    const span = spanWith(attributes);
    assert.equal(redactSpanAttributes(span, DEFAULT_REDACTION_RULES, false), 0);
  });

  it('masks credentials in db.connection_string', () => {
    const span = spanWith({
      'db.connection_string': 'postgresql://shop:hunter2@db.example.com:5432/shop',
      'db.system': 'postgresql',
    });
    assert.equal(redactSpanAttributes(span, DEFAULT_REDACTION_RULES, false), 1);
    assert.deepEqual(span.calls, [
      ['db.connection_string', `postgresql://${REDACTED}:${REDACTED}@db.example.com:5432/shop`],
    ]);
  });
});
