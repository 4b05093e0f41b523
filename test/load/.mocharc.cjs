'use strict';
// `npm run test:load`: the speed, memory and load checks, kept out of `npm test` (which asserts
// behaviour only). Each file states its thresholds next to its checks; the README's command table
// lists them. Run alone, without nyc, so the figures are not skewed by instrumentation; one file
// after another (mocha's default), never in parallel with other tests.
module.exports = {
  require: ['./scripts/mocha-setup.js'],
  extension: ['ts'],
  spec: ['test/load/**/*.load.ts'],
  timeout: 120000,
  reporter: 'spec',
  'forbid-only': true,
  'forbid-pending': true,
};
