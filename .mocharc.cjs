'use strict';
// `npm test` (under nyc). Under CI (CI=true) or with XRAY_OTEL_REQUIRE_ALL=1 a skipped (pending) test
// or a left-over `.only` fails the run: a test that cannot run there must say so, not pass by being
// skipped (test/helpers/prerequisites.ts fails with the missing prerequisite's name first).
// Speed, memory and load checks are not here: `npm run test:load` (test/load/.mocharc.cjs).
const required = process.env.XRAY_OTEL_REQUIRE_ALL === '1' || (process.env.CI ?? '').toLowerCase() === 'true';

module.exports = {
  require: ['./scripts/mocha-setup.js'],
  extension: ['ts', 'js'],
  spec: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'test/contract/**/*.test.js'],
  ignore: ['test/compat-otel3/**', 'test/load/**'],
  timeout: 20000,
  reporter: 'dot',
  'forbid-pending': required,
  'forbid-only': required,
};
