'use strict';
// Demo service `inventory`, instrumented the classic way (aws-xray-sdk-core + aws-xray-sdk-express),
// to show a mixed fleet: its segments reach xray-local through the same daemon address and join the
// traces started by the OpenTelemetry services. Samples every request (local rule, no centralized
// sampling). `GET /stock?item=<sku>` takes 5-30 ms.
process.env.AWS_XRAY_CONTEXT_MISSING = process.env.AWS_XRAY_CONTEXT_MISSING || 'IGNORE_ERROR';
const AWSXRay = require('aws-xray-sdk-core');
const xrayExpress = require('aws-xray-sdk-express');
const express = require('express');
const { jitter, serve, sleep } = require('./lib.cjs');

AWSXRay.middleware.disableCentralizedSampling();
AWSXRay.middleware.setSamplingRules({ version: 2, rules: [], default: { fixed_target: 1000, rate: 1.0 } });
AWSXRay.setLogger({ error: console.error, warn: console.error, info: () => {}, debug: () => {} });

const app = express();
app.use(xrayExpress.openSegment('inventory'));

app.get('/stock', async (req, res) => {
  const item = String(req.query.item || 'sku-1');
  const segment = AWSXRay.getSegment();
  if (segment) segment.addAnnotation('item', item);
  await sleep(jitter(5, 30));
  res.json({ item, inStock: true });
});

app.use(xrayExpress.closeSegment());

serve(require('node:http').createServer(app));
