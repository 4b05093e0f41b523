/**
 * The one rate-limited diag writer. Bad input and send errors can come on every request (a dead
 * daemon fails every datagram, a garbage header arrives with every call), so we say why, but at most
 * one line per key (error code, rejection reason, ...) per interval, and the next line says how many
 * were held back: a flood can never flood the application's logs, and nothing is hidden.
 */
import { diag } from '@opentelemetry/api';

/** One line per key per this many milliseconds. */
export const LOG_INTERVAL_MS = 10_000;

/**
 * Distinct keys remembered. Keys are codes and reasons (a few dozen at most); past this bound, new
 * keys share one slot, so a caller that builds keys from input cannot grow the map without limit.
 */
export const MAX_LOG_KEYS = 256;

const OVERFLOW_KEY = '\u0000overflow';

export type LogWriter = (message: string) => void;

interface KeyState {
  nextAllowed: number;
  suppressed: number;
}

/** At most one message per key per `intervalMs`; the next one says how many were suppressed. */
export class RateLimitedLog {
  private readonly keys = new Map<string, KeyState>();

  /**
   * @param write where lines go: `diag.warn` by default (a misconfiguration or lost data is worth a
   *   warning; pass `(m) => diag.debug(m)` for input from the network that is not our user's fault).
   * @param intervalMs one line per key per this interval.
   * @param now the clock (tests).
   */
  constructor(
    private readonly write: LogWriter = (message) => diag.warn(message),
    private readonly intervalMs: number = LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes `message` unless a line with the same `key` was written less than an interval ago. */
  log(key: string, message: string): void {
    const time = this.now();
    let state = this.keys.get(key);
    if (state === undefined) {
      if (this.keys.size >= MAX_LOG_KEYS) key = OVERFLOW_KEY;
      state = this.keys.get(key);
      if (state === undefined) {
        state = { nextAllowed: -Infinity, suppressed: 0 };
        this.keys.set(key, state);
      }
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

  /**
   * Says what is still held back (at shutdown, say): one line per key with suppressed messages,
   * made by `summary(key, count)`, and forgets those counts.
   */
  flush(summary: (key: string, suppressed: number) => string): void {
    for (const [key, state] of this.keys) {
      if (state.suppressed === 0) continue;
      const suppressed = state.suppressed;
      state.suppressed = 0;
      this.write(summary(key === OVERFLOW_KEY ? 'other' : key, suppressed));
    }
  }
}
