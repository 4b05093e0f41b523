import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  busyPortMessage,
  clientHost,
  daemonAddress,
  defaultRuntime,
  DEMO_SERVICES,
  DEMO_USAGE,
  formatLatency,
  parseDemoArgs,
  renderProgress,
  renderServiceMap,
  renderSlowest,
  requestPath,
  requestStatus,
  runDemo,
  serviceArgs,
  serviceEnv,
  startNodeService,
  table,
  type DemoRuntime,
  type DemoServer,
  type ServerOptions,
  type ServiceLaunch,
} from '../src/demo';
import type { ServiceMap, Stats, TraceSummary } from '../src/types';

const stats = (requests: number, averageLatency: number, rates: Partial<Record<string, number>> = {}) => ({
  requests,
  averageLatency,
  errorRate: rates.error ?? 0,
  faultRate: rates.fault ?? 0,
  throttleRate: rates.throttle ?? 0,
});

const MAP: ServiceMap = {
  nodes: [
    { id: 'client|client', name: 'client', type: 'client', inferred: true, stats: stats(10, 0.1) },
    { id: 'frontend|', name: 'frontend', type: '', inferred: false, stats: stats(10, 0.1, { fault: 0.1 }) },
    {
      id: 'DynamoDB|AWS::DynamoDB',
      name: 'DynamoDB',
      type: 'AWS::DynamoDB',
      inferred: true,
      stats: stats(10, 0.012),
    },
    {
      id: 'payments|',
      name: 'payments',
      type: '',
      inferred: false,
      stats: stats(10, 1.5, { error: 0.2, throttle: 0.2 }),
    },
  ],
  edges: [
    { source: 'client|client', target: 'frontend|', stats: stats(10, 0.1) },
    { source: 'frontend|', target: 'payments|', stats: stats(10, 1.5, { error: 0.2 }) },
    { source: 'frontend|', target: 'DynamoDB|AWS::DynamoDB', stats: stats(12, 0.012) },
    { source: 'ghost|x', target: 'frontend|', stats: stats(1, 0.001) },
  ],
};

function summary(id: string, duration: number, extra: Partial<TraceSummary> = {}): TraceSummary {
  return {
    id,
    startTime: 1,
    duration,
    responseTime: duration,
    name: 'frontend',
    fault: false,
    error: false,
    throttle: false,
    documents: 1,
    services: ['frontend'],
    annotations: {},
    ...extra,
  };
}

describe('demo: arguments', () => {
  it('has defaults', () => {
    assert.deepEqual(parseDemoArgs([]), { duration: 20, rate: 10, exit: false, help: false });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    assert.deepEqual(
      parseDemoArgs([
        '--duration',
        '5',
        '--rate=2.5',
        '--exit',
        '--host',
        '0.0.0.0',
        '--udp-port',
        '0',
        '--tcp-port=2001',
        '--otlp-port',
        '4319',
        '--ui-port=0',
        '--max-traces',
        '100',
      ]),
      {
        duration: 5,
        rate: 2.5,
        exit: true,
        help: false,
        host: '0.0.0.0',
        udpPort: 0,
        tcpPort: 2001,
        otlpPort: 4319,
        uiPort: 0,
        maxTraces: 100,
      },
    );
    assert.equal(parseDemoArgs(['-h']).help, true);
    assert.equal(parseDemoArgs(['--help']).help, true);
  });

  for (const [argv, message] of [
    [['--duration'], /--duration needs a value/],
    [['--duration', 'x'], /--duration must be a number from 0.1/],
    [['--udp-port', '70000'], /--udp-port must be a whole number from 0 to 65535/],
    [['--ui-port', '1.5'], /whole number/],
    [['--max-traces', '0'], /--max-traces/],
    [['--host'], /--host needs a value/],
    [['--host='], /--host needs a value/],
    [['--exit=1'], /--exit takes no value/],
    [['--bogus'], /unknown option "--bogus"/],
    [['extra'], /unknown option "extra"/],
  ] as const) {
    it(`rejects ${JSON.stringify(argv)}`, () => {
      assert.throws(() => parseDemoArgs([...argv]), message);
    });
  }
});

