/**
 * `xray-local demo`: starts xray-local in this process, three OpenTelemetry services
 * (`node -r @xray-otel/register`: frontend -> orders -> payments, orders also reading a simulated
 * DynamoDB table) and one classic aws-xray-sdk-core service (inventory, called by orders) as child
 * processes, drives traffic at the frontend, then prints the service map and the slowest traces.
 *
 * The rules live in args.ts, services.ts and render.ts (pure), the processes in supervise.ts;
 * `runDemo` only wires them to a `DemoRuntime` (server, processes, sockets, signals), which tests replace.
 */
import * as http from 'node:http';
import type { ServiceMap, Stats, TraceSummary } from '../types';
import { DEMO_USAGE, DemoUsageError, installHint, parseDemoArgs, type DemoOptions } from './args';
import { busyPortMessage, renderProgress, renderServiceMap, renderSlowest } from './render';
import { clientHost, daemonAddress, DEMO_SERVICES, requestPath, serviceArgs, serviceEnv } from './services';
import { startNodeService, type RunningService, type ServiceLaunch } from './supervise';

export interface ServerAddresses {
  host: string;
  udpPort: number;
  tcpPort: number;
  otlpPort: number;
  uiPort: number;
}

/** What the demo passes on to xray-local: the address and size options it took, and quiet. */
export interface ServerOptions extends Pick<
  DemoOptions,
  'host' | 'udpPort' | 'tcpPort' | 'otlpPort' | 'uiPort' | 'maxTraces'
> {
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
    const { XRayLocal } = await import('../server');
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
