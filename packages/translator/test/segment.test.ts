/** Unit tests beyond the shared vectors: root-only parents, hostile input, options, parsers. */
import * as assert from 'node:assert/strict';
import { fixAnnotationKey, fixSegmentName, spanToSegment, spanToSegments, TranslationError } from '../src';
import { urlHostname } from '../src/name';
import { rootOnlyParentSpanId } from '@xray-otel/core';
import { atoi, rawValue } from '../src/values';
import { makeSpan, schemaErrors } from './helpers';

const PARENT = '00fe93e601a919fe';

describe('root-only parents (a remote parent derived from the trace ID)', () => {
  const TRACE = '6553f100312906e50d5b1d346de40387';
  const DERIVED = rootOnlyParentSpanId(TRACE) as string;
  function spanWithParent(parentSpanId: string, isRemote: boolean | undefined, kind = 1) {
    const span = makeSpan({ kind, parentSpanContext: { traceId: TRACE, spanId: parentSpanId, isRemote } });
    const context = { traceId: TRACE, spanId: '2e24be9ae2682721', traceFlags: 1 };
    span.spanContext = () => context;
    return span;
  }
  it('the derived parent is dropped: a segment without parent_id, keeping the trace ID', () => {
    for (const isRemote of [true, undefined]) {
      const doc = spanToSegment(spanWithParent(DERIVED, isRemote));
      assert.equal(doc.parent_id, undefined);
      assert.equal(doc.type, undefined);
      assert.equal(doc.trace_id, '1-6553f100-312906e50d5b1d346de40387');
      assert.equal(schemaErrors(doc), undefined);
    }
    // Upper-case ids from a hand-built span are recognised too.
    assert.equal(spanToSegment(spanWithParent(DERIVED.toUpperCase(), true)).parent_id, undefined);
  });
  it('another parent, or the derived ID on a local parent, keeps the parent', () => {
    for (const [parent, isRemote] of [
      [PARENT, true],
      [TRACE.slice(16), true],
      [DERIVED, false],
    ] as [string, boolean][]) {
      const doc = spanToSegment(spanWithParent(parent, isRemote, 0));
      assert.equal(doc.parent_id, parent.toLowerCase());
      assert.equal(doc.type, 'subsegment');
    }
  });
  it('a legacy W3C tracestate marker (xray-otel=r:<parent>) means nothing any more', () => {
    const span = makeSpan({
      kind: 0,
      parentSpanContext: {
        traceId: TRACE,
        spanId: PARENT,
        isRemote: true,
        traceState: 'xray-otel=r:' + PARENT,
      },
    });
    assert.equal(spanToSegment(span).parent_id, PARENT);
  });
  it('accepts the legacy 1.x parentSpanId', () => {
    const span = makeSpan({ kind: 2, parentSpanId: PARENT });
    assert.equal(spanToSegment(span).parent_id, PARENT);
  });
});

