'use strict';
// "resize-fn": a Lambda handler of test/real-apps. It calls an untraced HTTP service and DynamoDB,
// and throws when the event says so. With the classic SDK (REAL_APPS_SDK=classic, LAMBDA_TASK_ROOT
// set: its Lambda mode) the calls become subsegments of the invocation's segment; with
// `node -r @xray-otel/register` the handler is wrapped with flushAfterInvocation, as the register
// README asks for a handler the aws-lambda instrumentation does not wrap (here a simulated runtime,
// lambda-runtime.cjs, calls it).
const tracing = require('./tracing.cjs');
const calls = require('./calls.cjs');

async function handler(event) {
  await calls.httpGet('/thumbnails');
  await calls.dynamodbPutGet(`image-${event.id}`);
  if (event.fail) throw new Error(`cannot resize image ${event.id}`);
  return { resized: event.id };
}

exports.handler =
  tracing.sdk === 'classic' ? handler : require('@xray-otel/register/lambda').flushAfterInvocation(handler);
