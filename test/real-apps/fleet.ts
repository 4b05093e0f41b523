// One run of the real apps: xray-locals of its own, the four app processes (Express "shop",
// Fastify "catalog", the worker "nightly-job", the simulated Lambda runtime of "resize-fn") traced
// one way, every scenario driven once, and what xray-local assembled read back through its API.
// Runs: `classic` (aws-xray-sdk-core & co, UDP to the daemon port), `daemon` (node -r
// @xray-otel/register, segments over UDP) and `otlp` (the same, OTLP/HTTP to xray-local's collector
// port, translated there as the collector's awsxray exporter would).
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { segmentDatagram, request, startLocal, type LocalServer } from '../helpers/local-server';
import { childEnv, newTraceId, REPO_ROOT, sleep, startApp, type App } from '../helpers/processes';
import type { ServiceMap, Trace } from '../../packages/local/src/types';
import { FUNCTION_NAME, INVOCATIONS, REQUESTS, SECRETS, WORKER_KEY } from './scenarios';

export const APPS_DIR = path.join(__dirname, 'apps');

export type RunKind = 'classic' | 'daemon' | 'otlp';

/** Where the backing services are (the same for every run). */
export interface Backends {
  downstreamUrl: string;
  tlsUrl: string;
  caFile: string;
  motoUrl: string;
  pgUrl: string;
  redisUrl: string;
  table: string;
  bucket: string;
  queueUrl: string;
  topicArn: string;
}

/** Which xray-local of a run: the two services, the worker, the Lambda function. */
export type Group = 'services' | 'worker' | 'lambda';
export const GROUPS: Group[] = ['services', 'worker', 'lambda'];

export interface RunResult {
  kind: RunKind;
  /**
   * Scenario key -> its traces: a request's trace; an invocation's trace plus any trace that started
   * during it (a call that did not join the invocation is a trace of its own); the worker's traces.
   */
  traces: Map<string, Trace[]>;
  /** Each group's service map. */
  serviceMaps: Record<Group, ServiceMap>;
  /** Traces in the services' xray-local: one per request when no request's documents went astray. */
  servicesTraceCount: number;
  /** Every document xray-local accepted, as received (for the schema and secret checks). */
  documents: Record<string, unknown>[];
  rejected: number;
  rejections: string[];
  /** host:port of each app and backend -> a name, for normalising URLs. */
  aliases: Map<string, string>;
  seconds: number;
}

/** stdout/stderr of the run's processes, for a failure message. */
export type Logs = Record<string, () => string>;

/** A process that does not listen: the worker (runs to its end) or the Lambda runtime (stdin driven). */
interface Child {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<void>;
  stop(): Promise<void>;
}

function spawnChild(args: string[], env: Record<string, string | undefined>): Child {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForOutput(child: Child, pattern: RegExp, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(child.out())) {
    if (child.child.exitCode !== null && !pattern.test(child.out())) {
      throw new Error(
        `${what} exited (${child.child.exitCode}) before ${pattern}: ${child.err().slice(-3000)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: no ${pattern} after ${timeoutMs} ms\n${child.out()}\n${child.err().slice(-3000)}`,
      );
    }
    await sleep(25);
  }
}

/** The environment of every process of a run: where things are, and how tracing is set up. */
function runEnv(kind: RunKind, local: LocalServer, backends: Backends, service: string) {
  const env: Record<string, string | undefined> = {
    DOWNSTREAM_URL: backends.downstreamUrl,
    TLS_URL: backends.tlsUrl,
    NODE_EXTRA_CA_CERTS: backends.caFile,
    MOTO_URL: backends.motoUrl,
    PG_URL: backends.pgUrl,
    REDIS_URL: backends.redisUrl,
    TABLE: backends.table,
    BUCKET: backends.bucket,
    QUEUE_URL: backends.queueUrl,
    TOPIC_ARN: backends.topicArn,
    AWS_REGION: 'us-east-1',
    AWS_XRAY_DAEMON_ADDRESS: local.daemonAddress,
    // The preload's own default detectors, as a user gets them (the e2e helpers add `host`).
    OTEL_NODE_RESOURCE_DETECTORS: undefined,
  };
  if (kind === 'classic') return { ...env, REAL_APPS_SDK: 'classic' };
  env.OTEL_SERVICE_NAME = service;
  if (kind === 'otlp') {
    env.OTEL_TRACES_EXPORTER = 'otlp';
    env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${local.otlpPort}`;
  }
  return env;
}

/** node arguments: the preload for ours, and a secret on the command line as some apps have. */
function nodeArgs(kind: RunKind, script: string): string[] {
  const preload = kind === 'classic' ? [] : ['-r', '@xray-otel/register'];
  return [...preload, path.join(APPS_DIR, script), `--db-password=${SECRETS.commandLine}`];
}

/** The Lambda service's own segment for an invocation, which the test sends as Lambda would. */
function functionSegment(traceId: string, id: string, fault: boolean, start: number, end: number) {
  return {
    trace_id: traceId,
    id,
    name: FUNCTION_NAME,
    origin: 'AWS::Lambda::Function',
    start_time: start,
    end_time: end,
    fault,
    error: false,
    aws: { function_arn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}` },
  };
}