describe('spanToSegment guards', () => {
  it('invalid trace id, span id or link throws TranslationError with a reason', () => {
    const cases: [Parameters<typeof makeSpan>[0], string][] = [
      [{ traceId: 'nothex' }, 'invalid-trace-id'],
      [{ spanId: '0000000000000000' }, 'invalid-span-id'],
      [
        { links: [{ context: { traceId: '6553f100312906e50d5b1d346de40387', spanId: 'zz' } }] },
        'invalid-link',
      ],
      [
        {
          spanContext: () => {
            throw new Error('boom');
          },
        },
        'invalid-span-id',
      ],
    ];
    for (const [overrides, reason] of cases) {
      assert.throws(
        () => spanToSegment(makeSpan(overrides)),
        (error: unknown) => error instanceof TranslationError && error.reason === reason,
      );
    }
  });
  it('expired and future trace ids fail only with validation on', () => {
    const span = makeSpan({ traceId: '5553f100312906e50d5b1d346de40387' });
    assert.doesNotThrow(() => spanToSegment(span));
    assert.throws(() => spanToSegment(span, { skipTimestampValidation: false }), /invalid xray traceid/);
    const future = makeSpan({ traceId: 'f553f100312906e50d5b1d346de40387' });
    assert.throws(() => spanToSegment(future, { skipTimestampValidation: false, now: () => 1700000000000 }));
    const fresh = makeSpan({
      traceId: Math.floor(Date.now() / 1000).toString(16) + '312906e50d5b1d346de40387',
    });
    assert.doesNotThrow(() =>
      spanToSegment(fresh, {
        skipTimestampValidation: false,
        now: () => {
          throw new Error('clock');
        },
      }),
    );
  });
  it('odd values never throw anything but TranslationError, and documents stay schema-valid', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 1000; i++) deep = (deep.next = {}) as Record<string, unknown>;
    const hostile = Object.defineProperty({}, 'bad', {
      enumerable: true,
      get: () => {
        throw new Error('get');
      },
    });
    const span = makeSpan({
      name: 42 as never,
      kind: 'x' as never,
      startTime: [NaN, 0],
      endTime: [Infinity, 5],
      status: null as never,
      attributes: {
        cyclic,
        deep: top,
        hostile,
        nan: NaN,
        inf: -Infinity,
        big: 10n,
        huge: 2n ** 80n,
        bytes: new Uint8Array([1, 2, 3]),
        fn: () => 1,
        sym: Symbol('s'),
        lone: '\ud800x',
        undef: undefined,
        arr: [null, undefined, NaN, [1, [2]], 1n],
        'http.status_code': '500',
        'enduser.id': 7,
      },
      events: [null as never, { name: 'exception', time: [NaN, NaN], attributes: undefined }],
      links: null as never,
      resource: null as never,
    });
    const doc = spanToSegment(span);
    assert.equal(doc.name, 'span');
    assert.equal(doc.start_time, 0);
    assert.equal(doc.end_time, 0);
    assert.equal(doc.fault, false);
    assert.equal(doc.http?.response.status, 0);
    assert.equal(doc.user, undefined);
    const metadata = doc.metadata!.default;
    assert.equal(metadata.nan, 'NaN');
    assert.equal(metadata.bytes, 'AQID');
    assert.equal(metadata.big, 10);
    assert.equal(metadata.huge, (2n ** 80n).toString());
    assert.deepEqual(metadata.arr, [null, null, 'NaN', [1, [2]], 1]);
    assert.ok(JSON.stringify(doc).includes('[depth limit]'));
    assert.equal(schemaErrors(doc), undefined);
    assert.throws(() => spanToSegments(null as never), TranslationError);
    assert.throws(() => spanToSegment({} as never), TranslationError);
    const brokenStatus = makeSpan();
    Object.defineProperty(brokenStatus, 'status', {
      get: () => {
        throw new Error('status');
      },
    });
    assert.throws(
      () => spanToSegment(brokenStatus),
      (e: unknown) => e instanceof TranslationError && e.reason === 'unreadable-span',
    );
  });
  it('rawValue and atoi edge cases', () => {
    assert.equal(rawValue(undefined), undefined);
    assert.equal(rawValue(null), undefined);
    assert.equal(
      rawValue(() => 1),
      undefined,
    );
    assert.equal(atoi('+'), 0);
    assert.equal(atoi('-12'), -12);
    assert.equal(atoi('1x'), 0);
    assert.equal(atoi(''), 0);
    assert.equal(atoi('99999999999999999999'), 0);
  });
});

