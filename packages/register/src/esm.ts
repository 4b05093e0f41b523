// ESM support for `node --import @xray-otel/register`: ES modules are instrumented through the
// import-in-the-middle loader hook that @opentelemetry/instrumentation ships (hook.mjs), registered
// with module.register() before the app's modules load.
import * as nodeModule from 'node:module';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { diag } from '@opentelemetry/api';
import { isSdkDisabled } from './env';
import type { Env } from './env';

export const HOOK_SPECIFIER = '@opentelemetry/instrumentation/hook.mjs';

type Resolve = (id: string) => string;

/**
 * hook.mjs of the @opentelemetry/instrumentation that the instrumentations use: seen from us (hoisted
 * installs), else from auto-instrumentations-node, else from sdk-node. A file URL, or undefined.
 */
export function resolveHookUrl(resolvers?: Resolve[]): string | undefined {
  const candidates: Resolve[] = resolvers ?? [
    (id) => require.resolve(id),
    (id) => createRequire(require.resolve('@opentelemetry/auto-instrumentations-node')).resolve(id),
    (id) => createRequire(require.resolve('@opentelemetry/sdk-node')).resolve(id),
  ];
  for (const resolve of candidates) {
    try {
      return pathToFileURL(resolve(HOOK_SPECIFIER)).href;
    } catch {
      // Try the next place.
    }
  }
  return undefined;
}

type Register = (specifier: string, parentURL: string) => void;

/**
 * Registers the loader hook unless OTEL_SDK_DISABLED=true. Returns whether it did. Never throws:
 * without the hook, CommonJS modules are still instrumented.
 */
export function registerEsmHook(
  env: Env,
  parentUrl: string,
  register: Register | undefined = (nodeModule as { register?: Register }).register,
  hookUrl: string | undefined = resolveHookUrl(),
): boolean {
  if (isSdkDisabled(env)) return false;
  try {
    if (typeof register !== 'function')
      throw new Error('module.register() needs Node.js 18.19 / 20.6 or later');
    if (!hookUrl) throw new Error(`cannot resolve ${HOOK_SPECIFIER}`);
    register(hookUrl, parentUrl);
    return true;
  } catch (error) {
    diag.error(
      `@xray-otel/register: ES modules will not be instrumented: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}