describe('demo: services and environment', () => {
  it('starts a service after the ones it calls', () => {
    const seen = new Set<string>();
    for (const service of DEMO_SERVICES) {
      for (const target of Object.values(service.downstreams)) assert.ok(seen.has(target), target);
      seen.add(service.name);
    }
    assert.deepEqual([...seen].sort(), ['frontend', 'inventory', 'orders', 'payments']);
  });

  it('builds the daemon address', () => {
    assert.equal(daemonAddress('127.0.0.1', 2000, 2000), '127.0.0.1:2000');
    assert.equal(daemonAddress('0.0.0.0', 40001, 40002), 'tcp:127.0.0.1:40002 udp:127.0.0.1:40001');
    assert.equal(clientHost('::'), '127.0.0.1');
    assert.equal(clientHost(''), '127.0.0.1');
    assert.equal(clientHost('::1'), '[::1]');
    assert.equal(clientHost('localhost'), 'localhost');
  });

  it('gives each service its name, the daemon, its downstream URLs, and drops outside settings', () => {
    const orders = DEMO_SERVICES.find((s) => s.name === 'orders')!;
    const env = serviceEnv(
      orders,
      '127.0.0.1:2000',
      { payments: 'http://127.0.0.1:1', inventory: 'http://127.0.0.1:2' },
      {
        PATH: '/bin',
        OTEL_TRACES_EXPORTER: 'otlp',
        AWS_XRAY_DAEMON_ADDRESS: 'elsewhere:2000',
        AWS_REGION: 'eu-west-1',
        _X_AMZN_TRACE_ID: 'Root=1',
        NODE_OPTIONS: '--require ts-node/register',
      },
    );
    assert.equal(env.PATH, '/bin');
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.equal(env.OTEL_TRACES_EXPORTER, undefined);
    assert.equal(env._X_AMZN_TRACE_ID, undefined);
    assert.equal(env.NODE_OPTIONS, undefined);
    assert.equal(env.AWS_XRAY_DAEMON_ADDRESS, '127.0.0.1:2000');
    assert.equal(env.OTEL_SERVICE_NAME, 'orders');
    assert.equal(env.PAYMENTS_URL, 'http://127.0.0.1:1');
    assert.equal(env.INVENTORY_URL, 'http://127.0.0.1:2');
    assert.equal(env.OTEL_NODE_RESOURCE_DETECTORS, 'env,process');
    const kept = serviceEnv(DEMO_SERVICES[0], 'a:1', {}, { NODE_OPTIONS: '--max-old-space-size=100' });
    assert.equal(kept.NODE_OPTIONS, '--max-old-space-size=100');
  });

  it('refuses to start a service before its downstream', () => {
    const frontend = DEMO_SERVICES.find((s) => s.name === 'frontend')!;
    assert.throws(() => serviceEnv(frontend, 'a:1', {}, {}), /frontend needs orders/);
  });

  it('preloads @xray-otel/register for the OpenTelemetry services only', () => {
    const [payments, inventory] = DEMO_SERVICES;
    assert.deepEqual(serviceArgs(payments, '/r.js', '/demo'), ['-r', '/r.js', '/demo/payments.cjs']);
    assert.deepEqual(serviceArgs(inventory, '/r.js', '/demo'), ['/demo/inventory.cjs']);
  });

  it('varies the customers and items of the requests', () => {
    assert.equal(requestPath(0), '/checkout?customer=c-1&item=sku-1');
    assert.equal(requestPath(8), '/checkout?customer=c-2&item=sku-3');
  });
});

