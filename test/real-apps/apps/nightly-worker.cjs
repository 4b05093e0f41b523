'use strict';
// "nightly-job": a worker of test/real-apps with no incoming request: a script that makes outgoing
// calls and exits. Two jobs, one after the other: an HTTP call to an untraced service, then DynamoDB.
// With the classic SDK a worker must open a segment per job by hand (tracing.runJob); with
// `node -r @xray-otel/register` the calls are traced with no code (each is a trace of its own).
// Prints `DONE` when both jobs are over; the preload flushes its spans when the event loop empties.
const tracing = require('./tracing.cjs');
const calls = require('./calls.cjs');

async function main() {
  await tracing.runJob('nightly-job', () => calls.httpGet('/report'));
  await tracing.runJob('nightly-job', () => calls.dynamodbPutGet('nightly-1'));
  await calls.close();
  console.log('DONE');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
