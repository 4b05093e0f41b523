'use strict';
// The contract tests run twice: on Node 20 with OpenTelemetry JS 2.x (the workspace) and on Node 22
// with OpenTelemetry JS 3.x (test/compat-otel3). Everything they need from OpenTelemetry comes from
// here, resolved from wherever the test file sits, so the same file exercises either line.
const api = require('@opentelemetry/api');

let sdk;
let sdkPackage;
try {
  // 2.x: sdk-trace-base is the public SDK package.
  sdk = require('@opentelemetry/sdk-trace-base');
  sdkPackage = '@opentelemetry/sdk-trace-base';
} catch {
  // 3.x: @opentelemetry/sdk-trace replaces sdk-trace-base.
  sdk = require('@opentelemetry/sdk-trace');
  sdkPackage = '@opentelemetry/sdk-trace';
}

function versionOf(name) {
  // Some packages do not export ./package.json; read it beside the resolved entry point instead.
  const path = require('path');
  const fs = require('fs');
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8'));
      if (pkg.name === name) return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no package.json found for ' + name);
    dir = parent;
  }
}

/** A tracer provider on either line: 2.x calls it BasicTracerProvider, 3.x TracerProvider; both take `{ idGenerator, spanProcessors, sampler, resource }`. */
function createProvider(config) {
  const Provider = sdk.BasicTracerProvider || sdk.TracerProvider;
  return new Provider(config);
}

module.exports = {
  api,
  sdk,
  sdkPackage,
  apiVersion: versionOf('@opentelemetry/api'),
  sdkVersion: versionOf(sdkPackage),
  createProvider,
};
