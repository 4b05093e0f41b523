'use strict';
// A simulated Lambda runtime for test/real-apps/apps/lambda-handler.cjs: one process, many
// invocations, as in Lambda. Reads one invocation per stdin line, `{"id", "traceHeader", "event"}`,
// and for each sets `_X_AMZN_TRACE_ID` (the runtime does so per invocation; the classic SDK reads it)
// and passes a context with `xRayTraceId` (what flushAfterInvocation reads), then prints
// `RESULT {"id", "ok", "error"?}`. The environment has what Lambda sets: AWS_LAMBDA_FUNCTION_NAME,
// LAMBDA_TASK_ROOT, AWS_REGION, AWS_XRAY_DAEMON_ADDRESS. Prints `READY` first.
// No HTTP here: an HTTP-driven runtime would itself be traced by the preload's http instrumentation.
const readline = require('node:readline');
const { handler } = require('./lambda-handler.cjs');

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    const invocation = JSON.parse(line);
    process.env._X_AMZN_TRACE_ID = invocation.traceHeader;
    const context = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      awsRequestId: invocation.id,
      xRayTraceId: invocation.traceHeader,
      getRemainingTimeInMillis: () => 30000,
    };
    try {
      await handler(invocation.event, context);
      console.log(`RESULT ${JSON.stringify({ id: invocation.id, ok: true })}`);
    } catch (error) {
      console.log(`RESULT ${JSON.stringify({ id: invocation.id, ok: false, error: String(error.message) })}`);
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
    }
  });
});
lines.on('close', () => {
  void queue.then(() => require('./calls.cjs').close());
});
console.log('READY');
