/** Test helpers of @xray-otel/core. */
import * as os from 'node:os';
import * as path from 'node:path';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

export const SHARED = path.resolve(__dirname, '../../../../shared');

/** Everything `diag` says at `level` or above, until `restore()`. */
export function captureDiag(level = DiagLogLevel.WARN): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const push = (message: string) => lines.push(message);
  const logger: DiagLogger = { error: push, warn: push, info: push, debug: push, verbose: push };
  diag.setLogger(logger, { logLevel: level, suppressOverrideMessage: true });
  return { lines, restore: () => diag.disable() };
}

export function hasIpv6Loopback(): boolean {
  return Object.values(os.networkInterfaces()).some((list) =>
    (list ?? []).some((info) => info.internal && info.family === 'IPv6' && info.address === '::1'),
  );
}

/**
 * Skips the test with `missing` as the reason, except under `CI=true` or `XRAY_OTEL_REQUIRE_ALL=1`,
 * where a test that cannot run fails, naming what is missing.
 */
export function requirePrerequisite(context: Mocha.Context, missing: string | undefined): void {
  if (missing === undefined) return;
  if (process.env.CI === 'true' || process.env.XRAY_OTEL_REQUIRE_ALL === '1') {
    throw new Error(`required for this test, and missing: ${missing}`);
  }
  console.log(`      (skipped: ${missing})`);
  context.skip();
}