describe('demo: text', () => {
  it('formats latencies', () => {
    assert.equal(formatLatency(0.0123), '12.3 ms');
    assert.equal(formatLatency(2.5), '2.50 s');
    assert.equal(formatLatency(NaN), '-');
  });

  it('aligns columns, numbers to the right', () => {
    assert.equal(
      table([
        ['a', '1'],
        ['bbb', '100'],
      ]),
      '  a      1\n  bbb  100',
    );
  });

  it('renders the service map: nodes with type and figures, then edges a -> b', () => {
    const text = renderServiceMap(MAP);
    const lines = text.split('\n');
    assert.equal(lines[0], 'Service map: 4 nodes, 4 edges');
    assert.match(lines[1], /^ {2}node\s+type\s+requests\s+avg\s+error\s+fault\s+throttle$/);
    // Services first, then inferred nodes, by name.
    assert.deepEqual(
      lines.slice(2, 6).map((l) => l.trim().split(/\s+/)[0]),
      ['frontend', 'payments', 'client', 'DynamoDB'],
    );
    assert.match(text, /frontend\s+-\s+10\s+100\.0 ms\s+0\.0%\s+10\.0%\s+0\.0%/);
    assert.match(text, /payments\s+-\s+10\s+1\.50 s\s+20\.0%\s+0\.0%\s+20\.0%/);
    assert.match(text, /DynamoDB\s+AWS::DynamoDB \(inferred\)\s+10\s+12\.0 ms/);
    assert.match(text, /client -> frontend\s+10/);
    assert.match(text, /frontend -> DynamoDB\s+12\s+12\.0 ms/);
    assert.match(text, /frontend -> payments\s+10\s+1\.50 s\s+20\.0%/);
    assert.match(text, /ghost -> frontend/);
    assert.ok(
      text.indexOf('frontend -> DynamoDB') < text.indexOf('frontend -> payments'),
      'busier edge first',
    );
  });

  it('renders an empty service map', () => {
    assert.equal(renderServiceMap({ nodes: [], edges: [] }), 'Service map: 0 nodes, 0 edges (no traces yet)');
    const noEdges = renderServiceMap({ nodes: MAP.nodes.slice(1, 2), edges: [] });
    assert.ok(!noEdges.includes('->'));
  });

  it('renders the five slowest traces with id, duration, root, request and status', () => {
    const traces = [
      summary('1-00000001-000000000000000000000001', 0.01),
      summary('1-00000001-000000000000000000000002', 0.5, {
        http: { method: 'GET', url: 'http://127.0.0.1:1/checkout?customer=c-1', status: 502 },
        fault: true,
      }),
      summary('1-00000001-000000000000000000000003', 0.2, {
        http: { method: 'GET', url: 'not a url', status: 429 },
        error: true,
        throttle: true,
      }),
      summary('1-00000001-000000000000000000000004', 0.3),
      summary('1-00000001-000000000000000000000005', 0.05),
      summary('1-00000001-000000000000000000000006', 0.001),
    ];
    const lines = renderSlowest(traces).split('\n');
    assert.equal(lines[0], 'Slowest 5 traces');
    assert.equal(lines.length, 7);
    assert.match(
      lines[2],
      /^ {2}1-00000001-0+2\s+500\.0 ms\s+frontend\s+GET \/checkout\?customer=c-1\s+502\s+fault$/,
    );
    assert.match(lines[3], /0+4\s+300\.0 ms\s+frontend\s+-$/);
    assert.match(lines[4], /0+3\s+200\.0 ms\s+frontend\s+GET not a url\s+429\s+error,throttle$/);
    assert.ok(!lines.join('\n').includes('000006'), 'only five');
    assert.equal(renderSlowest([]), 'Slowest traces: none received');
  });

  it('renders the progress line', () => {
    assert.equal(
      renderProgress({
        elapsedSeconds: 3.2,
        durationSeconds: 20,
        sent: 32,
        ok: 30,
        failed: 2,
        stats: { received: 400, rejected: 1, traces: 32 },
      }),
      '   3/20 s  requests sent 32 (ok 30, failed 2)  documents received 400  rejected 1  traces 32',
    );
  });

  it('names the busy port and the flags', () => {
    const err = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 2021 });
    assert.match(busyPortMessage(err)!, /^port 2021 is already in use.*--ui-port/);
    assert.match(busyPortMessage({ code: 'EADDRINUSE' })!, /^a port is already in use/);
    assert.equal(busyPortMessage(new Error('x')), undefined);
    assert.equal(busyPortMessage(undefined), undefined);
  });
});

// ---------------------------------------------------------------------------------------------

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

describe('demo: process helpers', function () {
  this.timeout(20000);

  it('startNodeService waits for LISTENING, stops with SIGTERM, and reports a failed start', async () => {
    const script =
      'console.log("starting"); setTimeout(() => console.log("LISTENING 4321"), 50); setInterval(() => {}, 1000);';
    const service = await startNodeService({
      name: 'fake',
      args: ['-e', script],
      env: process.env,
      timeoutMs: 10000,
    });
    assert.equal(service.url, 'http://127.0.0.1:4321');
    await service.stop();
    await service.stop();
    service.kill();

    await assert.rejects(
      startNodeService({
        name: 'broken',
        args: ['-e', 'console.error("no luck"); process.exit(3)'],
        env: process.env,
        timeoutMs: 10000,
      }),
      /broken exited \(3\) before listening:\nno luck/,
    );
    await assert.rejects(
      startNodeService({
        name: 'slow',
        args: ['-e', 'setInterval(() => {}, 1000)'],
        env: process.env,
        timeoutMs: 200,
      }),
      /slow not listening after 200 ms/,
    );
  });

  it('kill() stops a running service at once', async () => {
    const service = await startNodeService({
      name: 'victim',
      args: [
        '-e',
        'process.on("SIGTERM", () => {}); console.log("LISTENING 1"); setInterval(() => {}, 1000)',
      ],
      env: process.env,
      timeoutMs: 10000,
    });
    service.kill();
    await service.stop();
  });

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
