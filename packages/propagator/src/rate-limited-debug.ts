// Bad headers come from the network, possibly on every request: log why, but at most one line per
// interval so that a flood of garbage cannot flood the logs (the count of skipped lines is kept).
import { diag } from '@opentelemetry/api';

export const DEBUG_LOG_INTERVAL_MS = 10_000;

export interface RateLimitedDebug {
  (message: string): void;
}

/** A `diag.debug` writer that lets one message through per `intervalMs` and counts the others. */
export function createRateLimitedDebug(
  intervalMs: number = DEBUG_LOG_INTERVAL_MS,
  now: () => number = Date.now,
  write: (message: string) => void = (message) => diag.debug(message),
): RateLimitedDebug {
  let nextAllowed = -Infinity;
  let skipped = 0;
  return (message: string) => {
    const time = now();
    if (time < nextAllowed) {
      skipped++;
      return;
    }
    nextAllowed = time + intervalMs;
    write(skipped > 0 ? `${message} (${skipped} similar messages skipped)` : message);
    skipped = 0;
  };
}
