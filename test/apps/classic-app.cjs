'use strict';
// A service instrumented the classic way, with aws-xray-sdk-core + aws-xray-sdk-express (what the
// rest of a mixed fleet runs). Sends to AWS_XRAY_DAEMON_ADDRESS; samples every request (local rule
// rate 1.0, no centralized sampling). Routes: `/` calls `?to=<url>` (or DOWNSTREAM_URL) when given,
// `/leaf` answers directly. Prints `LISTENING <port>`.
process.env.AWS_XRAY_CONTEXT_MISSING = process.env.AWS_XRAY_CONTEXT_MISSING || 'IGNORE_ERROR';
const AWSXRay = require('aws-xray-sdk-core');
const xrayExpress = require('aws-xray-sdk-express');

AWSXRay.middleware.disableCentralizedSampling();
AWSXRay.middleware.setSamplingRules({ version: 2, rules: [], default: { fixed_target: 1000, rate: 1.0 } });
AWSXRay.setLogger({ error: console.error, warn: console.error, info: () => {}, debug: () => {} });
// Patches the module in place (returns nothing): every outgoing call gets a remote subsegment and
// an X-Amzn-Trace-Id header.
AWSXRay.captureHTTPsGlobal(require('node:http'));
const http = require('node:http');
const express = require('express');

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
app.use(xrayExpress.openSegment('classic'));

app.get('/', async (req, res, next) => {
  const target = req.query.to || process.env.DOWNSTREAM_URL;
  const segment = AWSXRay.getSegment();
  try {
    const downstream = target ? await callDownstream(target) : undefined;
    res.status(!downstream || downstream.status === 200 ? 200 : 502).json({
      ok: true,
      traceId: segment && segment.trace_id,
      downstream: downstream && downstream.body,
    });
  } catch (err) {
    next(err);
  }
});

app.get('/leaf', (_req, res) => {
  const segment = AWSXRay.getSegment();
  res.json({ ok: true, traceId: segment && segment.trace_id });
});

app.use(xrayExpress.closeSegment());

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 100).unref();
});
