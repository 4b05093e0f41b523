import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_USAGE } from '../../src/demo/args';
import {
  defaultRuntime,
  requestStatus,
  runDemo,
  type DemoRuntime,
  type DemoServer,
  type ServerOptions,
} from '../../src/demo/run';
import type { ServiceLaunch } from '../../src/demo/supervise';
import type { Stats } from '../../src/types';

import { MAP, summary } from './fixtures';
const EMPTY_STATS: Stats = {
  received: 0,
  accepted: 0,
  rejected: 0,
  rejectedByReason: {},
  evicted: 0,
  traces: 0,
  documents: 0,
  receivedBySource: {},
  startedAt: 0,
};

interface FakeOptions {
  /** Errors thrown by start(), one per attempt. */
  startErrors?: unknown[];
  serviceError?: string;
  preload?: string | undefined;
  isTTY?: boolean;
  /** Raise the signal once this many requests are sent (or at this phase). */
  signalAfterRequests?: number;
  signalAtService?: string;
  signalWhenServing?: boolean;
}

function fakeRuntime(options: FakeOptions = {}) {
  let clock = 0;
  let signal: (() => void) | undefined;
  let exitHandler: (() => void) | undefined;
  const output: string[] = [];
  const serverOptions: ServerOptions[] = [];
  const launches: ServiceLaunch[] = [];
  const stopped: string[] = [];
  const killed: string[] = [];
  const requests: string[] = [];
  let served = 0;
  const startErrors = [...(options.startErrors ?? [])];
  const server = (opts: ServerOptions): DemoServer => ({
    async start() {
      const error = startErrors.shift();
      if (error) throw error;
      return {
        host: '127.0.0.1',
        udpPort: opts.udpPort ?? 2000,
        tcpPort: opts.tcpPort ?? 2000,
        otlpPort: 4318,
        uiPort: opts.uiPort ?? 2021,
      };
    },
    async stop() {
      stopped.push('server');
    },
    stats: () => ({ ...EMPTY_STATS, received: served * 5, traces: served }),
    store: {
      listTraces: () => [summary('1-00000001-000000000000000000000009', 0.25, { name: 'frontend' })],
      serviceMap: () => MAP,
    },
  });
  const runtime: DemoRuntime = {
    async createServer(opts) {
      serverOptions.push({ ...opts });
      return server(opts);
    },
    async startService(launch) {
      launches.push(launch);
      if (options.signalAtService === launch.name) signal?.();
      if (options.serviceError === launch.name) throw new Error(`${launch.name} exited (1) before listening`);
      return {
        name: launch.name,
        url: `http://127.0.0.1:${9000 + launches.length}`,
        async stop() {
          stopped.push(launch.name);
        },
        kill() {
          killed.push(launch.name);
        },
      };
    },
    async request(url) {
      requests.push(url);
      if (options.signalAfterRequests === requests.length) signal?.();
      served++;
      return requests.length % 4 === 0 ? 502 : requests.length % 5 === 0 ? 0 : 200;
    },
    resolvePreload: () => ('preload' in options ? options.preload : '/register.js'),
    write(text) {
      output.push(text);
      if (options.signalWhenServing && text.includes('Serving until Ctrl-C'))
        setTimeout(() => signal?.(), 10);
    },
    isTTY: options.isTTY ?? false,
    onSignal(handler) {
      signal = handler;
      return () => (signal = undefined);
    },
    onExit(handler) {
      exitHandler = handler;
      return () => (exitHandler = undefined);
    },
    async sleep(ms) {
      clock += ms;
    },
    now: () => clock,
    env: { PATH: '/bin' },
  };
  return {
    runtime,
    text: () => output.join(''),
    serverOptions,
    launches,
    stopped,
    killed,
    requests,
    fireExit: () => exitHandler?.(),
    hasSignalHandler: () => signal !== undefined,
  };
}

