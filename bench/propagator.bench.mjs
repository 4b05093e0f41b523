// X-Amzn-Trace-Id extract (valid, malformed) and inject ops/s: @xray-otel/propagator vs
// @opentelemetry/propagator-aws-xray (contrib, 2.x) in the same run. Issue target: >= 1.5x the
// contrib propagator on valid headers.
import { createRequire } from 'node:module';
import { createBench, runAndReport } from './harness.mjs';

const require = createRequire(import.meta.url);
const api = require('@opentelemetry/api');
const ours = new (require('@xray-otel/propagator').AWSXRayPropagator)();
const contrib = new (require('@opentelemetry/propagator-aws-xray').AWSXRayPropagator)();

// Carriers shaped like Node's IncomingMessage.headers: lower-case names, a few other headers.
const carrierWith = (traceHeader) => ({
  host: 'api.example.com',
  'user-agent': 'curl/8.5.0',
  accept: '*/*',
  'x-forwarded-for': '203.0.113.7',
  'x-forwarded-proto': 'https',
  'x-amzn-trace-id': traceHeader,
});
const valid = carrierWith('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
const malformed = carrierWith('Root=1-5759e988-bd86;Parent=not-a-span-id;Sampled=1');
const spanContext = {
  traceId: '5759e988bd862e3fe1be46a994272793',
  spanId: '53995c3f42cd8ad8',
  traceFlags: api.TraceFlags.SAMPLED,
};
const injectContext = api.trace.setSpanContext(api.ROOT_CONTEXT, spanContext);
const getter = api.defaultTextMapGetter;
const setter = api.defaultTextMapSetter;

let sink;
const bench = createBench();
bench
  .add('extract valid @xray-otel', () => {
    sink = ours.extract(api.ROOT_CONTEXT, valid, getter);
  })
  .add('extract valid contrib', () => {
    sink = contrib.extract(api.ROOT_CONTEXT, valid, getter);
  })
  .add('extract malformed @xray-otel', () => {
    sink = ours.extract(api.ROOT_CONTEXT, malformed, getter);
  })
  .add('extract malformed contrib', () => {
    sink = contrib.extract(api.ROOT_CONTEXT, malformed, getter);
  })
  .add('inject @xray-otel', () => {
    const carrier = {};
    ours.inject(injectContext, carrier, setter);
    sink = carrier;
  })
  .add('inject contrib', () => {
    const carrier = {};
    contrib.inject(injectContext, carrier, setter);
    sink = carrier;
  });
await runAndReport(bench, {
  'extract valid @xray-otel': 'extract valid contrib',
  'extract malformed @xray-otel': 'extract malformed contrib',
  'inject @xray-otel': 'inject contrib',
});
if (sink === undefined) console.log('');
