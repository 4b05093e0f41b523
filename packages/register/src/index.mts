// `node --import @xray-otel/register app.mjs`: the import-in-the-middle hook first (so ES modules
// are instrumented), then the same start as `-r` (index.js).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { registerEsmHook } = require('./esm.js') as typeof import('./esm.js');

registerEsmHook(process.env, import.meta.url);
require('./index.js');
