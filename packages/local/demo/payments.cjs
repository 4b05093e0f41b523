'use strict';
// Demo service `payments` (OpenTelemetry through `node -r @xray-otel/register`): a plain `http`
// server that takes 10-60 ms and sometimes fails: about 8 % of payments answer 500 (a fault) and
// 6 % answer 429 (throttled). `?outcome=500|429|200` forces one.
const http = require('node:http');
const { trace } = require('@opentelemetry/api');
const { jitter, serve, sleep } = require('./lib.cjs');

function outcome(forced) {
  if (forced === '500' || forced === '429' || forced === '200') return Number(forced);
  const roll = Math.random();
  if (roll < 0.08) return 500;
  if (roll < 0.14) return 429;
  return 200;
}

serve(
  http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://payments');
    if (url.pathname !== '/pay') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    await sleep(jitter(10, 60));
    const status = outcome(url.searchParams.get('outcome'));
    const span = trace.getActiveSpan();
    if (span) span.setAttribute('payment_outcome', status === 200 ? 'approved' : `failed-${status}`);
    if (status === 429) res.setHeader('retry-after', '1');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { approved: true } : { approved: false, status }));
  }),
);
