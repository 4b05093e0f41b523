import * as assert from 'node:assert/strict';
import { DATAGRAM_HEADER, DATAGRAM_HEADER_BYTES } from '@xray-otel/core';
import { toDatagram } from '../src/datagram';

describe('toDatagram', () => {
  it('is the 29-byte header, a newline and the document, with no trailing newline', () => {
    const json = '{"name":"café ☕","id":"53995c3f42cd8ad8"}';
    const bytes = Buffer.byteLength(json);
    const datagram = toDatagram(json, bytes);
    assert.equal(DATAGRAM_HEADER_BYTES, 30);
    assert.equal(datagram.length, 30 + bytes);
    assert.equal(datagram.toString('utf8'), '{"format":"json","version":1}\n' + json);
    assert.equal(DATAGRAM_HEADER, '{"format":"json","version":1}\n');
    assert.notEqual(datagram[datagram.length - 1], 0x0a);
  });
});
