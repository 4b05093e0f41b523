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
