'use strict';
// The server of bench/http-server.bench.mjs: a plain `http` server answering every request with a
// small JSON body. BENCH_TRACER selects the instrumentation:
//   none    - untraced (also the mode for `node -r @xray-otel/register`: tracing comes from outside)
//   classic - aws-xray-sdk-core: captureHTTPsGlobal + one segment per request, opened and closed
//             exactly like aws-xray-sdk-express's openSegment does (traceRequestResponseCycle).
// Prints `LISTENING <port>`.
const tracer = process.env.BENCH_TRACER || 'none';
const body = JSON.stringify({ ok: true, service: 'bench', items: [1, 2, 3] });

let handler = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(body);
};

if (tracer === 'classic') {
  process.env.AWS_XRAY_CONTEXT_MISSING = process.env.AWS_XRAY_CONTEXT_MISSING || 'IGNORE_ERROR';
  const AWSXRay = require('aws-xray-sdk-core');
  AWSXRay.middleware.disableCentralizedSampling();
  AWSXRay.middleware.setSamplingRules({ version: 2, rules: [], default: { fixed_target: 1000, rate: 1.0 } });
  AWSXRay.middleware.setDefaultName('bench');
  AWSXRay.captureHTTPsGlobal(require('node:http'));
  const untraced = handler;
  handler = (req, res) => {
    const segment = AWSXRay.middleware.traceRequestResponseCycle(req, res);
    const ns = AWSXRay.getNamespace();
    ns.bindEmitter(req);
    ns.bindEmitter(res);
    ns.run(() => {
      AWSXRay.setSegment(segment);
      untraced(req, res);
    });
  };
}

const server = require('node:http').createServer(handler);
server.keepAliveTimeout = 30000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 100).unref();
});
