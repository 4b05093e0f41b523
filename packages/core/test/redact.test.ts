import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_REDACTION_RULES,
  isMaskableAttributeKey,
  REDACTED,
  parseRedactEnv,
  redactAttribute,
  redactAttributes,
  redactConnectionString,
  redactQuery,
  redactUrl,
  redactionRules,
  resolveRedaction,
} from '../src/redact';

describe('redaction', () => {
  it('masks user:password@ in URLs', () => {
    assert.equal(
      redactUrl('https://bob:s3cret@db.example.com:5432/x'),
      'https://REDACTED:REDACTED@db.example.com:5432/x',
    );
    assert.equal(redactUrl('http://token@api.example.com/'), 'http://REDACTED@api.example.com/');
    // An @ in the path or query is not userinfo.
    assert.equal(
      redactUrl('http://api.example.com/users/@me?x=a@b'),
      'http://api.example.com/users/@me?x=a@b',
    );
  });

  it('masks presigned AWS parameters and common tokens, any case, keeping the rest', () => {
    const url =
      'https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261201&X-Amz-Signature=abc123&X-Amz-Security-Token=tok#frag';
    assert.equal(
      redactUrl(url),
      'https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED#frag',
    );
    assert.equal(redactUrl('/cb?access_token=abc&page=2'), '/cb?access_token=REDACTED&page=2');
    assert.equal(
      redactQuery('ACCESS_TOKEN=abc&api%5Fkey=k&empty=&flag'),
      'ACCESS_TOKEN=REDACTED&api%5Fkey=REDACTED&empty=&flag',
    );
    assert.equal(redactQuery('bad%E0=1&token=x'), 'bad%E0=1&token=REDACTED');
  });

  it('returns the same string when nothing is secret', () => {
    const url = 'https://example.com/a?b=c';
    assert.equal(redactUrl(url), url);
    assert.equal(redactQuery(''), '');
  });

  it('masks captured secret headers in both key forms, keeping the array shape', () => {
    assert.deepEqual(redactAttribute('http.request.header.authorization', ['Bearer x']), [REDACTED]);
    assert.deepEqual(redactAttribute('http.request.header.x_api_key', ['k']), [REDACTED]);
    assert.deepEqual(redactAttribute('http.request.header.X-Amz-Security-Token', ['t']), [REDACTED]);
    assert.deepEqual(redactAttribute('http.response.header.set_cookie', ['a=b', 'c=d']), [
      REDACTED,
      REDACTED,
    ]);
    assert.equal(redactAttribute('http.request.header.cookie', 'a=b'), REDACTED);
    const kept = ['text/html'];
    assert.equal(redactAttribute('http.request.header.accept', kept), kept);
  });

  it('removes command lines and redacts URL attributes', () => {
    const attributes = {
      'process.command_args': ['node', 'app.js', '--db-password=hunter2'],
      'process.command_line': 'node app.js --db-password=hunter2',
      'process.pid': 42,
      'http.url': 'http://u:p@h/x?token=1',
      'url.full': 'http://h/?sig=1',
      'http.target': '/x?password=p',
      'url.query': 'code=abc&state=s',
      'http.method': 'GET',
    };
    const redacted = redactAttributes(attributes);
    assert.deepEqual(redacted, {
      'process.pid': 42,
      'http.url': 'http://REDACTED:REDACTED@h/x?token=REDACTED',
      'url.full': 'http://h/?sig=REDACTED',
      'http.target': '/x?password=REDACTED',
      'url.query': 'code=REDACTED&state=s',
      'http.method': 'GET',
    });
    assert.equal(attributes['process.pid'], 42, 'the input is not mutated');
    assert.ok('process.command_args' in attributes);
    assert.equal(redactAttribute('url.query', '?token=1'), '?token=REDACTED');
  });

  it('masks credentials in db.connection_string: URL userinfo and parameters, `;` pairs', () => {
    assert.equal(
      redactAttribute('db.connection_string', 'postgresql://shop:hunter2@db.example.com:5432/shop'),
      'postgresql://REDACTED:REDACTED@db.example.com:5432/shop',
    );
    assert.equal(
      redactConnectionString('jdbc:mysql://app:pw@db:3306/shop?useSSL=true&password=pw'),
      'jdbc:mysql://REDACTED:REDACTED@db:3306/shop?useSSL=true&password=REDACTED',
    );
    assert.equal(
      redactConnectionString('jdbc:sqlserver://db:1433;databaseName=shop;user=sa;password=pw'),
      'jdbc:sqlserver://db:1433;databaseName=shop;user=sa;password=REDACTED',
    );
    assert.equal(
      redactConnectionString('Server=tcp:db,1433;Database=shop;User Id=app; Password = s3cret ;Encrypt=true'),
      'Server=tcp:db,1433;Database=shop;User Id=app; Password = REDACTED;Encrypt=true',
    );
    assert.equal(
      redactConnectionString(`Driver={ODBC};PWD="a;b=c";Uid=app;x`),
      'Driver={ODBC};PWD=REDACTED;Uid=app;x',
    );
    assert.equal(redactConnectionString("Password='unterminated;x"), 'Password=REDACTED');
    // Nothing secret (or already masked, or empty): the same string.
    for (const kept of [
      'postgresql://db.example.com:5432/shop',
      'Server=db;Database=shop;Trusted_Connection=True;',
      'Password=;Server=db',
      'Password=REDACTED;Server=db',
      'no pairs; at all',
      'localhost',
    ]) {
      assert.equal(redactAttribute('db.connection_string', kept), kept, kept);
    }
    const rules = redactionRules(['tenant_key']);
    assert.equal(redactConnectionString('Server=db;Tenant_Key=k', rules), 'Server=db;Tenant_Key=REDACTED');
  });

  it('returns the same object when nothing is secret, and is idempotent', () => {
    const attributes = { 'http.method': 'GET', 'http.url': 'http://h/', n: 1 };
    assert.equal(redactAttributes(attributes), attributes);
    const once = redactAttributes({ 'http.request.header.cookie': ['a'], 'url.full': 'http://a:b@h/' });
    assert.equal(redactAttributes(once), once);
  });

  it('extra names from OTEL_AWS_XRAY_REDACT act as header, query parameter and attribute key', () => {
    const rules = parseRedactEnv('x-session-id, session ,db.statement');
    assert.ok(rules);
    assert.deepEqual(redactAttribute('http.request.header.x_session_id', ['s'], rules), [REDACTED]);
    assert.equal(redactUrl('/a?session=1', rules), '/a?session=REDACTED');
    assert.equal(redactAttribute('db.statement', 'SELECT 1', rules), undefined);
    assert.equal(redactAttribute('db.statement', 'SELECT 1'), 'SELECT 1', 'not in the default list');
  });

  it('OTEL_AWS_XRAY_REDACT false/off/none turns it off; empty or true is the default', () => {
    for (const off of ['false', 'OFF', ' none ', '0']) assert.equal(parseRedactEnv(off), undefined, off);
    assert.equal(parseRedactEnv(undefined), DEFAULT_REDACTION_RULES);
    assert.equal(parseRedactEnv('true'), DEFAULT_REDACTION_RULES);
  });

  it('resolveRedaction: option first, then the environment, then the fallback', () => {
    assert.equal(resolveRedaction(false, true, {}), undefined);
    assert.equal(resolveRedaction(undefined, false, {}), undefined);
    assert.equal(resolveRedaction(undefined, true, {}), DEFAULT_REDACTION_RULES);
    assert.equal(resolveRedaction(true, false, { OTEL_AWS_XRAY_REDACT: 'off' }), undefined);
    const rules = resolveRedaction(['x-tenant'], false, {});
    assert.ok(rules?.headers.has('x-tenant'));
    const given = redactionRules(['a']);
    assert.equal(resolveRedaction(given, false, {}), given);
  });

  it('isMaskableAttributeKey: a key it skips is one redactAttribute never changes, unless listed for removal', () => {
    const rules = redactionRules(['x-extra', 'Session']);
    const key = fc.oneof(
      fc.string(),
      fc
        .constantFrom(
          'http.',
          'url.',
          'http.request.header.',
          'http.response.header.',
          'process.',
          'db.',
          'x-',
          'Session',
        )
        .chain((prefix) => fc.string().map((rest) => prefix + rest)),
      fc.constantFrom(
        'url.full',
        'http.url',
        'http.target',
        'url.query',
        'process.command_args',
        'process.command_line',
        'db.connection_string',
        'x-extra',
        'Session',
        'http.request.header.authorization',
      ),
    );
    const value = fc.oneof(
      fc.constantFrom(
        'https://u:p@h/x?token=1',
        '/x?access_token=1',
        'token=1',
        ['Bearer 1'],
        'Server=db;Password=p',
      ),
      fc.string(),
      fc.integer(),
    );
    fc.assert(
      fc.property(key, value, (k, v) => {
        if (!isMaskableAttributeKey(k) && !rules.attributes.has(k))
          assert.equal(redactAttribute(k, v, rules), v, k);
      }),
      { numRuns: 2000 },
    );
  });
});
