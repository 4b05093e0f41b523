// `node --import @xray-otel/register app.mjs`: the import-in-the-middle hook first (so ES modules
// are instrumented), then the same start as `-r` (index.js).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { registerEsmHook } = require('./esm.js') as typeof import('./esm.js');
const { isSdkDisabled } = require('./env.js') as typeof import('./env.js');
const { setUpDiagnostics } = require('./report.js') as typeof import('./report.js');

// Before the hook, so that a hook that cannot be registered is said (the start sets up the same).
if (!isSdkDisabled(process.env)) setUpDiagnostics(process.env);
registerEsmHook(process.env, import.meta.url);
require('./index.js');
