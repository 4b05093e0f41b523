import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { connectionHostAndPort, firstPathSegment, urlHostAndPort, urlPath } from '../src/url';

describe('url', () => {
  describe('urlHostAndPort: what new URL(url) reports as hostname[:port]', () => {
    const cases: Array<[string, string]> = [
      ['http://127.0.0.1:8080/users/42', '127.0.0.1:8080'],
      ['https://API.Example.com/x', 'api.example.com'],
      ['https://api.example.com:443/x', 'api.example.com'],
      ['http://api.example.com:80', 'api.example.com'],
      ['http://api.example.com:443/', 'api.example.com:443'],
      ['wss://stream.example.com:443/', 'stream.example.com'],
      ['ftp://files.example.com:21/', 'files.example.com'],
      ['redis://cache:6379/0', 'cache:6379'],
      ['http://user:pass@host.example.com:8443/p?q=1', 'host.example.com:8443'],
      ['http://[::1]:3000/', '[::1]:3000'],
      ['http://[::1]/', '[::1]'],
      ['http://host:08080/', 'host:8080'],
      ['http://host:/', 'host'],
      ['http://host:abc/', 'host'],
      ['http://host?x=1', 'host'],
      ['http://host#frag', 'host'],
      ['http:///path', ''],
      ['/users/42', ''],
      ['not a url', ''],
      ['1http://host/', ''],
      ['://host/', ''],
      ['', ''],
    ];
    for (const [url, expected] of cases)
      it(`${JSON.stringify(url)} → ${JSON.stringify(expected)}`, () =>
        assert.equal(urlHostAndPort(url), expected));

    it('agrees with new URL() on well-formed http(s) URLs', () => {
      fc.assert(
        fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
          const parsed = new URL(url);
          const expected = parsed.port === '' ? parsed.hostname : `${parsed.hostname}:${parsed.port}`;
          // new URL() also punycodes and percent-decodes hosts; compare only plain ASCII hosts.
          fc.pre(/^[a-z0-9.:[\]-]+$/.test(expected) && !/%/.test(url));
          assert.equal(urlHostAndPort(url), expected);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('urlPath', () => {
    it('the path of an absolute URL, / when it has none, undefined for anything else', () => {
      assert.equal(urlPath('http://h/users/42?x=1#f'), '/users/42');
      assert.equal(urlPath('http://h/users/42#f'), '/users/42');
      assert.equal(urlPath('http://h'), '/');
      assert.equal(urlPath('http://h?x=1'), '/');
      assert.equal(urlPath('/users/42'), undefined);
      assert.equal(urlPath(''), undefined);
    });
  });

  describe("firstPathSegment: ADOT's extractAPIPathValue", () => {
    const cases: Array<[string, string]> = [
      ['/payment/1234', '/payment'],
      ['/payment', '/payment'],
      ['/search?q=OpenTelemetry#SemConv', '/search'],
      ['/', '/'],
      ['//x', '/'],
      ['', '/'],
      ['payment', '/'],
      ['users/42', '/42'],
      ['/a#b', '/a'],
    ];
    for (const [path, expected] of cases)
      it(`${JSON.stringify(path)} → ${expected}`, () => assert.equal(firstPathSegment(path), expected));

    it('is split(/[/?#]/)[1] as ADOT computes it', () => {
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom('a', '/', '?', '#', 'b') }), (path) => {
          const parts = path.split(/[/?#]/);
          assert.equal(firstPathSegment(path), parts.length > 1 ? '/' + parts[1] : '/');
        }),
      );
    });
  });

  describe('connectionHostAndPort', () => {
    it('reads host and port of connection strings, jdbc ones too', () => {
      assert.deepEqual(connectionHostAndPort('jdbc:mysql://DB.example.com:3306/shop'), {
        host: 'db.example.com',
        port: '3306',
      });
      assert.deepEqual(connectionHostAndPort('postgresql://user:pw@db:5432'), { host: 'db', port: '5432' });
      assert.deepEqual(connectionHostAndPort('mongodb://db.example.com/x'), {
        host: 'db.example.com',
        port: '',
      });
      assert.deepEqual(connectionHostAndPort('redis://[::1]:6379'), { host: '[::1]', port: '6379' });
      assert.equal(connectionHostAndPort('Server=db;Database=shop'), undefined);
      assert.equal(connectionHostAndPort('mysql:///shop'), undefined);
    });
  });
});
