/**
 * `http.response.content_length` (a documented deviation: the collector keeps 0 unless a messaging
 * payload size is found, translator-spec.md §8.1) from the response-size attributes instrumentations
 * set, under the old and the stable semantic-convention keys and from the captured header.
 */
import * as assert from 'node:assert/strict';
import { spanToSegment, type AttributesLike } from '../src';
import { makeSpan, schemaErrors } from './helpers';

function translate(attributes: AttributesLike, kind = 1, events: AttributesLike[] = []) {
  const doc = spanToSegment(
    makeSpan({
      kind,
      attributes,
      events: events.map((eventAttributes) => ({
        name: 'message',
        time: [1700000000, 0],
        attributes: eventAttributes,
      })),
    }),
  );
  assert.equal(schemaErrors(doc), undefined);
  return doc;
}

const GET = { 'http.request.method': 'GET', 'http.response.status_code': 200 };

describe('http response content_length', () => {
  it('comes from each size attribute, on server and client spans', () => {
    for (const kind of [1, 2]) {
      for (const key of [
        'http.response.body.size',
        'http.response_content_length',
        'http.response_content_length_uncompressed',
      ]) {
        const doc = translate({ ...GET, [key]: 246 }, kind);
        assert.equal(doc.http?.response.content_length, 246, `${key} kind ${kind}`);
        assert.equal(doc.http?.response.status, 200);
        assert.equal(doc.metadata?.default?.[key], undefined, `${key} is consumed`);
      }
      const header = translate({ ...GET, 'http.response.header.content-length': ['246'] }, kind);
      assert.equal(header.http?.response.content_length, 246);
      // A captured header stays in metadata like every other captured header.
      assert.deepEqual(header.metadata?.default?.['http.response.header.content-length'], ['246']);
    }
  });

  it('stays 0 without a size (the collector value)', () => {
    assert.equal(translate(GET).http?.response.content_length, 0);
  });

  it('the messaging payload size rule comes first, then body.size, content_length, uncompressed, header', () => {
    const all: AttributesLike = {
      ...GET,
      'http.response.header.content-length': ['5'],
      'http.response_content_length_uncompressed': 4,
      'http.response_content_length': 3,
      'http.response.body.size': 2,
    };
    const received = { 'message.type': 'RECEIVED', 'messaging.message_payload_size_bytes': 1 };
    assert.equal(translate({ ...all, ...received }).http?.response.content_length, 1);
    assert.equal(translate(all, 1, [received]).http?.response.content_length, 1);
    assert.equal(translate(all).http?.response.content_length, 2);
    const without = (...keys: string[]) => {
      const copy = { ...all };
      for (const key of keys) delete copy[key];
      return translate(copy).http?.response.content_length;
    };
    assert.equal(without('http.response.body.size'), 3);
    assert.equal(without('http.response.body.size', 'http.response_content_length'), 4);
    assert.equal(
      without(
        'http.response.body.size',
        'http.response_content_length',
        'http.response_content_length_uncompressed',
      ),
      5,
    );
    // A zero or unusable value does not hide the next source.
    assert.equal(translate({ ...all, 'http.response.body.size': 0 }).http?.response.content_length, 3);
  });

  it('reads integers, bigints, decimal strings and header arrays; anything else is 0', () => {
    const size = (value: unknown) =>
      translate({ ...GET, 'http.response.header.content-length': value }).http?.response.content_length;
    assert.equal(size(['246']), 246);
    assert.equal(size([246]), 246);
    assert.equal(size('246'), 246);
    assert.equal(size([' 246 ', '7']), 246);
    assert.equal(size(246n), 246);
    for (const bad of [[], ['abc'], ['-5'], -5, 2.5, '', [null], { length: 1 }, true, NaN]) {
      assert.equal(size(bad), 0, JSON.stringify(bad));
    }
  });

  it('size attributes alone make no http block and are consumed like the other HTTP keys', () => {
    const doc = translate({ 'http.response.body.size': 246, other: 1 });
    assert.equal(doc.http, undefined);
    assert.deepEqual(doc.metadata?.default, { other: 1 });
    // indexed_attributes puts a consumed key back, as for every other HTTP key (§6 step 5).
    const indexed = spanToSegment(makeSpan({ attributes: { ...GET, 'http.response.body.size': 246 } }), {
      indexedAttributes: ['http.response.body.size'],
    });
    assert.equal(indexed.http?.response.content_length, 246);
    assert.deepEqual(indexed.annotations, { 'http.response.body.size': 246 });
  });
});
