'use strict';
// Sample Express service for the end-to-end tests, instrumented only from the outside:
//   node -r @xray-otel/register test/apps/express-app.cjs
// Routes: `/` ok; `/call` calls `?to=<url>` or DOWNSTREAM_URL; `/call2` calls DOWNSTREAM_URL_2;
// `/boom` throws (-> 500); `/annotated` sets span attributes (some listed in
// OTEL_AWS_XRAY_INDEXED_ATTRIBUTES by the test). Every JSON body carries the active trace ID so a
// test can find the request's documents. Prints `LISTENING <port>` (PORT, default 0 = ephemeral).
const http = require('node:http');
const express = require('express');
const { trace } = require('@opentelemetry/api');

function activeTraceId() {
  const span = trace.getActiveSpan();
  return span ? span.spanContext().traceId : undefined;
}

function callDownstream(url) {
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

const app = express();

app.get('/', (_req, res) => {
  res.json({ ok: true, traceId: activeTraceId() });
});

async function call(target, req, res, next) {
  try {
    if (!target) throw new Error('no downstream URL');
    const downstream = await callDownstream(target);
    res.status(downstream.status === 200 ? 200 : 502).json({
      ok: downstream.status === 200,
      traceId: activeTraceId(),
      downstream: downstream.body,
    });
  } catch (err) {
    next(err);
  }
}

app.get('/call', (req, res, next) => call(req.query.to || process.env.DOWNSTREAM_URL, req, res, next));
app.get('/call2', (req, res, next) => call(process.env.DOWNSTREAM_URL_2, req, res, next));

app.get('/boom', () => {
  throw new Error('boom: the handler failed');
});

app.get('/annotated', (_req, res) => {
  const span = trace.getActiveSpan();
  if (span) {
    span.setAttribute('customer_id', 'c-42');
    span.setAttribute('order_count', 3);
    span.setAttribute('premium', true);
    span.setAttribute('not_indexed', 'metadata only');
  }
  res.json({ ok: true, traceId: activeTraceId() });
});

// Express 5 answers a thrown error with 500; this handler only keeps the trace ID in the body and
// the log quiet.
app.use((err, _req, res, _next) => {
  res.status(500).json({ error: String(err && err.message), traceId: activeTraceId() });
});

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  // Let the SDK's own SIGTERM handler (if any) flush; exit soon regardless.
  setTimeout(() => process.exit(0), 200).unref();
});