/**
 * Runs every scenario once with `kind` tracing and returns what the run's xray-locals assembled
 * (one per group, so each group's traces and service map stand alone). `logs` gets each process's
 * output so a failing test can print it.
 */
export async function runFleet(kind: RunKind, backends: Backends, logs: Logs): Promise<RunResult> {
  const started = Date.now();
  const locals = {} as Record<Group, LocalServer>;
  const apps: App[] = [];
  const children: Child[] = [];
  try {
    for (const group of GROUPS) locals[group] = await startLocal();
    const catalog = await startApp({
      name: `${kind}/catalog`,
      args: nodeArgs(kind, 'catalog-fastify.cjs'),
      env: runEnv(kind, locals.services, backends, 'catalog'),
      timeoutMs: 30000,
    });
    apps.push(catalog);
    const shopStarting = startApp({
      name: `${kind}/shop`,
      args: nodeArgs(kind, 'shop-express.cjs'),
      env: { ...runEnv(kind, locals.services, backends, 'shop'), CATALOG_URL: catalog.url },
      timeoutMs: 30000,
    }).then((app) => (apps.push(app), app));
    const worker = spawnChild(
      nodeArgs(kind, 'nightly-worker.cjs'),
      runEnv(kind, locals.worker, backends, 'nightly-job'),
    );
    children.push(worker);
    const lambdaEnv: Record<string, string | undefined> = {
      ...runEnv(kind, locals.lambda, backends, FUNCTION_NAME),
      AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      LAMBDA_TASK_ROOT: APPS_DIR,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    };
    // In Lambda the preload's default is OTLP over UDP; the daemon run asks for segments explicitly.
    if (kind === 'daemon') lambdaEnv.OTEL_TRACES_EXPORTER = 'xray';
    const runtime = spawnChild(nodeArgs(kind, 'lambda-runtime.cjs'), lambdaEnv);
    children.push(runtime);
    const shop = await shopStarting;
    for (const [name, get] of [
      ['catalog', () => catalog.stdout() + catalog.stderr()],
      ['shop', () => shop.stdout() + shop.stderr()],
      ['worker', () => worker.out() + worker.err()],
      ['lambda', () => runtime.out() + runtime.err()],
    ] as const) {
      logs[`${kind}/${name}`] = get;
    }

    const aliases = new Map<string, string>([
      [new URL(backends.downstreamUrl).host, 'downstream'],
      [new URL(backends.tlsUrl).host, 'tls-downstream'],
      [new URL(backends.motoUrl).host, 'moto'],
      [new URL(backends.pgUrl).host, 'postgres'],
      [new URL(backends.redisUrl).host, 'redis'],
      [new URL(shop.url).host, 'shop'],
      [new URL(catalog.url).host, 'catalog'],
    ]);

    // Requests, one at a time, each with its own trace ID as a load balancer sends it (Root only),
    // and a cookie and an authorization header no SDK should record.
    const traceIds = new Map<string, string>();
    for (const scenario of REQUESTS) {
      const traceId = newTraceId();
      traceIds.set(scenario.key, traceId);
      const base = scenario.service === 'shop' ? shop.url : catalog.url;
      const answer = await request(`${base}${scenario.path}`, {
        headers: {
          'x-amzn-trace-id': `Root=${traceId}`,
          'user-agent': 'real-apps-test/1.0',
          cookie: `session=${SECRETS.cookie}`,
          authorization: `Basic ${SECRETS.authorization}`,
        },
      });
      if (answer.status !== scenario.status) {
        throw new Error(
          `${kind}: GET ${scenario.path} answered ${answer.status}, expected ${scenario.status}`,
        );
      }
    }

    // Lambda invocations, one after the other: the test plays the Lambda service (it sends the
    // function's segment, as Lambda does) and the runtime's caller.
    await waitForOutput(runtime, /^READY$/m, `${kind}/lambda runtime`, 30000);
    const windows = new Map<string, [start: number, end: number]>();
    for (const invocation of INVOCATIONS) {
      const traceId = newTraceId();
      traceIds.set(invocation.key, traceId);
      const parent = randomBytes(8).toString('hex');
      const start = Date.now() / 1000;
      runtime.child.stdin!.write(
        JSON.stringify({
          id: invocation.key,
          traceHeader: `Root=${traceId};Parent=${parent};Sampled=1`,
          event: invocation.event,
        }) + '\n',
      );
      const done = new RegExp(`^RESULT \\{"id":"${invocation.key}"`, 'm');
      await waitForOutput(runtime, done, `${kind}/lambda ${invocation.key}`, 20000);
      const end = Date.now() / 1000;
      windows.set(invocation.key, [start, end]);
      await locals.lambda.send(
        segmentDatagram(functionSegment(traceId, parent, !!invocation.event.fail, start, end)),
      );
    }
    await Promise.race([
      worker.exited,
      sleep(30000).then(() => {
        throw new Error(`${kind}/worker did not end in 30 s: ${worker.err().slice(-2000)}`);
      }),
    ]);
    if (!/^DONE$/m.test(worker.out())) throw new Error(`${kind}/worker failed: ${worker.err().slice(-3000)}`);

    // Every request's trace there with its segments, then no new document for a while.
    for (const scenario of REQUESTS) {
      await locals.services.api.waitForTrace(
        traceIds.get(scenario.key)!,
        (trace) =>
          scenario.segments.every((name) =>
            trace.segments.some((s) => s.name === name && s.type !== 'subsegment'),
          ),
        `${kind}: the segments ${scenario.segments.join(', ')} of ${scenario.key}`,
        20000,
      );
    }
    await Promise.all(GROUPS.map((group) => settle(locals[group])));

    const traces = new Map<string, Trace[]>();
    for (const scenario of REQUESTS) {
      const trace = await locals.services.api.trace(traceIds.get(scenario.key)!);
      traces.set(scenario.key, trace ? [trace] : []);
    }
    const all = async (group: Group) => {
      const found: Trace[] = [];
      for (const summary of await locals[group].api.traces()) {
        const trace = await locals[group].api.trace(summary.id);
        if (trace) found.push(trace);
      }
      return found.sort((a, b) => a.summary.startTime - b.summary.startTime);
    };
    traces.set(WORKER_KEY, await all('worker'));
    const lambdaTraces = await all('lambda');
    // A trace that is no invocation's own (a call that did not join it) belongs to the invocation
    // running when it started: the last one started before it. Invocations run one after the other;
    // 50 ms of slack for the child's clock (OpenTelemetry's hrtime-based clock drifts from Date.now).
    const owner = (trace: Trace) => {
      let found = INVOCATIONS[0].key;
      for (const invocation of INVOCATIONS) {
        if (windows.get(invocation.key)![0] - 0.05 <= trace.summary.startTime) found = invocation.key;
      }
      return found;
    };
    const invocationOf = new Map([...traceIds].map(([key, traceId]) => [traceId, key]));
    for (const invocation of INVOCATIONS) {
      traces.set(
        invocation.key,
        lambdaTraces.filter((trace) => (invocationOf.get(trace.id) ?? owner(trace)) === invocation.key),
      );
    }
    const servicesTraces = await all('services');
    let rejected = 0;
    const rejections: string[] = [];
    const serviceMaps = {} as Record<Group, ServiceMap>;
    for (const group of GROUPS) {
      rejected += (await locals[group].api.stats()).rejected;
      rejections.push(
        ...(await locals[group].api.rejected(20)).map((r) => `${group}: ${r.reason}: ${r.detail}`),
      );
      serviceMaps[group] = await locals[group].api.serviceMap();
    }
    return {
      kind,
      traces,
      serviceMaps,
      servicesTraceCount: servicesTraces.length,
      documents: [...servicesTraces, ...traces.get(WORKER_KEY)!, ...lambdaTraces].flatMap(
        (trace) => trace.documents as Record<string, unknown>[],
      ),
      rejected,
      rejections,
      aliases,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await Promise.all([...apps.map((app) => app.stop()), ...children.map((child) => child.stop())]);
    await Promise.all(Object.values(locals).map((local) => local.stop()));
  }
}

/** Waits (bounded) until xray-local has received no document for 600 ms: stragglers are in. */
async function settle(local: LocalServer, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const { received } = await local.api.stats();
    if (received !== last) {
      last = received;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 600) {
      return;
    }
    await sleep(100);
  }
}
