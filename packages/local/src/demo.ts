/**
 * `xray-local demo`: starts xray-local in this process, three OpenTelemetry services
 * (`node -r @xray-otel/register`: frontend -> orders -> payments, orders also reading a simulated
 * DynamoDB table) and one classic aws-xray-sdk-core service (inventory, called by orders) as child
 * processes, drives traffic at the frontend, then prints the service map and the slowest traces.
 *
 * The rules (arguments, environments, text rendering) are pure functions; `runDemo` only wires them
 * to a `DemoRuntime` (processes, sockets, signals), which tests replace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import type { ServiceMap, ServiceMapNode, Stats, TraceSummary } from './types';

// ---------------------------------------------------------------------------------------------
// Arguments

export interface DemoOptions {
  /** Seconds of traffic. */
  duration: number;
  /** Requests per second sent to the frontend. */
  rate: number;
  /** Stop after printing the results instead of serving until Ctrl-C. */
  exit: boolean;
  help: boolean;
  host?: string;
  udpPort?: number;
  tcpPort?: number;
  otlpPort?: number;
  uiPort?: number;
  maxTraces?: number;
}

export const DEMO_USAGE = `Usage: xray-local demo [options]

Starts xray-local and four sample services sending to it (frontend, orders, payments with
OpenTelemetry and @xray-otel/register; inventory with the classic aws-xray-sdk-core), sends them
traffic, prints the service map and the slowest traces, and serves the viewer until Ctrl-C.

Options:
  --duration N     seconds of traffic (default 20)
  --rate N         requests per second to the frontend (default 10)
  --exit           stop after printing the results
  --host H         address xray-local binds (default 127.0.0.1)
  --udp-port N     segments and OTLP-over-UDP (default 2000; 0 = any free port)
  --tcp-port N     sampling API (default 2000)
  --otlp-port N    OTLP/HTTP (default 4318)
  --ui-port N      viewer and JSON API (default 2021)
  --max-traces N   traces kept in memory
  -h, --help       this text

The services need @xray-otel/register, @opentelemetry/api, aws-xray-sdk-core, aws-xray-sdk-express
and express. Outside this repository install them next to @xray-otel/local:
  ${installHint()}`;

export function installHint(): string {
  return (
    'npm install @xray-otel/local @xray-otel/register @opentelemetry/api @opentelemetry/sdk-node ' +
    '@opentelemetry/auto-instrumentations-node @opentelemetry/resource-detector-aws aws-xray-sdk-core ' +
    'aws-xray-sdk-express express'
  );
}

export class DemoUsageError extends Error {}

const PORT_FLAGS = {
  '--udp-port': 'udpPort',
  '--tcp-port': 'tcpPort',
  '--otlp-port': 'otlpPort',
  '--ui-port': 'uiPort',
} as const;

function parseNumber(flag: string, text: string | undefined, min: number, max: number, integer: boolean) {
  if (text === undefined || text === '') throw new DemoUsageError(`${flag} needs a value`);
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new DemoUsageError(
      `${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${text}"`,
    );
  }
  return value;
}

