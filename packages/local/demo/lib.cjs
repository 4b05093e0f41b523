'use strict';
// Shared bits of the demo services (xray-local demo): a bounded JSON call to a downstream service,
// a sleep, and the start/stop protocol the demo relies on (src/demo/supervise.ts): send
// `{ event: 'listening', port }` over the IPC channel once ready, exit on SIGTERM, and exit when the
// demo process goes away (the IPC channel closes), so a service is never left running on its own.
const http = require('node:http');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A random whole number of milliseconds in [min, max). */
const jitter = (min, max) => Math.floor(min + Math.random() * (max - min));

/** GET `url`; resolves `{ status, body }` (never rejects on an HTTP status), bounded by 5 s. */
function call(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout calling ${url}`)));
    req.on('error', reject);
  });
}

/** The downstream URL from the environment, or a clear failure at start-up. */
function downstream(variable) {
  const url = process.env[variable];
  if (!url) {
    console.error(`${variable} is not set: the demo passes each service its downstream URLs`);
    process.exit(2);
  }
  return url.replace(/\/$/, '');
}

/** Listens on 127.0.0.1:PORT (0 = any free port), tells the demo (or a person) where, wires the exits. */
function serve(server) {
  server.keepAliveTimeout = 5000;
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    const port = server.address().port;
    if (process.send) process.send({ event: 'listening', port });
    else console.log(`listening on http://127.0.0.1:${port}`);
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    // Leaves @xray-otel/register a moment to flush the last spans.
    setTimeout(() => process.exit(0), 300).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Started by the demo with an IPC channel: when the demo exits (even killed), the channel closes.
  if (process.send) process.on('disconnect', stop);
  return server;
}

module.exports = { call, downstream, jitter, serve, sleep };
