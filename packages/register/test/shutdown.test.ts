import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import FakeTimers from '@sinonjs/fake-timers';
import { installShutdownHooks, settleWithin } from '../src/shutdown';
import { captureDiag } from './diag-capture';

class FakeProcess extends EventEmitter {
  readonly pid = 4242;
  readonly kills: [number, string | number | undefined][] = [];
  kill(pid: number, signal?: string | number): boolean {
    this.kills.push([pid, signal]);
    return true;
  }
}

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function setup(
  overrides: { flush?: () => Promise<unknown>; shutdown?: () => Promise<unknown>; timeoutMs?: number } = {},
) {
  const proc = new FakeProcess();
  const calls: string[] = [];
  const uninstall = installShutdownHooks({
    process: proc,
    flush: overrides.flush ?? (async () => calls.push('flush')),
    shutdown: overrides.shutdown ?? (async () => calls.push('shutdown')),
    timeoutMs: overrides.timeoutMs ?? 50,
  });
  return { proc, calls, uninstall };
}

describe('register shutdown hooks', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} with no app handler: shut down, remove our listeners, re-send the signal`, async () => {
      const { proc, calls } = setup();
      proc.emit(signal);
      await tick();
      assert.deepEqual(calls, ['shutdown']);
      assert.deepEqual(proc.kills, [[4242, signal]]);
      assert.equal(proc.listenerCount('SIGTERM'), 0);
      assert.equal(proc.listenerCount('SIGINT'), 0);
      assert.equal(proc.listenerCount('beforeExit'), 0);
    });

    it(`${signal} with an app handler: flush only, no exit, listeners stay`, async () => {
      const { proc, calls } = setup();
      let appSaw = 0;
      proc.on(signal, () => appSaw++);
      proc.emit(signal);
      await tick();
      assert.deepEqual(calls, ['flush']);
      assert.equal(appSaw, 1);
      assert.deepEqual(proc.kills, []);
      assert.equal(proc.listenerCount(signal), 2);
    });
  }

  it('beforeExit: shut down once', async () => {
    const { proc, calls } = setup();
    proc.emit('beforeExit', 0);
    proc.emit('beforeExit', 0);
    await tick();
    assert.deepEqual(calls, ['shutdown']);
  });

  it('a shutdown that hangs is cut at the timeout; the signal is still re-sent', async () => {
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { result } = captureDiag(() =>
        setup({ shutdown: () => new Promise(() => undefined), timeoutMs: 2000 }),
      );
      const { proc } = result;
      const { messages } = await captureDiagAsync(async () => {
        proc.emit('SIGTERM');
        await clock.tickAsync(1999);
        assert.deepEqual(proc.kills, [], 'still waiting for the shutdown at 1,999 ms');
        await clock.tickAsync(1);
      });
      assert.deepEqual(proc.kills, [[4242, 'SIGTERM']]);
      assert.match(messages.join('\n'), /shutdown on SIGTERM did not finish within 2000 ms/);
    } finally {
      clock.uninstall();
    }
  });

  it('a shutdown that throws or rejects is reported; the signal is still re-sent', async () => {
    for (const shutdown of [
      () => Promise.reject(new Error('boom')),
      () => {
        throw new Error('sync boom');
      },
    ]) {
      const { proc } = setup({ shutdown });
      const { messages } = await captureDiagAsync(async () => {
        proc.emit('SIGINT');
        await tick();
      });
      assert.deepEqual(proc.kills, [[4242, 'SIGINT']]);
      assert.match(messages.join('\n'), /shutdown on SIGINT failed/);
    }
  });

  it('uninstall removes every listener', () => {
    const { proc, uninstall } = setup();
    uninstall();
    assert.deepEqual(
      ['SIGTERM', 'SIGINT', 'beforeExit'].map((e) => proc.listenerCount(e)),
      [0, 0, 0],
    );
  });

  it('settleWithin resolves with the promise', async () => {
    await settleWithin(Promise.resolve(1), 1000, 'x');
  });
});

async function captureDiagAsync(fn: () => Promise<void>): Promise<{ messages: string[] }> {
  const { diag, DiagLogLevel } = await import('@opentelemetry/api');
  const messages: string[] = [];
  const record = (message: string): void => {
    messages.push(message);
  };
  diag.setLogger(
    { error: record, warn: record, info: record, debug: record, verbose: record },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  try {
    await fn();
  } finally {
    diag.disable();
  }
  return { messages };
}

describe('register shutdown hooks and signal-exit', () => {
  // The shape of signal-exit's listener (v3 and v4): acts only when it is alone.
  function signalExitLike(proc: EventEmitter, sig: string): () => void {
    return function listener() {
      const listeners = proc.listeners(sig);
      if (listeners.length === 1) proc.emit('signal-exit-acted');
    };
  }

  it('a signal-exit listener is not the app handling the signal: we shut down and re-send', async () => {
    const { proc, calls } = setup();
    proc.on('SIGTERM', signalExitLike(proc, 'SIGTERM'));
    proc.emit('SIGTERM');
    await tick();
    assert.deepEqual(calls, ['shutdown']);
    assert.deepEqual(proc.kills, [[4242, 'SIGTERM']]);
  });

  it('isDeferringListener', async () => {
    const { isDeferringListener } = await import('../src/shutdown');
    assert.equal(isDeferringListener(signalExitLike(new EventEmitter(), 'SIGINT')), true);
    assert.equal(
      isDeferringListener(() => process.exit(0)),
      false,
    );
    assert.equal(isDeferringListener('not a function'), false);
    const hostile = new Proxy(() => undefined, {
      get() {
        throw new Error('no');
      },
    });
    assert.equal(typeof isDeferringListener(hostile), 'boolean');
  });
});
