'use strict';
// Says which line the contract tests ran on, and fails if the compat run did not get what it asked for.
const assert = require('node:assert/strict');
const { apiVersion, sdkPackage, sdkVersion } = require('./otel');

describe('contract: runtime', () => {
  it(`runs on Node ${process.version} with ${sdkPackage} ${sdkVersion}, api ${apiVersion}`, () => {
    if (process.env.XRAY_OTEL_EXPECT_LINE === '3') {
      assert.match(process.version, /^v22\./);
      assert.match(apiVersion, /^1\.10\./);
      assert.equal(sdkPackage, '@opentelemetry/sdk-trace');
      assert.match(sdkVersion, /^3\./);
    } else {
      assert.match(apiVersion, /^1\.[3-9]\./);
      assert.match(sdkVersion, /^2\./);
    }
  });
});
