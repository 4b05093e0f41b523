// Send errors come once per datagram: with the daemon down, every span of every batch fails the same
// way. Log why, but at most one line per key (error code, translation reason, ...) per interval,
// keeping the count of the lines held back, so that a dead daemon cannot flood the app's logs.
import { diag } from '@opentelemetry/api';

export const LOG_INTERVAL_MS = 10_000;

export type LogWriter = (message: string) => void;

interface KeyState {
  nextAllowed: number;
  suppressed: number;
}

/** At most one message per key per `intervalMs`; the next one says how many were suppressed. */
export class RateLimitedLog {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly write: LogWriter = (message) => diag.warn(message),
    private readonly intervalMs: number = LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  log(key: string, message: string): void {
    const time = this.now();
    let state = this.keys.get(key);
    if (state === undefined) {
      state = { nextAllowed: -Infinity, suppressed: 0 };
      this.keys.set(key, state);
    }
    if (time < state.nextAllowed) {
      state.suppressed++;
      return;
    }
    state.nextAllowed = time + this.intervalMs;
    const suppressed = state.suppressed;
    state.suppressed = 0;
    this.write(suppressed > 0 ? `${message} (${suppressed} similar messages suppressed)` : message);
  }
}
