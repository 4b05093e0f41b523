'use strict';
// A Lambda handler traced with @xray-otel/register. The function is started with
// NODE_OPTIONS=--require @xray-otel/register (template.yaml), which in Lambda defaults to:
// - OTEL_PROPAGATORS=xray-lambda,tracecontext,baggage: spans join the invocation's trace
//   (`_X_AMZN_TRACE_ID` / context.xRayTraceId, what Active Tracing gives);
// - OTEL_TRACES_EXPORTER=otlp with no OTLP endpoint: OTLP over UDP (T1S datagrams) to the Lambda
//   X-Ray endpoint, AWS_XRAY_DAEMON_ADDRESS (set by Lambda).
// flushAfterInvocation starts the invocation span (a SERVER span named after the function, in the
// invocation's trace) unless the aws-lambda auto-instrumentation already did, and exports the
// invocation's spans before the response is returned: Lambda freezes the process between
// invocations, so a span left in a batch would leave late or never.
const { trace } = require('@opentelemetry/api');
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

async function handle(event) {
  // The invocation span is active here: what the handler does becomes its children. An error thrown
  // here is recorded on it (exception, ERROR status) and still reaches Lambda.
  const orderId = String((event && event.orderId) || 'unknown');
  trace.getActiveSpan()?.setAttributes({ 'faas.trigger': 'http', 'order.id': orderId });
  const order = await loadOrder(orderId);
  return { statusCode: 200, body: JSON.stringify(order) };
}

exports.handler = flushAfterInvocation(handle);
