'use strict';
// "shop": an Express 5 service of test/real-apps, traced by the classic SDK (REAL_APPS_SDK=classic)
// or by `node -r @xray-otel/register` (no tracing code: tracing.cjs is the identity then).
// Every route is one scenario; the test sends each request with its own X-Amzn-Trace-Id Root, as a
// load balancer does, so it knows which trace each request made.
//   /ok  /http  /https  /fetch  /dynamodb  /s3  /sqs  /sns  /lambda  /pg  /redis
//   /throw (a thrown error)  /reject (a rejected promise)  /status/:code (4xx, 429, 5xx answers)
//   /chain (calls the Fastify service "catalog" at CATALOG_URL: one trace across two services)
// Prints `LISTENING <port>`.
const tracing = require('./tracing.cjs');
const calls = require('./calls.cjs');
const http = require('node:http');
const express = require('express');

const app = express();
app.use(tracing.expressOpen('shop'));

/** A route whose work is `work()`; its result is the JSON answer. */
const route = (path, work) =>
  app.get(path, async (_req, res) => {
    res.json({ ok: true, result: (await work()) ?? null });
  });

route('/ok', () => 'fine');
route('/http', async () => (await calls.httpGet('/stock')).status);
route('/https', async () => (await calls.httpsGet('/secure')).status);
route('/fetch', async () => (await calls.fetchGet('/prices')).status);
route('/dynamodb', () => calls.dynamodbPutGet('order-1'));
route('/s3', () => calls.s3Put('receipts/order-1.txt'));
route('/sqs', () => calls.sqsSend('order-1 paid'));
route('/sns', () => calls.snsPublish('order-1 shipped'));
route('/pg', () => calls.pgQuery());
route('/redis', () => calls.redisSetGet('cart:1'));
route('/chain', async () => {
  const answer = await new Promise((resolve, reject) => {
    http
      .get(`${process.env.CATALOG_URL}/items/42`, { timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      })
      .on('error', reject);
  });
  return answer;
});

// The AWS call fails (no such function); the app answers 502 and carries on, as real code does.
app.get('/lambda', async (_req, res) => {
  try {
    await calls.lambdaInvokeMissing();
    res.json({ ok: true });
  } catch (error) {
    res.status(502).json({ ok: false, error: error.name });
  }
});

app.get('/throw', () => {
  throw new Error('thrown in a handler');
});

// Express 5 passes a rejected promise of a handler to the error handlers.
app.get('/reject', async () => {
  await new Promise((resolve) => setImmediate(resolve));
  throw new TypeError('rejected in an async handler');
});

app.get('/status/:code', (req, res) => {
  res.status(Number(req.params.code)).json({ ok: false });
});

app.use(tracing.expressClose());
// The app's own error handler: a 500 with a short body (the default one prints the stack to stderr).
app.use((err, _req, res, _next) => {
  res.status(500).json({ error: String(err && err.message) });
});

const server = app.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void calls.close().catch(() => undefined);
  // The preload flushes on SIGTERM when the app listens too; give it a moment, then go.
  setTimeout(() => process.exit(0), 500).unref();
});