describe('names and keys', () => {
  it('fixSegmentName sanitizes, cuts at 200 UTF-8 bytes (cut characters become U+FFFD) and defaults to span', () => {
    assert.equal(fixSegmentName('a,b\\c\td'), 'abcd');
    assert.equal(fixSegmentName('\ud800'), 'span');
    assert.equal(fixSegmentName('𝒜b'), '𝒜b');
    assert.equal(fixSegmentName('a'.repeat(199) + 'é'), 'a'.repeat(199) + '\ufffd');
    assert.equal(fixSegmentName('a'.repeat(198) + 'ह'), 'a'.repeat(198) + '\ufffd\ufffd');
    assert.equal(fixSegmentName('a'.repeat(250)), 'a'.repeat(200));
    assert.equal(fixSegmentName(',' + 'a'.repeat(250)), 'a'.repeat(200));
  });
  it('fixAnnotationKey replaces one _ per code point', () => {
    assert.equal(fixAnnotationKey('a.b@c', true), 'a.b_c');
    assert.equal(fixAnnotationKey('a.b😀c', false), 'a_b_c');
    assert.equal(fixAnnotationKey('plain', false), 'plain');
  });
  it('db name with connection-string host; Go-like URL host parsing', () => {
    const span = makeSpan({
      kind: 2,
      attributes: {
        'db.name': 'customers',
        'db.connection_string': 'jdbc:mysql://u:p@db.example.com:3306/x',
      },
    });
    assert.equal(spanToSegment(span).name, 'customers@db.example.com');
    assert.equal(urlHostname('postgres://[::1]:5432/db'), '::1');
    assert.equal(urlHostname('postgres://[::1'), '');
    assert.equal(urlHostname('postgres://[::1]x'), '');
    assert.equal(urlHostname('//host/x'), 'host');
    assert.equal(urlHostname('mysql://host:abc'), '');
    assert.equal(urlHostname('localhost:3306'), '');
    assert.equal(urlHostname('9x://host'), '');
  });
  it('name steps: SERVER aws.local.service, AWS SDK prefix trimming, aws.service sets namespace', () => {
    const sdk = (remote: string) =>
      spanToSegment(
        makeSpan({ kind: 2, attributes: { 'rpc.system': 'aws-api', 'aws.remote.service': remote } }),
      ).name;
    assert.equal(sdk('AWS.SDK.DynamoDb'), 'DynamoDb');
    assert.equal(sdk('AWS::DynamoDB'), 'DynamoDB');
    const doc = spanToSegment(makeSpan({ kind: 0, attributes: { 'aws.service': 'S3' } }));
    assert.equal(doc.name, 'S3');
    assert.equal(doc.namespace, 'aws');
    assert.equal(spanToSegment(makeSpan({ kind: 0, attributes: { 'http.host': 'h' } })).name, 'h');
    assert.equal(spanToSegment(makeSpan({ kind: 0, attributes: { 'net.peer.name': 'p' } })).name, 'p');
  });
});