/** Parses the arguments after `demo`. Throws DemoUsageError with a one-line reason. */
export function parseDemoArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = { duration: 20, rate: 10, exit: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    if (flag === '--exit' || flag === '-h' || flag === '--help') {
      if (eq > 0) throw new DemoUsageError(`${flag} takes no value`);
      if (flag === '--exit') options.exit = true;
      else options.help = true;
    } else if (flag === '--duration') {
      options.duration = parseNumber(flag, value(), 0.1, 86400, false);
    } else if (flag === '--rate') {
      options.rate = parseNumber(flag, value(), 0.1, 1000, false);
    } else if (flag === '--max-traces') {
      options.maxTraces = parseNumber(flag, value(), 1, 10_000_000, true);
    } else if (flag === '--host') {
      const host = value();
      if (!host) throw new DemoUsageError('--host needs a value');
      options.host = host;
    } else if (flag in PORT_FLAGS) {
      options[PORT_FLAGS[flag as keyof typeof PORT_FLAGS]] = parseNumber(flag, value(), 0, 65535, true);
    } else {
      throw new DemoUsageError(`unknown option "${arg}" (see xray-local demo --help)`);
    }
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// The services

export interface DemoService {
  name: string;
  /** File in packages/local/demo. */
  script: string;
  /** Started with `-r @xray-otel/register` (OpenTelemetry); false for the classic SDK. */
  preload: boolean;
  /** Environment variable -> the service whose URL it carries. */
  downstreams: Record<string, string>;
}

/** In start order: a service comes after the ones it calls. */
export const DEMO_SERVICES: DemoService[] = [
  { name: 'payments', script: 'payments.cjs', preload: true, downstreams: {} },
  { name: 'inventory', script: 'inventory.cjs', preload: false, downstreams: {} },
  {
    name: 'orders',
    script: 'orders.cjs',
    preload: true,
    downstreams: { PAYMENTS_URL: 'payments', INVENTORY_URL: 'inventory' },
  },
  { name: 'frontend', script: 'frontend.cjs', preload: true, downstreams: { ORDERS_URL: 'orders' } },
];

/** Where the demo services' files are: `demo/` beside `build/`. */
export const DEMO_DIR = path.resolve(__dirname, '..', 'demo');

/** A host clients can send to: a wildcard bind address means loopback. */
export function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** AWS_XRAY_DAEMON_ADDRESS for the services (xray-protocol.md §7: one address, or tcp: and udp:). */
export function daemonAddress(host: string, udpPort: number, tcpPort: number): string {
  const h = clientHost(host);
  return udpPort === tcpPort ? `${h}:${udpPort}` : `tcp:${h}:${tcpPort} udp:${h}:${udpPort}`;
}

/**
 * The environment of one service: the demo's own minus settings that would send the spans elsewhere
 * or change the SDKs (`OTEL_*`, `AWS_XRAY_*`), plus the daemon address, the service name and the
 * URLs of the services it calls.
 */
export function serviceEnv(
  service: DemoService,
  address: string,
  urls: Record<string, string>,
  base: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('OTEL_') || key.startsWith('AWS_XRAY_') || key === '_X_AMZN_TRACE_ID') continue;
    if (key === 'NODE_OPTIONS' && value && /register|ts-node|nyc/.test(value)) continue;
    env[key] = value;
  }
  Object.assign(env, {
    AWS_XRAY_DAEMON_ADDRESS: address,
    OTEL_SERVICE_NAME: service.name,
    // No cloud metadata endpoint probed; spans leave within 100 ms; the noisy instrumentations off.
    OTEL_NODE_RESOURCE_DETECTORS: 'env,process',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs,dns,net',
    OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: 'customer_id,payment_outcome',
  });
  for (const [variable, target] of Object.entries(service.downstreams)) {
    const url = urls[target];
    if (!url) throw new Error(`${service.name} needs ${target}, which is not running`);
    env[variable] = url;
  }
  return env;
}

/** The node arguments of one service. */
export function serviceArgs(service: DemoService, preload: string, dir = DEMO_DIR): string[] {
  const script = path.join(dir, service.script);
  return service.preload ? ['-r', preload, script] : [script];
}

/** The frontend path of request number `i`: a few customers and items, so filters have something. */
export function requestPath(i: number): string {
  return `/checkout?customer=c-${(i % 7) + 1}&item=sku-${(i % 3) + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Text

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function formatLatency(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  return seconds >= 1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(1)} ms`;
}

/** Left-aligned columns (numbers right-aligned), two spaces apart, each row indented. */
export function table(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) =>
            /^[\d.]+( ms| s|%)?$/.test(cell) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
          )
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

function nodeName(nodes: Map<string, ServiceMapNode>, id: string): string {
  return nodes.get(id)?.name ?? id.split('|')[0];
}

/** The service map as text: a table of nodes, then the edges `a -> b` with their figures. */
export function renderServiceMap(map: ServiceMap): string {
  const nodes = new Map(map.nodes.map((n) => [n.id, n]));
  const stats = (s: ServiceMap['nodes'][number]['stats']) => [
    String(s.requests),
    formatLatency(s.averageLatency),
    percent(s.errorRate),
    percent(s.faultRate),
    percent(s.throttleRate),
  ];
  const header = ['requests', 'avg', 'error', 'fault', 'throttle'];
  const lines = [`Service map: ${map.nodes.length} nodes, ${map.edges.length} edges`];
  if (map.nodes.length === 0) return `${lines[0]} (no traces yet)`;
  const sorted = [...map.nodes].sort(
    (a, b) => Number(a.inferred) - Number(b.inferred) || a.name.localeCompare(b.name),
  );
  lines.push(
    table([
      ['node', 'type', ...header],
      ...sorted.map((n) => [n.name, (n.type || '-') + (n.inferred ? ' (inferred)' : ''), ...stats(n.stats)]),
    ]),
  );
  if (map.edges.length > 0) {
    const edges = [...map.edges].sort(
      (a, b) =>
        nodeName(nodes, a.source).localeCompare(nodeName(nodes, b.source)) ||
        b.stats.requests - a.stats.requests,
    );
    lines.push(
      '',
      table([
        ['edge', ...header],
        ...edges.map((e) => [
          `${nodeName(nodes, e.source)} -> ${nodeName(nodes, e.target)}`,
          ...stats(e.stats),
        ]),
      ]),
    );
  }
  return lines.join('\n');
}

