'use strict';
// Tests are TypeScript run straight from source (transpile only: `npm run lint` type-checks them),
// so nyc can map coverage to the .ts files without a separate test build.
process.env.TS_NODE_PROJECT =
  process.env.TS_NODE_PROJECT || require('path').join(__dirname, '..', 'tsconfig.test.json');
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
require('ts-node/register');
require('source-map-support/register');
