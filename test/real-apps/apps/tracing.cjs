'use strict';
// The one place where the real apps of test/real-apps differ between the two ways of tracing them.
//
// REAL_APPS_SDK=classic: the classic X-Ray SDK (aws-xray-sdk-core 3.12 and its Express, Fastify,
// fetch and Postgres packages), wired as its documentation asks: patch http/https/fetch/pg before
// the app uses them, wrap each AWS SDK v3 client, open and close the Express segment around the
// routes, register the Fastify plugin, open a segment by hand where there is no incoming request.
// That is the code a classic SDK user has in their app.
//
// Otherwise: nothing at all. The app is started with `node -r @xray-otel/register` and configured by
// environment variables only, so every helper below is the identity: the point of the comparison is
// that OpenTelemetry needs no code in the app.
const classic = process.env.REAL_APPS_SDK === 'classic';

if (!classic) {
  module.exports = {
    sdk: 'otel',
    expressOpen: () => (_req, _res, next) => next(),
    expressClose: () => (err, _req, _res, next) => next(err),
    fastifyPlugin: undefined,
    awsClient: (client) => client,
    runJob: (_name, job) => job(),
  };
} else {
  process.env.AWS_XRAY_CONTEXT_MISSING = process.env.AWS_XRAY_CONTEXT_MISSING || 'IGNORE_ERROR';
  const AWSXRay = require('aws-xray-sdk-core');
  // Every request traced, as with OpenTelemetry's default sampler (the classic default is 1/s + 5 %,
  // which would leave the comparison to chance); no centralized rules (no X-Ray API here).
  if (!process.env.LAMBDA_TASK_ROOT) {
    AWSXRay.middleware.disableCentralizedSampling();
    AWSXRay.middleware.setSamplingRules({
      version: 2,
      rules: [],
      default: { fixed_target: 1000, rate: 1.0 },
    });
  }
  AWSXRay.setLogger({ error: console.error, warn: console.error, info: () => {}, debug: () => {} });
  // Defaults (downstreamXRayEnabled false), as the SDK's README shows them.
  AWSXRay.captureHTTPsGlobal(require('node:http'));
  AWSXRay.captureHTTPsGlobal(require('node:https'));
  require('aws-xray-sdk-fetch').captureFetchGlobal();
  require('aws-xray-sdk-postgres')(require('pg'));
  const xrayExpress = require('aws-xray-sdk-express');

  module.exports = {
    sdk: 'classic',
    expressOpen: (name) => xrayExpress.openSegment(name),
    expressClose: () => xrayExpress.closeSegment(),
    fastifyPlugin: require('aws-xray-sdk-fastify'),
    awsClient: (client) => AWSXRay.captureAWSv3Client(client),
    /** A segment of its own for work that no request started (the classic SDK has none otherwise). */
    runJob(name, job) {
      const segment = new AWSXRay.Segment(name);
      const namespace = AWSXRay.getNamespace();
      return namespace.runPromise(async () => {
        AWSXRay.setSegment(segment);
        try {
          return await job();
        } catch (error) {
          segment.addError(error);
          throw error;
        } finally {
          segment.close();
        }
      });
    },
  };
}
