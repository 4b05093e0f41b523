'use strict';
// A Lambda handler traced with @xray-otel/register. The function is started with
// NODE_OPTIONS=--require @xray-otel/register (template.yaml), which in Lambda defaults to:
// - OTEL_PROPAGATORS=xray-lambda,tracecontext,baggage: spans join the invocation's trace
//   (`_X_AMZN_TRACE_ID` / context.xRayTraceId, what Active Tracing gives);
// - OTEL_TRACES_EXPORTER=otlp with no OTLP endpoint: OTLP over UDP (T1S datagrams) to the Lambda
//   X-Ray endpoint, AWS_XRAY_DAEMON_ADDRESS (set by Lambda).
// flushAfterInvocation exports the invocation's spans before the response is returned: Lambda
// freezes the process between invocations, so a span left in a batch would leave late or never.
const { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } = require('@opentelemetry/api');
const { flushAfterInvocation } = require('@xray-otel/register/lambda');

const tracer = trace.getTracer('checkout-lambda');

async function loadOrder(orderId) {
  return tracer.startActiveSpan('load-order', { attributes: { 'order.id': orderId } }, async (span) => {
    try {
      await new Promise((resolve) => setTimeout(resolve, 5)); // a database call, say
      return { id: orderId, total: 42 };
    } finally {
      span.end();
    }
  });
}

async function handle(event, lambdaContext) {
  // With the aws-lambda auto-instrumentation (on by default) a span for the invocation is already
  // active. Without it (a bundled handler, a local run) start one under the invocation's trace
  // header: the xray-lambda propagator reads it on extract.
  const parent = trace.getActiveSpan()
    ? context.active()
    : propagation.extract(ROOT_CONTEXT, (event && event.headers) || {});
  const attributes = {
    'faas.trigger': 'http',
    'faas.invocation_id': lambdaContext.awsRequestId,
    'order.id': String((event && event.orderId) || 'unknown'),
  };
  return tracer.startActiveSpan('checkout', { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      const order = await loadOrder(attributes['order.id']);
      return { statusCode: 200, body: JSON.stringify(order) };
    } catch (error) {
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

exports.handler = flushAfterInvocation(handle);
