// Child processes and HTTP for the end-to-end tests: sample services started as children that print
// `LISTENING <port>` once ready, bounded waits everywhere, and a registry so an `after` hook can stop
// every child even when a test failed half way.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const APPS = path.join(REPO_ROOT, 'test', 'apps');

export interface App {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the child is gone. */
  exited: Promise<number | string | null>;
  stop(): Promise<void>;
}

const running = new Set<App>();

/**
 * Environment for children: the parent's, minus anything that would make them talk to a real
 * endpoint or change the SDK's behaviour behind the test's back, plus `env`.
 */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('OTEL_') || key.startsWith('AWS_') || key === '_X_AMZN_TRACE_ID') continue;
    if (key === 'NODE_OPTIONS' && value && /register|ts-node/.test(value)) continue;
    base[key] = value;
  }
  const merged: NodeJS.ProcessEnv = {
    ...base,
    // No cloud metadata endpoint is probed, and the batch processor exports quickly.
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,process',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    NODE_ENV: 'test',
    ...env,
  };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

export interface StartOptions {
  name: string;
  /** Executable, `process.execPath` by default. */
  command?: string;
  args: string[];
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Starts a child and waits (bounded) for `LISTENING <port>` on its stdout. */
export function startApp(options: StartOptions): Promise<App> {
  const { name, command = process.execPath, args, env = {}, timeoutMs = 20000 } = options;
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (out += chunk));
  child.stderr!.on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', () => resolve('spawn-error'));
  });
  const app: App = {
    name,
    port: 0,
    url: '',
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      running.delete(app);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(app);
  return new Promise<App>((resolve, reject) => {
    const fail = (why: string) => {
      clearInterval(poll);
      void app
        .stop()
        .then(() => reject(new Error(`${name}: ${why}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`)));
    };
    const deadline = Date.now() + timeoutMs;
    const poll = setInterval(() => {
      const match = /LISTENING (\d+)/.exec(out);
      if (match) {
        clearInterval(poll);
        app.port = Number(match[1]);
        app.url = `http://127.0.0.1:${app.port}`;
        resolve(app);
      } else if (child.exitCode !== null || child.signalCode !== null) {
        fail(`exited (${child.exitCode ?? child.signalCode}) before listening`);
      } else if (Date.now() > deadline) {
        fail(`not listening after ${timeoutMs} ms`);
      }
    }, 20);
  });
}

/** Stops every child started by startApp that is still running. For `after` hooks. */
export async function stopAllApps(): Promise<void> {
  await Promise.all([...running].map((app) => app.stop()));
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** One GET without keep-alive, bounded by `timeoutMs`. */
export function get(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 10000,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export interface Downstream {
  url: string;
  /** Request headers received, in arrival order. */
  requests: { url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A tiny untraced HTTP server in the test process: the "second service" apps call. */
export async function startDownstream(): Promise<Downstream> {
  const requests: Downstream['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ downstream: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/downstream`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh X-Ray trace ID with the current epoch (xray-protocol.md §9). */
export function newTraceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `1-${epoch}-${randomBytes(12).toString('hex')}`;
}

/** A random 16-hex (sub)segment id. */
export function newSegmentId(): string {
  return randomBytes(8).toString('hex');
}

/** OpenTelemetry's 32-hex trace ID as X-Ray writes it. */
export function xrayTraceId(otelTraceId: string): string {
  return `1-${otelTraceId.slice(0, 8)}-${otelTraceId.slice(8)}`;
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
