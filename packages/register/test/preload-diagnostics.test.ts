// What a person sees on stderr when OTEL_LOG_LEVEL is unset (src/report.ts): child processes started
// with -r / --import, as users run them. One line per distinct problem, never on stdout, nothing
// with OTEL_LOG_LEVEL=none. Needs the build (`npx tsc --build`).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API,
  REGISTER_CJS,
  closedTcpPort,
  closedUdpPort,
  run,
  script as writeScript,
  settle,
  startDaemon,
} from './child';
import type { Daemon, Run } from './child';

let dir: string;

const script = (name: string, body: string): string => writeScript(dir, name, body);

/** The stderr lines of a run (none for an empty stderr). */
const lines = (result: Run): string[] => result.stderr.split('\n').filter((line) => line !== '');

/**
 * An app that ends `count` spans in `waves` waves 150 ms apart (the batch processor exports every
 * 50 ms here): a connected UDP socket learns of a closed port from the ICMP answer to an earlier
 * datagram, so the error shows on a later send.
 */
function spansApp(name: string, count: number, waves = 3): string {
  return script(
    name,
    `const api = require(${JSON.stringify(API)});
     let wave = 0;
     const tick = () => {
       for (let i = 0; i < ${count}; i++) api.trace.getTracer('app').startSpan('span-' + wave + '-' + i).end();
       if (++wave < ${waves}) setTimeout(tick, 150);
     };
     tick();`,
  );
}

