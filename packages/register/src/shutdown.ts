// Flush on SIGTERM / SIGINT / beforeExit without taking over the app's own signal handling:
// - the app listens to the signal too: we only flush, the app decides when to exit;
// - nobody else listens: we flush (bounded) and then let the signal do what it would have done
//   (remove our listener, re-send the signal), so the process still dies of it with its usual status.
import { diag } from '@opentelemetry/api';

/** Upper bound for the flush before a signal's default action; the app is waiting to die. */
export const FLUSH_TIMEOUT_MS = 2000;

export const FLUSH_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** The part of `process` we use (a fake in unit tests). */
export interface ProcessLike {
  pid: number;
  on(event: string, listener: () => void): unknown;
  once(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
  listeners(event: string): unknown[];
  kill(pid: number, signal?: string | number): unknown;
}

export interface ShutdownHooksOptions {
  process: ProcessLike;
  /** Export what is buffered; the SDK keeps running. */
  flush: () => Promise<unknown>;
  /** Export what is buffered and stop. */
  shutdown: () => Promise<unknown>;
  timeoutMs?: number;
  signals?: readonly NodeJS.Signals[];
}

/**
 * signal-exit (v3 and v4; used by nyc, execa, write-file-atomic...) listens to signals but, like us,
 * only acts when nobody else does: its listener compares `process.listeners(sig)` with its own
 * count. It is not the app taking over the signal; counting it as such would leave both of us
 * waiting for the other and the process alive.
 */
export function isDeferringListener(listener: unknown): boolean {
  try {
    return (
      typeof listener === 'function' && /\.listeners\(sig\)/.test(Function.prototype.toString.call(listener))
    );
  } catch {
    return false;
  }
}

/** Settles when `promise` settles or after `ms`, whichever is first; never rejects. */
export function settleWithin(promise: Promise<unknown>, ms: number, what: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      diag.warn(`@xray-otel/register: ${what} did not finish within ${ms} ms; going on.`);
      resolve();
    }, ms);
    timer.unref?.();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        diag.error(`@xray-otel/register: ${what} failed`, error);
        resolve();
      },
    );
  });
}

/** Installs the listeners; returns a function that removes them. */
export function installShutdownHooks(options: ShutdownHooksOptions): () => void {
  const proc = options.process;
  const timeoutMs = options.timeoutMs ?? FLUSH_TIMEOUT_MS;
  const signals = options.signals ?? FLUSH_SIGNALS;
  const listeners = new Map<NodeJS.Signals, () => void>();

  const uninstall = (): void => {
    for (const [signal, listener] of listeners) proc.removeListener(signal, listener);
    listeners.clear();
    proc.removeListener('beforeExit', onBeforeExit);
  };

  const onBeforeExit = (): void => {
    void settleWithin(safeCall(options.shutdown), timeoutMs, 'shutdown at exit');
  };

  for (const signal of signals) {
    const listener = (): void => {
      const appHandles = proc
        .listeners(signal)
        .some((other) => other !== listener && !isDeferringListener(other));
      if (appHandles) {
        // The app handles this signal: flush, and leave the exit to the app.
        void settleWithin(safeCall(options.flush), timeoutMs, `flush on ${signal}`);
        return;
      }
      // Nobody else handles it: once we are gone, the signal's default action applies again, so a
      // second signal kills at once while we flush.
      uninstall();
      void settleWithin(safeCall(options.shutdown), timeoutMs, `shutdown on ${signal}`).then(() =>
        proc.kill(proc.pid, signal),
      );
    };
    listeners.set(signal, listener);
    proc.on(signal, listener);
  }
  proc.once('beforeExit', onBeforeExit);
  return uninstall;
}

/** `fn()` as a promise, also when it throws synchronously. */
function safeCall(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