/** The `count` slowest traces: id, duration, root segment name, request, HTTP status. */
export function renderSlowest(traces: TraceSummary[], count = 5): string {
  const slowest = [...traces].sort((a, b) => b.duration - a.duration).slice(0, count);
  if (slowest.length === 0) return 'Slowest traces: none received';
  const rows = slowest.map((t) => {
    const flags = [t.fault && 'fault', t.error && 'error', t.throttle && 'throttle']
      .filter(Boolean)
      .join(',');
    let request = '';
    if (t.http?.url) {
      try {
        const url = new URL(t.http.url);
        request = `${t.http.method ?? ''} ${url.pathname}${url.search}`.trim();
      } catch {
        request = `${t.http.method ?? ''} ${t.http.url}`.trim();
      }
    }
    return [
      t.id,
      formatLatency(t.duration),
      t.name,
      request,
      t.http?.status === undefined ? '-' : String(t.http.status),
      flags,
    ];
  });
  return [
    `Slowest ${slowest.length} traces`,
    table([['trace id', 'duration', 'root', 'request', 'status', ''], ...rows]),
  ].join('\n');
}

export interface Progress {
  elapsedSeconds: number;
  durationSeconds: number;
  sent: number;
  /** Answered with a status below 400 (the rest are the payments failures passed on, or errors). */
  ok: number;
  failed: number;
  stats: Pick<Stats, 'received' | 'rejected' | 'traces'>;
}

export function renderProgress(p: Progress): string {
  const elapsed = Math.min(p.elapsedSeconds, p.durationSeconds)
    .toFixed(0)
    .padStart(String(Math.ceil(p.durationSeconds)).length);
  return (
    `  ${elapsed}/${Math.ceil(p.durationSeconds)} s  requests sent ${p.sent} (ok ${p.ok}, failed ${p.failed})` +
    `  documents received ${p.stats.received}  rejected ${p.stats.rejected}  traces ${p.stats.traces}`
  );
}

/** Message for a default port another process holds, naming the flag that chooses another. */
export function busyPortMessage(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (!e || e.code !== 'EADDRINUSE') return undefined;
  const where = e.port !== undefined ? `port ${e.port}` : 'a port';
  return (
    `${where} is already in use (another X-Ray daemon or xray-local?). ` +
    'Choose others with --udp-port, --tcp-port, --otlp-port, --ui-port (0 = any free port).'
  );
}

// ---------------------------------------------------------------------------------------------
// Running it

export interface ServerAddresses {
  host: string;
  udpPort: number;
  tcpPort: number;
  otlpPort: number;
  uiPort: number;
}

export interface ServerOptions {
  host?: string;
  udpPort?: number;
  tcpPort?: number;
  otlpPort?: number;
  uiPort?: number;
  maxTraces?: number;
  quiet?: boolean;
}

/** The part of XRayLocal the demo uses. */
export interface DemoServer {
  start(): Promise<ServerAddresses>;
  stop(): Promise<void>;
  stats(): Stats;
  readonly store: {
    listTraces(filter?: string, limit?: number): TraceSummary[];
    serviceMap(): ServiceMap;
  };
}

export interface RunningService {
  name: string;
  url: string;
  /** Stops it (SIGTERM, then SIGKILL after a grace period); safe to call twice. */
  stop(): Promise<void>;
  /** Kills it at once, synchronously (for `process.on('exit')`). */
  kill(): void;
}