describe('register preload: diagnostics for a person (child processes)', function () {
  this.timeout(30000);
  let daemon: Daemon;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'xray-register-report-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    daemon = await startDaemon();
  });
  afterEach(() => daemon.close());

  it('OTEL_TRACES_EXPORTER=bogus: one stderr line naming the value and the fallback; spans still go', async () => {
    const app = spansApp('bogus.js', 2, 1);
    for (const entry of [
      ['-r', REGISTER_CJS],
      ['--import', '@xray-otel/register'],
    ]) {
      const result = await run([...entry, app], {
        OTEL_TRACES_EXPORTER: 'bogus',
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, '');
      assert.deepEqual(lines(result), [
        '@xray-otel/register: OTEL_TRACES_EXPORTER: "bogus" unknown to @xray-otel/register ' +
          '(known: xray, otlp, console, none); using xray (the default).',
      ]);
    }
    await settle();
    // The fallback is real: the default exporter sent the spans of both runs.
    assert.equal(daemon.segments.filter((s) => s.name === 'span-0-0').length, 2);
  });

  it('OTEL_LOG_LEVEL=none: nothing on stderr, whatever goes wrong', async () => {
    const result = await run(['-r', REGISTER_CJS, spansApp('none.js', 20)], {
      OTEL_LOG_LEVEL: 'none',
      OTEL_TRACES_EXPORTER: 'bogus',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${await closedUdpPort()}`,
    });
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, '');
  });

  it('a daemon nobody listens to (ECONNREFUSED): one line however many spans', async () => {
    const port = await closedUdpPort();
    const result = await run(['-r', REGISTER_CJS, spansApp('refused.js', 100)], {
      OTEL_BSP_SCHEDULE_DELAY: '50',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const [line, ...rest] = lines(result);
    assert.deepEqual(rest, [], result.stderr);
    assert.equal(
      line,
      `@xray-otel/register: nothing listens at the X-Ray daemon address 127.0.0.1:${port} ` +
        '(UDP, ECONNREFUSED): spans are lost. Start the X-Ray daemon (or the collector), or set ' +
        'AWS_XRAY_DAEMON_ADDRESS.',
    );
  });

  it('a daemon host that does not resolve: one line', async () => {
    const result = await run(['-r', REGISTER_CJS, spansApp('unresolved.js', 20)], {
      OTEL_BSP_SCHEDULE_DELAY: '50',
      AWS_XRAY_DAEMON_ADDRESS: 'nonexistent.invalid:2000',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const found = lines(result);
    assert.equal(found.length, 1, result.stderr);
    // ENOTFOUND, or EAI_AGAIN where the machine has no DNS at all.
    assert.match(
      found[0],
      /^@xray-otel\/register: the X-Ray daemon host of nonexistent\.invalid:2000 cannot be resolved \((ENOTFOUND|EAI_AGAIN)\): spans are lost\. Check AWS_XRAY_DAEMON_ADDRESS\.$/,
    );
  });

  it('OTEL_TRACES_SAMPLER=xray with nothing on the sampling port: one line', async () => {
    const tcp = await closedTcpPort();
    const app = script(
      'sampler.js',
      `const api = require(${JSON.stringify(API)});
       api.trace.getTracer('app').startSpan('sampled-locally').end();
       // Alive while the first rules poll (at start) fails, and a little more.
       setTimeout(() => {}, 700);`,
    );
    const result = await run(['-r', REGISTER_CJS, app], {
      OTEL_TRACES_SAMPLER: 'xray',
      AWS_XRAY_DAEMON_ADDRESS: `tcp:127.0.0.1:${tcp} udp:127.0.0.1:${daemon.port}`,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const found = lines(result);
    assert.equal(found.length, 1, result.stderr);
    assert.match(
      found[0],
      new RegExp(
        `^@xray-otel/register: cannot get X-Ray sampling rules from http://127\\.0\\.0\\.1:${tcp} \\(.+\\): ` +
          'the local fallback rules decide until it answers',
      ),
    );
  });

  it('documents shrunk to fit 64 kB: one line for many', async () => {
    const app = script(
      'shrunk.js',
      `const api = require(${JSON.stringify(API)});
       for (let i = 0; i < 3; i++) {
         const span = api.trace.getTracer('app').startSpan('big-' + i);
         span.setAttribute('app.payload', 'x'.repeat(100000));
         span.end();
       }`,
    );
    const result = await run(['-r', REGISTER_CJS, app], {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const found = lines(result);
    assert.equal(found.length, 1, result.stderr);
    assert.match(
      found[0],
      /^@xray-otel\/register: segment document shrunk to fit the 64 kB limit \(span "big-0"\)$/,
    );
    await settle();
    assert.equal(daemon.segments.filter((s) => String(s.name).startsWith('big-')).length, 3);
  });

  it('bad values of several variables: one line each, saying what is used instead', async () => {
    const app = script('values.js', `require(${JSON.stringify(API)});`);
    const result = await run(['-r', REGISTER_CJS, app], {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
      OTEL_PROPAGATORS: 'b3',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_BSP_MAX_QUEUE_SIZE: 'lots',
      OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES: 'yes',
      OTEL_SDK_DISABLED: '0',
      OTEL_NODE_RESOURCE_DETECTORS: 'env,gcp',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const found = lines(result);
    const expected = [
      // NodeSDK's own line (upstream, about an OTEL_* value: it reaches the person too).
      /OpenTelemetry: Unknown value '0' for OTEL_SDK_DISABLED, expected 'true' or 'false', falling back to 'false'/,
      /OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES="yes" is not "true" or "false"; using false\.$/,
      /OTEL_BSP_MAX_QUEUE_SIZE="lots" is not a positive integer; using the default \(2048\)\.$/,
      /OTEL_TRACES_SAMPLER="sometimes" is not one of .*; using parentbased_always_on\.$/,
      /OTEL_PROPAGATORS: "b3" unknown .*; using xray,tracecontext,baggage \(the default\)\.$/,
      /OTEL_NODE_RESOURCE_DETECTORS: "gcp" unknown .*; using env\.$/,
    ];
    assert.equal(found.length, expected.length, result.stderr);
    for (const pattern of expected) {
      assert.ok(
        found.some((line) => line.startsWith('@xray-otel/register: ') && pattern.test(line)),
        `${pattern} in\n${result.stderr}`,
      );
    }
  });
});
