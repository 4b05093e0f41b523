'use strict';
// Demo service `orders` (OpenTelemetry through `node -r @xray-otel/register`, Express):
// `GET /orders?customer=<id>&item=<sku>` reads the order from DynamoDB (simulated: a CLIENT span
// with the attributes the AWS SDK instrumentation sets, and a short sleep; no AWS call), checks
// the stock with `inventory` (classic X-Ray SDK) and charges with `payments`. A failed payment is
// passed on: 429 stays 429 (throttled), anything else becomes 502.
const express = require('express');
const { trace, SpanKind, SpanStatusCode } = require('@opentelemetry/api');
const { call, downstream, jitter, serve, sleep } = require('./lib.cjs');

const PAYMENTS_URL = downstream('PAYMENTS_URL');
const INVENTORY_URL = downstream('INVENTORY_URL');
const tracer = trace.getTracer('xray-local-demo');

/** What @opentelemetry/instrumentation-aws-sdk records for a DynamoDB GetItem, without the call. */
async function getOrderFromDynamoDB(customer) {
  return tracer.startActiveSpan(
    'DynamoDB.GetItem',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'rpc.system': 'aws-api',
        'rpc.service': 'DynamoDB',
        'rpc.method': 'GetItem',
        'aws.dynamodb.table_names': ['orders'],
        'aws.region': process.env.AWS_REGION || 'us-east-1',
        'aws.request_id': `DEMO${Math.random().toString(36).slice(2, 14).toUpperCase()}`,
      },
    },
    async (span) => {
      try {
        await sleep(jitter(3, 25));
        return { customer, items: 1 };
      } finally {
        span.setStatus({ code: SpanStatusCode.UNSET });
        span.end();
      }
    },
  );
}

const app = express();

app.get('/orders', async (req, res, next) => {
  try {
    const customer = String(req.query.customer || 'c-1');
    const item = String(req.query.item || 'sku-1');
    const span = trace.getActiveSpan();
    if (span) span.setAttribute('customer_id', customer);
    await getOrderFromDynamoDB(customer);
    const stock = await call(`${INVENTORY_URL}/stock?item=${encodeURIComponent(item)}`);
    const outcome = req.query.outcome ? `&outcome=${encodeURIComponent(String(req.query.outcome))}` : '';
    const payment = await call(`${PAYMENTS_URL}/pay?customer=${encodeURIComponent(customer)}${outcome}`);
    const status = payment.status === 200 && stock.status === 200 ? 200 : payment.status === 429 ? 429 : 502;
    res.status(status).json({ customer, item, payment: payment.status, stock: stock.status });
  } catch (err) {
    next(err);
  }
});

app.use((err, _req, res, _next) => {
  res.status(500).json({ error: String(err && err.message) });
});

serve(require('node:http').createServer(app));