export interface ServiceLaunch {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface DemoRuntime {
  createServer(options: ServerOptions): Promise<DemoServer>;
  startService(launch: ServiceLaunch): Promise<RunningService>;
  /** GET `url`: the status, or 0 when the request failed. */
  request(url: string): Promise<number>;
  /** The preload path, or undefined when @xray-otel/register cannot be resolved. */
  resolvePreload(): string | undefined;
  write(text: string): void;
  isTTY: boolean;
  /** Calls `handler` on SIGINT / SIGTERM; returns the unsubscribe. */
  onSignal(handler: () => void): () => void;
  /** Calls `handler` when the process exits; returns the unsubscribe. */
  onExit(handler: () => void): () => void;
  sleep(ms: number): Promise<void>;
  now(): number;
  env: NodeJS.ProcessEnv;
}

/** Starts `node <args>` and waits (bounded) for `LISTENING <port>`; its stderr tail goes in errors. */
export function startNodeService(launch: ServiceLaunch): Promise<RunningService> {
  const child: ChildProcess = spawn(process.execPath, launch.args, {
    env: launch.env,
    // The IPC channel closes when the demo dies, however it dies: the services exit on it.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out = (out + chunk).slice(-4096)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-4096)));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const service: RunningService = {
    name: launch.name,
    url: '',
    kill() {
      if (!gone()) child.kill('SIGKILL');
    },
    async stop() {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + launch.timeoutMs;
    const poll = setInterval(() => {
      const match = /LISTENING (\d+)/.exec(out);
      if (match) {
        clearInterval(poll);
        service.url = `http://127.0.0.1:${match[1]}`;
        resolve(service);
        return;
      }
      const why = gone()
        ? `exited (${child.exitCode ?? child.signalCode}) before listening`
        : Date.now() > deadline
          ? `not listening after ${launch.timeoutMs} ms`
          : undefined;
      if (why) {
        clearInterval(poll);
        void service
          .stop()
          .then(() => reject(new Error(`${launch.name} ${why}${err ? `:\n${err.trim()}` : ''}`)));
      }
    }, 20);
  });
}

/** One GET without keep-alive, bounded: the status, or 0 when it failed. */
export function requestStatus(url: string, timeoutMs = 10000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
  });
}

function resolvePreload(): string | undefined {
  try {
    return require.resolve('@xray-otel/register');
  } catch {
    return undefined;
  }
}

// Output piped into a reader that stops early (`| head`) must not kill the demo with EPIPE: from
// then on the demo keeps running (the viewer still serves) and just stops printing.
let stdoutClosed = false;
function writeStdout(text: string): void {
  if (stdoutClosed) return;
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', () => {
      stdoutClosed = true;
    });
  }
  process.stdout.write(text);
}