describe('blocks', () => {
  it('http: server URL from server.address/port, query, client_ip precedence', () => {
    const doc = spanToSegment(
      makeSpan({
        kind: 1,
        attributes: {
          'http.request.method': 'GET',
          'url.scheme': 'https',
          'server.address': 'example.com',
          'server.port': 8443,
          'url.path': '/p',
          'url.query': 'a=1',
          'client.address': '10.0.0.1',
          'http.client_ip': '10.0.0.2',
          'net.peer.ip': '10.0.0.3',
        },
      }),
    );
    assert.equal(doc.http?.request.url, 'https://example.com:8443/p?a=1');
    assert.equal(doc.http?.request.client_ip, '10.0.0.2');
    assert.equal(doc.http?.request.x_forwarded_for, undefined);
    const client = spanToSegment(
      makeSpan({
        kind: 2,
        attributes: {
          'http.method': 'GET',
          'http.client_ip': '10.0.0.2',
          'client.address': '10.0.0.1',
          'network.peer.address': '10.0.0.9',
          'net.peer.name': 'peer',
          'net.peer.port': 443,
          'http.scheme': 'https',
          'url.query': '?q',
          'net.host.port': '',
          'http.server_name': 's',
          'net.host.name': 'n',
          'host.name': 'h',
        },
      }),
    );
    assert.equal(client.http?.request.url, 'https://peer/?q');
    assert.equal(client.http?.request.client_ip, '10.0.0.1');
    const fromPeerAddress = spanToSegment(
      makeSpan({
        kind: 1,
        attributes: { 'http.method': 'GET', 'network.peer.address': '10.0.0.9', 'net.host.port': 80 },
      }),
    );
    assert.equal(fromPeerAddress.http?.request.client_ip, '10.0.0.9');
    assert.equal(fromPeerAddress.http?.request.url, 'http:///');
  });
  it('aws: dynamodb table_names with several tables, rpc.method operation, ECS origins', () => {
    const resource = { attributes: { 'cloud.platform': 'aws_ecs', 'aws.ecs.launchtype': 'ec2' } };
    const doc = spanToSegment(
      makeSpan({
        kind: 2,
        resource,
        attributes: { 'aws.dynamodb.table_names': ['a', 'b'], 'rpc.method': 'Query', 'aws.account_id': '1' },
      }),
    );
    assert.deepEqual(doc.aws?.table_names, ['a', 'b']);
    assert.equal(doc.aws?.table_name, undefined);
    assert.equal(doc.aws?.operation, 'Query');
    assert.equal(doc.origin, 'AWS::ECS::EC2');
    const origin = (platform: string, launch?: string) =>
      spanToSegment(
        makeSpan({ resource: { attributes: { 'cloud.platform': platform, 'aws.ecs.launchtype': launch } } }),
      ).origin;
    assert.equal(origin('aws_ecs', 'fargate'), 'AWS::ECS::Fargate');
    assert.equal(origin('aws_ecs'), 'AWS::ECS::Container');
    assert.equal(origin('aws_app_runner'), 'AWS::AppRunner::Service');
    assert.equal(origin('aws_lambda'), undefined);
    const logs = spanToSegment(
      makeSpan({
        resource: { attributes: { 'aws.log.group.arns': ['short-arn'], 'aws.log.group.names': 5 } },
      }),
    );
    assert.deepEqual(logs.aws?.cloudwatch_logs, [{ log_group: 'short-arn', arn: 'short-arn' }]);
  });
  it('sql block for SQL systems only', () => {
    const doc = spanToSegment(
      makeSpan({
        name: 'SELECT',
        kind: 2,
        attributes: {
          'db.system': 'postgresql',
          'db.name': 'shop',
          'db.user': 'me',
          'db.statement': 'SELECT 1',
        },
      }),
    );
    assert.deepEqual(doc.sql, {
      connection_string: 'localhost/shop',
      url: 'SELECT',
      sanitized_query: 'SELECT 1',
      database_type: 'postgresql',
      user: 'me',
    });
    assert.equal(doc.metadata, undefined);
  });
  it('aws.xray.metadata.* namespaces and aws.xray.annotations', () => {
    const doc = spanToSegment(
      makeSpan({
        kind: 0,
        parentSpanId: PARENT,
        attributes: {
          'aws.xray.metadata.default': '{"x":1}',
          'aws.xray.metadata.ns': '{"y":2}',
          'aws.xray.metadata.bad': 'not json',
          'aws.xray.metadata.arr': '[1]',
          'aws.xray.annotations': ['k', 3],
          k: 'v',
          'enduser.id': 'alice',
        },
      }),
    );
    assert.deepEqual(doc.metadata, {
      ns: { y: 2 },
      default: { x: 1, 'aws.xray.metadata.bad': 'not json', 'aws.xray.metadata.arr': '[1]' },
    });
    assert.deepEqual(doc.annotations, { k: 'v' });
    assert.equal(doc.user, 'alice');
    assert.equal(schemaErrors(doc), undefined);
  });
  it('HTTP request failure events on AWS SDK spans become aws.http.error.event exceptions', () => {
    const doc = spanToSegment(
      makeSpan({
        kind: 2,
        attributes: { 'rpc.system': 'aws-api' },
        events: [
          {
            name: 'HTTP request failure',
            time: [1696954761, 1500],
            attributes: { 'http.response.status_code': 503, 'aws.http.error_message': 'unavailable' },
          },
          { name: 'HTTP request failure', time: [1, 0], attributes: { 'http.response.status_code': 500 } },
        ],
      }),
    );
    assert.equal(doc.cause?.exceptions.length, 1);
    assert.equal(doc.cause?.exceptions[0].message, '503@1696954761.000001@unavailable');
    assert.equal(doc.cause?.exceptions[0].type, 'aws.http.error.event');
  });
});

