// Requests/s of a small HTTP server (test/apps/bench-server.cjs, run as a child process) untraced,
// traced through @xray-otel/register (daemon path, to a counting UDP sink in this process) and
// traced with the classic aws-xray-sdk-core (one segment per request, to the same sink). The load
// generator runs here: a keep-alive http.Agent with CONNECTIONS concurrent request loops for a
// fixed duration per variant; rounds interleave the variants and the median is reported.
// BENCH_QUICK=1: one short round (a smoke run; the numbers are not meaningful).
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUICK } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverScript = join(root, 'test', 'apps', 'bench-server.cjs');
const DURATION_MS = QUICK ? 400 : Number(process.env.BENCH_HTTP_DURATION_MS || 5000);
const WARMUP_MS = QUICK ? 100 : 1000;
const ROUNDS = QUICK ? 1 : 3;
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS || 16);

const variants = [
  { name: 'untraced', args: [serverScript], env: { BENCH_TRACER: 'none' } },
  {
    name: '@xray-otel/register (UDP)',
    args: ['-r', '@xray-otel/register', serverScript],
    env: { BENCH_TRACER: 'none', OTEL_SERVICE_NAME: 'bench' },
  },
  {
    // What redaction (span processor + translator) costs per request: the same, with it off.
    name: '@xray-otel/register, OTEL_AWS_XRAY_REDACT=false',
    args: ['-r', '@xray-otel/register', serverScript],
    env: { BENCH_TRACER: 'none', OTEL_SERVICE_NAME: 'bench', OTEL_AWS_XRAY_REDACT: 'false' },
  },
  { name: 'aws-xray-sdk-core (UDP)', args: [serverScript], env: { BENCH_TRACER: 'classic' } },
];

/** A UDP sink standing in for the daemon: counts datagrams and bytes. */
async function startSink() {
  const socket = dgram.createSocket('udp4');
  const sink = { datagrams: 0, bytes: 0, port: 0, close: () => new Promise((r) => socket.close(r)) };
  socket.on('message', (msg) => {
    sink.datagrams++;
    sink.bytes += msg.length;
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  try {
    socket.setRecvBufferSize(16 * 1024 * 1024);
  } catch {
    // capped by the kernel; counts may then undercount under load (reported as such)
  }
  sink.port = socket.address().port;
  return sink;
}

function childEnv(extra, sinkPort) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_') && !key.startsWith('AWS_')) env[key] = value;
  }
  return {
    ...env,
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${sinkPort}`,
    OTEL_NODE_RESOURCE_DETECTORS: 'none',
    OTEL_LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    ...extra,
  };
}

/** Starts the server child; resolves once it prints its port (bounded). */
function startServer(variant, sinkPort) {
  const child = spawn(process.execPath, variant.args, {
    cwd: root,
    env: childEnv(variant.env, sinkPort),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 20000;
    const poll = setInterval(() => {
      const match = /LISTENING (\d+)/.exec(out);
      if (match) {
        clearInterval(poll);
        resolve({ port: Number(match[1]), stop, stderr: () => err });
      } else if (child.exitCode !== null || Date.now() > deadline) {
        clearInterval(poll);
        void stop().then(() => reject(new Error(`${variant.name}: server did not start\n${out}\n${err}`)));
      }
    }, 20);
  });
}

/** CONNECTIONS loops of keep-alive GETs for `durationMs`; returns completed requests and errors. */
async function load(port, durationMs) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const end = Date.now() + durationMs;
  let requests = 0;
  let errors = 0;
  const once = () =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          if (res.statusCode === 200) requests++;
          else errors++;
          resolve();
        });
      });
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const loop = async () => {
    while (Date.now() < end) await once();
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  const elapsed = Date.now() - started;
  agent.destroy();
  return { requests, errors, rps: (requests * 1000) / elapsed };
}

const sink = await startSink();
const results = new Map(variants.map((v) => [v.name, { rps: [], requests: 0, errors: 0, datagrams: 0 }]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of variants) {
      const server = await startServer(variant, sink.port);
      try {
        // Datagrams are counted from server start to exit, so against every request sent,
        // warm-up included (the batch span processor may still hold warm-up spans later on).
        const before = sink.datagrams;
        const warmup = await load(server.port, WARMUP_MS);
        const run = await load(server.port, DURATION_MS);
        // The batch span processor exports on a timer and on shutdown: stop the server (SIGTERM
        // lets the SDK flush) and give the sink a moment before counting.
        await server.stop();
        await new Promise((r) => setTimeout(r, 300));
        const r = results.get(variant.name);
        r.rps.push(run.rps);
        r.requests += warmup.requests + run.requests;
        r.errors += warmup.errors + run.errors;
        r.datagrams += sink.datagrams - before;
      } finally {
        await server.stop();
      }
    }
  }
} finally {
  await sink.close();
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(results.get('untraced').rps);
console.table(
  variants.map(({ name }) => {
    const r = results.get(name);
    const rps = median(r.rps);
    return {
      variant: name,
      'req/s (median)': Math.round(rps).toLocaleString('en-US'),
      'vs untraced': `${(rps / base).toFixed(2)}x`,
      'requests (all)': r.requests,
      errors: r.errors,
      'datagrams at sink': r.datagrams,
      'datagrams/request': (r.datagrams / Math.max(1, r.requests)).toFixed(2),
    };
  }),
);
console.log(
  `(${CONNECTIONS} keep-alive connections, ${DURATION_MS} ms per variant after ${WARMUP_MS} ms warm-up, ` +
    `${ROUNDS} round(s), median req/s; datagrams counted from server start to exit, flush at SIGTERM included)`,
);
for (const { name } of variants.slice(1)) {
  if (results.get(name).datagrams === 0)
    console.log(`WARNING: ${name} sent no datagrams: was it traced at all?`);
}
if (QUICK) console.log('(BENCH_QUICK=1: a smoke run; the ratios are not meaningful)');
