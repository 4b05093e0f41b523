// The entry points as users run them: child processes with -r / --import, a UDP listener standing in
// for the daemon. Needs the build (`npx tsc --build`): the children load build/index.js / index.mjs.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, REGISTER_CJS, run, script as writeScript, settle, startDaemon } from './child';
import type { Daemon } from './child';

let dir: string;

const script = (name: string, body: string): string => writeScript(dir, name, body);

describe('register preload (child processes)', function () {
  this.timeout(30000);
  let daemon: Daemon;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'xray-register-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    daemon = await startDaemon();
  });
  afterEach(() => daemon.close());

  it('node -r: a span the app makes arrives at the daemon as a segment at exit', async () => {
    const app = script(
      'app.js',
      `const api = require(${JSON.stringify(API)});
       api.trace.getTracer('app').startActiveSpan('cjs-span', (span) => { span.setAttribute('user', 'bob'); span.end(); });
       console.log(JSON.stringify(api.propagation.fields()));`,
    );
    const result = await run(['-r', REGISTER_CJS, app], {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
      OTEL_TRACES_EXPORTER: 'xray',
      OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: 'user',
    });
    await settle();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), '["x-amzn-trace-id","traceparent","tracestate","baggage"]');
    const segment = daemon.segments.find((s) => s.name === 'cjs-span');
    assert.ok(segment, JSON.stringify(daemon.segments));
    assert.deepEqual(segment.annotations, { user: 'bob' });
  });

  it('node --import: an ES module app; node:http imported as ESM is instrumented', async () => {
    const app = script(
      'app.mjs',
      `import api from ${JSON.stringify(API)};
       import http from 'node:http';
       api.trace.getTracer('app').startActiveSpan('esm-span', (span) => span.end());
       const server = http.createServer((req, res) => res.end('ok'));
       server.listen(0, '127.0.0.1', () => {
         http.get({ host: '127.0.0.1', port: server.address().port, path: '/hello' }, (res) => {
           res.resume();
           res.on('end', () => server.close());
         });
       });`,
    );
    const result = await run(['--import', '@xray-otel/register', app], {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
      OTEL_SERVICE_NAME: 'esm-app',
    });
    await settle();
    assert.equal(result.code, 0, result.stderr);
    const names = daemon.segments.map((s) => s.name);
    // The root INTERNAL span is a local root: its segment is named after the service (not esm-span).
    assert.ok(!names.includes('esm-span'), JSON.stringify(names));
    assert.ok(
      daemon.segments.some((s) => s.name === 'esm-app' && s.http === undefined),
      JSON.stringify(names),
    );
    const server = daemon.segments.find((s) => s.name === 'esm-app' && s.http !== undefined);
    assert.ok(server, JSON.stringify(names));
    assert.match(String((server.http as { request: { url: string } }).request.url), /\/hello$/);
  });

  it('SIGTERM without an app handler: flushed, then the process dies of SIGTERM', async () => {
    const app = script(
      'sigterm-default.js',
      `const api = require(${JSON.stringify(API)});
       api.trace.getTracer('app').startActiveSpan('before-sigterm', (span) => span.end());
       setInterval(() => {}, 1000);
       console.log('READY');`,
    );
    const result = await run(
      ['-r', REGISTER_CJS, app],
      { AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`, OTEL_BSP_SCHEDULE_DELAY: '60000' },
      (pid) => process.kill(pid, 'SIGTERM'),
    );
    await settle();
    assert.equal(result.signal, 'SIGTERM', result.stderr);
    assert.ok(
      daemon.segments.some((s) => s.name === 'before-sigterm'),
      JSON.stringify(daemon.segments),
    );
  });

  it('SIGTERM with an app handler: flushed, the app decides (exits 7 later)', async () => {
    const app = script(
      'sigterm-app.js',
      `const api = require(${JSON.stringify(API)});
       api.trace.getTracer('app').startActiveSpan('before-app-sigterm', (span) => span.end());
       const timer = setInterval(() => {}, 1000);
       process.on('SIGTERM', () => {
         console.log('APP-HANDLER');
         setTimeout(() => { api.trace.getTracer('app').startActiveSpan('after-app-sigterm', (s) => s.end()); clearInterval(timer); process.exitCode = 7; }, 300);
       });
       console.log('READY');`,
    );
    const result = await run(
      ['-r', REGISTER_CJS, app],
      { AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`, OTEL_BSP_SCHEDULE_DELAY: '60000' },
      (pid) => process.kill(pid, 'SIGTERM'),
    );
    await settle();
    assert.equal(result.signal, null);
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stdout, /APP-HANDLER/);
    const names = daemon.segments.map((s) => s.name);
    assert.ok(names.includes('before-app-sigterm'), JSON.stringify(names));
    // The SDK kept running after the signal: the later span went out at exit.
    assert.ok(names.includes('after-app-sigterm'), JSON.stringify(names));
  });

  it('a bad AWS_XRAY_DAEMON_ADDRESS: one clear line on stderr, the app runs on untraced', async () => {
    const app = script('bad-address.js', `console.log('app ran');`);
    const result = await run(['-r', REGISTER_CJS, app], { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1' });
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), 'app ran');
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0],
      /^@xray-otel\/register: tracing is disabled, .*Invalid X-Ray daemon address "127\.0\.0\.1"/,
    );
  });

  it('OTEL_SDK_DISABLED=true: nothing started, nothing patched, nothing sent', async () => {
    const app = script(
      'disabled.js',
      `const api = require(${JSON.stringify(API)});
       const http = require('node:http');
       api.trace.getTracer('app').startActiveSpan('disabled-span', (span) => span.end());
       console.log(JSON.stringify({ fields: api.propagation.fields(), patched: '__wrapped' in http.request }));`,
    );
    for (const flag of ['-r', '--import']) {
      const result = await run([flag, flag === '-r' ? REGISTER_CJS : '@xray-otel/register', app], {
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
        OTEL_SDK_DISABLED: 'true',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), { fields: [], patched: false });
    }
    await settle();
    assert.deepEqual(daemon.segments, []);
  });
});