export const defaultRuntime: DemoRuntime = {
  async createServer(options) {
    const { XRayLocal } = await import('./server');
    return new XRayLocal(options);
  },
  startService: startNodeService,
  request: requestStatus,
  resolvePreload,
  write: writeStdout,
  isTTY: Boolean(process.stdout.isTTY),
  onSignal(handler) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
  onExit(handler) {
    process.on('exit', handler);
    return () => process.off('exit', handler);
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  env: process.env,
};

/** Starts the server; on a busy default port says so and falls back to free ports. */
async function startServer(
  options: DemoOptions,
  runtime: DemoRuntime,
  say: (line: string) => void,
): Promise<{ server: DemoServer; addresses: ServerAddresses } | undefined> {
  const serverOptions: ServerOptions = {
    host: options.host,
    udpPort: options.udpPort,
    tcpPort: options.tcpPort,
    otlpPort: options.otlpPort,
    uiPort: options.uiPort,
    maxTraces: options.maxTraces,
    quiet: true,
  };
  for (let attempt = 0; ; attempt++) {
    const server = await runtime.createServer(serverOptions);
    try {
      return { server, addresses: await server.start() };
    } catch (error) {
      await server.stop().catch(() => undefined);
      const busy = busyPortMessage(error);
      const defaults = (['udpPort', 'tcpPort', 'otlpPort', 'uiPort'] as const).filter(
        (key) => serverOptions[key] === undefined,
      );
      if (!busy || attempt > 0 || defaults.length === 0) {
        say(`xray-local demo: cannot start xray-local: ${busy ?? (error as Error).message}`);
        return undefined;
      }
      say(`xray-local demo: ${busy}\n  Using free ports instead of the defaults for now.`);
      for (const key of defaults) serverOptions[key] = 0;
    }
  }
}

/** Runs the demo; resolves with the process exit code. `runtime` is for tests. */
export async function runDemo(argv: string[], runtime: DemoRuntime = defaultRuntime): Promise<number> {
  const say = (line: string) => runtime.write(`${line}\n`);
  let options: DemoOptions;
  try {
    options = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof DemoUsageError)) throw error;
    say(`xray-local demo: ${error.message}`);
    return 2;
  }
  if (options.help) {
    say(DEMO_USAGE);
    return 0;
  }
  const preload = runtime.resolvePreload();
  if (!preload) {
    say(
      `xray-local demo: @xray-otel/register is not installed. Install the demo's services' packages:\n  ${installHint()}`,
    );
    return 1;
  }

  const services: RunningService[] = [];
  let server: DemoServer | undefined;
  let interrupted = false;
  let wake: () => void = () => undefined;
  const interruption = new Promise<void>((resolve) => (wake = resolve));
  const offSignal = runtime.onSignal(() => {
    interrupted = true;
    wake();
  });
  const offExit = runtime.onExit(() => services.forEach((s) => s.kill()));
  /** Waits `ms`, or less when interrupted. */
  const pause = (ms: number) => Promise.race([runtime.sleep(ms), interruption]);

  try {
    const started = await startServer(options, runtime, say);
    if (!started) return 1;
    server = started.server;
    const { addresses } = started;
    const ui = `http://${clientHost(addresses.host)}:${addresses.uiPort}/`;
    say(
      `xray-local listening: segments udp ${addresses.udpPort}, sampling tcp ${addresses.tcpPort}, ` +
        `OTLP/HTTP ${addresses.otlpPort}, viewer ${ui}`,
    );

    const address = daemonAddress(addresses.host, addresses.udpPort, addresses.tcpPort);
    const urls: Record<string, string> = {};
    for (const service of DEMO_SERVICES) {
      if (interrupted) break;
      const running = await runtime.startService({
        name: service.name,
        args: serviceArgs(service, preload),
        env: serviceEnv(service, address, urls, runtime.env),
        timeoutMs: 20000,
      });
      services.push(running);
      urls[service.name] = running.url;
      say(
        `  ${service.name.padEnd(9)} ${running.url}  (${service.preload ? 'OpenTelemetry, -r @xray-otel/register' : 'classic aws-xray-sdk-core'})`,
      );
    }

    const frontend = urls.frontend;
    const counts = { sent: 0, ok: 0, failed: 0 };
    if (!interrupted) {
      say(
        `Sending ${options.rate} requests/s to the frontend for ${options.duration} s (Ctrl-C to stop early)`,
      );
      const start = runtime.now();
      const durationMs = options.duration * 1000;
      const intervalMs = 1000 / options.rate;
      const inFlight = new Set<Promise<void>>();
      let lastProgress = start;
      const progress = (final: boolean) => {
        const line = renderProgress({
          elapsedSeconds: (runtime.now() - start) / 1000,
          durationSeconds: options.duration,
          ...counts,
          stats: server!.stats(),
        });
        if (runtime.isTTY) runtime.write(`\r${line}${final ? '\n' : ''}`);
        else say(line);
      };
      for (let next = start; runtime.now() - start < durationMs && !interrupted;) {
        if (runtime.now() >= next && inFlight.size < 50) {
          const sent = runtime.request(`${frontend}${requestPath(counts.sent)}`).then((status) => {
            if (status > 0 && status < 400) counts.ok++;
            else counts.failed++;
            inFlight.delete(sent);
          });
          inFlight.add(sent);
          counts.sent++;
          next += intervalMs;
        }
        if (runtime.now() - lastProgress >= (runtime.isTTY ? 500 : 5000)) {
          lastProgress = runtime.now();
          progress(false);
        }
        await pause(Math.max(1, Math.min(50, next - runtime.now())));
      }
      await Promise.race([Promise.all(inFlight), pause(10000)]);
      // The services export every 100 ms; the classic SDK sends at once.
      await pause(1500);
      progress(true);
    }

    if (!interrupted) {
      say('');
      say(renderServiceMap(server.store.serviceMap()));
      say('');
      say(renderSlowest(server.store.listTraces(undefined, 100_000)));
      say('');
      say(`Viewer: ${ui}   (JSON: ${ui}api/traces, ${ui}api/service-map)`);
      say(`More traffic: curl '${frontend}${requestPath(0)}'`);
      say(`Outside this repository the services need: ${installHint()}`);
      if (!options.exit) {
        say('Serving until Ctrl-C.');
        await interruption;
      }
    }
    return 0;
  } catch (error) {
    say(`xray-local demo: ${(error as Error).message}`);
    return 1;
  } finally {
    offSignal();
    if (interrupted) say('\nStopping the demo services and xray-local.');
    await Promise.all(services.map((s) => s.stop()));
    offExit();
    await server?.stop().catch(() => undefined);
  }
}