describe('stack trace parsers', () => {
  const parse = (language: string, stacktrace: string, kind = 2) =>
    spanToSegment(
      makeSpan({
        kind,
        resource: { attributes: { 'telemetry.sdk.language': language } },
        events: [
          {
            name: 'exception',
            time: [1700000000, 0],
            attributes: {
              'exception.type': 'E',
              'exception.message': 'm',
              'exception.stacktrace': stacktrace,
            },
          },
        ],
      }),
      // The collector's parsers (§12.2); the Node.js form of V8 frames is in cause.test.ts.
      { nodeStackFrames: false },
    ).cause!.exceptions;
  it('java: module prefixes, Native Method, Caused by chains, colon at the end', () => {
    const exceptions = parse(
      'java',
      'E: m\r\n\tat java.base/a.B.c(B.java:12)\n\tat a.B.d(Native Method)\n\tat bad(\nCaused by: X:\n\tat a.C.e(C.java:x)\nCaused by: Y: multi\nline',
    );
    assert.equal(exceptions.length, 3);
    assert.deepEqual(exceptions[0].stack, [
      { path: 'B.java', line: 12, label: 'a.B.c' },
      { path: 'Native Method', line: 0, label: 'a.B.d' },
    ]);
    assert.equal(exceptions[0].cause, exceptions[1].id);
    assert.equal(exceptions[1].type, 'X');
    assert.equal(exceptions[1].message, '');
    assert.deepEqual(exceptions[1].stack, [{ path: 'C.java', line: 0, label: 'a.C.e' }]);
    assert.equal(exceptions[2].message, 'multiline');
    assert.equal(parse('java', 'only one line')[0].stack, undefined);
  });
  it('javascript: labelled, anonymous and native frames', () => {
    const [exception] = parse(
      'javascript',
      'TypeError: x\n    at speedy (/app/a.js:10:5)\n    at /app/b.js:3:1\n    at native\n    at broken (x\n  not a frame',
    );
    assert.deepEqual(exception.stack, [
      { path: '/app/a.js', line: 10, label: 'speedy ' },
      { path: '/app/b.js', line: 3, label: '' },
      { path: 'native', line: 0, label: '' },
    ]);
    assert.equal(parse('javascript', 'one line')[0].stack, undefined);
  });
  it('dotnet and go frames', () => {
    const [dotnet] = parse(
      'dotnet',
      'System.Exception: m\n   at A.B() in C:\\a\\B.cs:line 11\n   at A.C()\n   at A.D() in path\n   at nothing',
    );
    assert.deepEqual(dotnet.stack, [
      { path: 'C:\\a\\B.cs', line: 11, label: 'A.B()' },
      { path: '', line: 0, label: 'A.C()' },
      { path: 'path', line: 0, label: 'A.D()' },
    ]);
    const [go] = parse(
      'go',
      'panic: x\ngoroutine 1 [running]:\nmain.f(0x1)\n\t/app/main.go:12 +0x1d\nmain.main()\n\tno match here',
    );
    assert.deepEqual(go.stack, [
      { path: '/app/main.go', line: 12, label: 'main.f(0x1)' },
      { path: '/app/main.go', line: 12, label: 'main.main()' },
    ]);
    assert.equal(parse('go', 'single')[0].stack, undefined);
  });
  it('python: causes, malformed lines and a missing File line', () => {
    const exceptions = parse(
      'python',
      [
        'Traceback (most recent call last):',
        '  File "a.py", line 3, in f',
        '    f()',
        'KeyError: k',
        '',
        'During handling of the above exception, another exception occurred:',
        '',
        'Traceback (most recent call last):',
        '  File "b.py", line x, at g',
        '  File ",',
        'ValueError: v',
      ].join('\n'),
      0,
    );
    assert.equal(exceptions.length, 2);
    assert.equal(exceptions[0].remote, false);
    assert.deepEqual(exceptions[0].stack, [{ path: 'b.py', line: 0, label: '' }]);
    assert.equal(exceptions[1].type, 'KeyError');
    assert.equal(exceptions[1].message, 'k');
    assert.deepEqual(exceptions[1].stack, [{ path: 'a.py', line: 3, label: 'f' }]);
    const orphan = parse(
      'python',
      'During handling of the above exception, another exception occurred:\nX: y',
    );
    assert.equal(orphan.length, 1);
    assert.equal(parse('python', 'x')[0].stack, undefined);
  });
});

describe('annotations with an empty attribute key', () => {
  it('never make an empty annotation key (X-Ray would reject the document)', () => {
    const span = makeSpan({ kind: 1, attributes: { '': 'x', ok: 1 } });
    const all = spanToSegment(span, { indexAllAttributes: true });
    assert.deepEqual(all.annotations, { ok: 1 });
    const listed = spanToSegment(span, { indexedAttributes: ['', 'ok'] });
    assert.deepEqual(listed.annotations, { ok: 1 });
    assert.equal(listed.metadata?.default?.[''], 'x');
    assert.equal(schemaErrors(listed), undefined);
  });
});
