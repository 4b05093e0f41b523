import * as assert from 'node:assert/strict';
import { parseDatagram, parseHeader } from '../src/datagram';
import { udpFixtures } from './helpers';

describe('datagram', () => {
  it('accepts the compact header and the Python 0.95 header with spaces', () => {
    for (const header of [
      '{"format":"json","version":1}',
      '{"format": "json", "version": 1}',
      '{"version":1,"format":"JSON","x":2}',
    ]) {
      const result = parseDatagram(Buffer.from(header + '\n{"a":1}'));
      assert.ok(result.ok, header);
      assert.deepEqual(result.body, { kind: 'document', text: '{"a":1}', bytes: 7 });
    }
  });

  it('rejects bad headers with invalid-header', () => {
    const cases: [string, RegExp][] = [
      ['{"format":"json","version":"1"}\n{}', /version must be the number 1/],
      ['{"format":"xml","version":1}\n{}', /format must be "json"/],
      ['{"version":1}\n{}', /format must be "json"/],
      ['{"format":"json","version":2}\n{}', /version/],
      ['not json\n{}', /is not JSON/],
      ['[1]\n{}', /not a JSON object/],
      ['null\n{}', /not a JSON object/],
      ['{"format":"json","version":1}', /no newline/],
      ['{"format":"json","version":1}\n', /nothing after/],
      ['', /no newline/],
    ];
    for (const [text, detail] of cases) {
      const result = parseDatagram(Buffer.from(text));
      assert.equal(result.ok, false, text);
      if (!result.ok) {
        assert.equal(result.reason, 'invalid-header');
        assert.match(result.detail, detail);
      }
    }
    const long = parseHeader('x'.repeat(100));
    assert.ok(!long.ok && long.detail.includes('...'));
  });

  it('splits only at the first newline', () => {
    const result = parseDatagram(Buffer.from('{"format":"json","version":1}\n{"a":\n1}'));
    assert.ok(result.ok && result.body.kind === 'document' && result.body.text === '{"a":\n1}');
  });

  it('recognises OTLP over UDP (T1S / T1U + base64)', () => {
    const payload = Buffer.from([0x0a, 0x00]);
    for (const [prefix, sampled] of [
      ['T1S', true],
      ['T1U', false],
    ] as const) {
      const result = parseDatagram(
        Buffer.from(`{"format":"json","version":1}\n${prefix}${payload.toString('base64')}`),
      );
      assert.ok(result.ok && result.body.kind === 'otlp');
      assert.equal(result.body.sampled, sampled);
      assert.deepEqual(Buffer.from(result.body.payload), payload);
    }
    const url = parseDatagram(
      Buffer.from('{"format":"json","version":1}\nT1S' + Buffer.from([0xfb, 0xff]).toString('base64url')),
    );
    assert.ok(
      url.ok && url.body.kind === 'otlp' && Buffer.from(url.body.payload).equals(Buffer.from([0xfb, 0xff])),
    );
    for (const bad of ['T1S!!!!', 'T1S', 'T1SA', 'T1SAAAA===', 'T1S====']) {
      const result = parseDatagram(Buffer.from('{"format":"json","version":1}\n' + bad));
      assert.ok(!result.ok && result.reason === 'invalid-otlp', bad);
    }
  });

  it('accepts the header of every real SDK datagram in the wire fixtures', () => {
    const fixtures = udpFixtures();
    assert.ok(fixtures.length >= 100);
    for (const fixture of fixtures) {
      const result = parseDatagram(fixture.bin);
      assert.ok(result.ok, fixture.name);
      assert.equal(result.body.kind, 'document');
      if (result.body.kind === 'document') {
        assert.equal(result.body.bytes, fixture.bin.length - Buffer.byteLength(fixture.json.header_line) - 1);
        assert.deepEqual(JSON.parse(result.body.text), fixture.json.document, fixture.name);
      }
    }
  });
});
