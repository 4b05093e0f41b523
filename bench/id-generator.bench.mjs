// Trace IDs/s and span IDs/s: @xray-otel/id-generator vs @opentelemetry/id-generator-aws-xray.
// Issue #2 target: >= 2x the contrib generator.
import { createRequire } from 'node:module';
import { createBench, runAndReport } from './harness.mjs';

const require = createRequire(import.meta.url);
const ours = new (require('@xray-otel/id-generator').AWSXRayIdGenerator)();
const contrib = new (require('@opentelemetry/id-generator-aws-xray').AWSXRayIdGenerator)();

let sink = '';
const bench = createBench();
bench
  .add('traceId @xray-otel', () => {
    sink = ours.generateTraceId();
  })
  .add('traceId contrib', () => {
    sink = contrib.generateTraceId();
  })
  .add('spanId @xray-otel', () => {
    sink = ours.generateSpanId();
  })
  .add('spanId contrib', () => {
    sink = contrib.generateSpanId();
  });
await runAndReport(bench, { 'traceId @xray-otel': 'traceId contrib', 'spanId @xray-otel': 'spanId contrib' });
if (sink.length === 0) console.log('');