describe('demo: runDemo with a fake runtime', () => {
  it('prints usage for --help and a reason for a bad flag', async () => {
    const help = fakeRuntime();
    assert.equal(await runDemo(['--help'], help.runtime), 0);
    assert.equal(help.text(), `${DEMO_USAGE}\n`);
    const bad = fakeRuntime();
    assert.equal(await runDemo(['--nope'], bad.runtime), 2);
    assert.match(bad.text(), /unknown option "--nope"/);
  });

  it('explains how to install the services when @xray-otel/register is missing', async () => {
    const fake = fakeRuntime({ preload: undefined });
    assert.equal(await runDemo(['--exit'], fake.runtime), 1);
    assert.match(
      fake.text(),
      /@xray-otel\/register is not installed[\s\S]*npm install @xray-otel\/local @xray-otel\/register/,
    );
  });

  it('starts the server and the services, sends traffic, prints the results and exits with --exit', async () => {
    const fake = fakeRuntime();
    assert.equal(
      await runDemo(['--exit', '--duration', '2', '--rate', '5', '--udp-port', '0'], fake.runtime),
      0,
    );
    const text = fake.text();
    assert.deepEqual(fake.serverOptions, [
      {
        host: undefined,
        udpPort: 0,
        tcpPort: undefined,
        otlpPort: undefined,
        uiPort: undefined,
        maxTraces: undefined,
        quiet: true,
      },
    ]);
    assert.deepEqual(
      fake.launches.map((l) => l.name),
      ['payments', 'inventory', 'orders', 'frontend'],
    );
    const orders = fake.launches.find((l) => l.name === 'orders')!;
    assert.deepEqual(orders.args.slice(0, 2), ['-r', '/register.js']);
    assert.equal(orders.env.PAYMENTS_URL, 'http://127.0.0.1:9001');
    assert.equal(orders.env.INVENTORY_URL, 'http://127.0.0.1:9002');
    assert.equal(orders.env.AWS_XRAY_DAEMON_ADDRESS, 'tcp:127.0.0.1:2000 udp:127.0.0.1:0');
    assert.equal(fake.launches[1].args.length, 1, 'inventory runs without the preload');
    assert.equal(fake.requests.length, 10, '5 requests/s for 2 s');
    assert.ok(fake.requests.every((url) => url.startsWith('http://127.0.0.1:9004/checkout?customer=')));
    assert.match(
      text,
      /xray-local listening: segments udp 0, sampling tcp 2000, OTLP\/HTTP 4318, viewer http:\/\/127\.0\.0\.1:2021\//,
    );
    assert.match(text, /requests sent 10 \(ok 6, failed 4\)\s+documents received 50/);
    assert.match(text, /Service map: 4 nodes, 4 edges/);
    assert.match(text, /Slowest 1 traces/);
    assert.match(text, /Viewer: http:\/\/127\.0\.0\.1:2021\//);
    assert.ok(!text.includes('Serving until Ctrl-C'));
    assert.deepEqual(fake.stopped.sort(), ['frontend', 'inventory', 'orders', 'payments', 'server']);
    assert.equal(fake.hasSignalHandler(), false, 'signal handler removed');
  });

  it('kills the services synchronously if the process exits under it', async () => {
    const after = fakeRuntime();
    await runDemo(['--exit', '--duration', '0.1'], after.runtime);
    after.fireExit();
    assert.deepEqual(after.killed, [], 'the exit hook is removed after the run');
    const during = fakeRuntime();
    const sleep = during.runtime.sleep;
    during.runtime.sleep = async (ms) => {
      during.fireExit();
      return sleep(ms);
    };
    await runDemo(['--exit', '--duration', '0.1'], during.runtime);
    assert.ok(during.killed.includes('frontend'));
  });

  it('draws the progress line in place on a terminal', async () => {
    const fake = fakeRuntime({ isTTY: true });
    assert.equal(await runDemo(['--exit', '--duration', '1', '--rate', '4'], fake.runtime), 0);
    assert.match(fake.text(), /\r {2}\d\/1 s {2}requests sent/);
  });

  it('serves until Ctrl-C without --exit', async () => {
    const fake = fakeRuntime({ signalWhenServing: true });
    const code = await Promise.race([
      runDemo(['--duration', '0.5'], fake.runtime),
      new Promise((resolve) => setTimeout(() => resolve('still running'), 2000)),
    ]);
    if (code === 'still running') assert.fail('did not stop');
    assert.equal(code, 0);
  });

  it('stops early on Ctrl-C during the traffic, and cleans up', async () => {
    const fake = fakeRuntime({ signalAfterRequests: 3 });
    assert.equal(await runDemo(['--duration', '60'], fake.runtime), 0);
    assert.equal(fake.requests.length, 3);
    assert.match(fake.text(), /Stopping the demo services and xray-local/);
    assert.ok(!fake.text().includes('Service map'));
    assert.ok(fake.stopped.includes('server'));
  });

  it('stops early on Ctrl-C while the services start', async () => {
    const fake = fakeRuntime({ signalAtService: 'inventory' });
    assert.equal(await runDemo([], fake.runtime), 0);
    assert.deepEqual(
      fake.launches.map((l) => l.name),
      ['payments', 'inventory'],
    );
    assert.equal(fake.requests.length, 0);
  });

  it('falls back to free ports when a default port is busy, and says so', async () => {
    const busy = Object.assign(new Error('bind EADDRINUSE 127.0.0.1:2000'), {
      code: 'EADDRINUSE',
      port: 2000,
    });
    const fake = fakeRuntime({ startErrors: [busy] });
    assert.equal(await runDemo(['--exit', '--duration', '0.2', '--ui-port', '3000'], fake.runtime), 0);
    assert.match(fake.text(), /port 2000 is already in use[\s\S]*--udp-port[\s\S]*Using free ports/);
    assert.equal(fake.serverOptions.length, 2);
    assert.deepEqual(
      [
        fake.serverOptions[1].udpPort,
        fake.serverOptions[1].tcpPort,
        fake.serverOptions[1].otlpPort,
        fake.serverOptions[1].uiPort,
      ],
      [0, 0, 0, 3000],
    );
  });

  it('gives up when the ports given are busy, or on another start error', async () => {
    const busy = Object.assign(new Error('in use'), { code: 'EADDRINUSE', port: 5 });
    const explicit = fakeRuntime({ startErrors: [busy] });
    assert.equal(
      await runDemo(
        ['--udp-port', '5', '--tcp-port', '5', '--otlp-port', '6', '--ui-port', '7'],
        explicit.runtime,
      ),
      1,
    );
    assert.match(explicit.text(), /cannot start xray-local: port 5 is already in use/);
    const twice = fakeRuntime({ startErrors: [busy, busy] });
    assert.equal(await runDemo([], twice.runtime), 1);
    const other = fakeRuntime({ startErrors: [new Error('EACCES')] });
    assert.equal(await runDemo([], other.runtime), 1);
    assert.match(other.text(), /cannot start xray-local: EACCES/);
  });

  it('reports a service that does not start, and stops the others', async () => {
    const fake = fakeRuntime({ serviceError: 'orders' });
    assert.equal(await runDemo(['--exit'], fake.runtime), 1);
    assert.match(fake.text(), /orders exited \(1\) before listening/);
    assert.deepEqual(fake.stopped.sort(), ['inventory', 'payments', 'server']);
  });
});

describe('demo: runtime helpers', function () {
  this.timeout(20000);

  it('requestStatus answers the status, or 0 on failure or timeout', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/slow') return;
      res.statusCode = req.url === '/fail' ? 503 : 200;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      assert.equal(await requestStatus(`http://127.0.0.1:${port}/`), 200);
      assert.equal(await requestStatus(`http://127.0.0.1:${port}/fail`), 503);
      assert.equal(await requestStatus(`http://127.0.0.1:${port}/slow`, 100), 0);
      server.closeAllConnections();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    assert.equal(await requestStatus(`http://127.0.0.1:${port}/`), 0);
  });

  it('the default runtime wires signals, exit, time and the preload', async () => {
    const handler = () => undefined;
    const before = process.listenerCount('SIGINT');
    const off = defaultRuntime.onSignal(handler);
    assert.equal(process.listenerCount('SIGINT'), before + 1);
    off();
    assert.equal(process.listenerCount('SIGINT'), before);
    const offExit = defaultRuntime.onExit(handler);
    offExit();
    const t = defaultRuntime.now();
    await defaultRuntime.sleep(5);
    assert.ok(defaultRuntime.now() >= t);
    assert.match(defaultRuntime.resolvePreload()!, /register/);
    assert.equal(await defaultRuntime.request('http://127.0.0.1:1/'), 0);
  });
});
