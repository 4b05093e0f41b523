import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import FakeTimers from '@sinonjs/fake-timers';
import {
  CredentialCache,
  parseRetryAfter,
  redactSecrets,
  SigV4HttpTransport,
  type SigV4HttpTransportOptions,
  type SigV4TransportCounters,
} from '../src/sigv4';

describe('sigv4 helpers', () => {
  it('parseRetryAfter: delta-seconds, HTTP date, absent or garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter(' 3 ', now), 3000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });

  it('redactSecrets replaces the secret key and token, and nothing else', () => {
    const creds = { accessKeyId: 'AKID', secretAccessKey: 's3cr3t', sessionToken: 'tok' };
    assert.equal(redactSecrets('AKID s3cr3t tok s3cr3t', creds), 'AKID [redacted] [redacted] [redacted]');
    assert.equal(redactSecrets('plain', undefined), 'plain');
    assert.equal(redactSecrets('x', { accessKeyId: 'a', secretAccessKey: '' }), 'x');
  });

  it('CredentialCache: one provider call for concurrent users, refresh near expiry, retry after failure', async () => {
    let now = 0;
    let calls = 0;
    let fail = false;
    const cache = new CredentialCache(
      async () => {
        calls++;
        if (fail) throw new Error('nope');
        return { accessKeyId: `K${calls}`, secretAccessKey: 's', expiration: new Date(now + 10 * 60 * 1000) };
      },
      () => now,
    );
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    assert.equal(calls, 1);
    assert.equal(a, b);
    assert.equal(cache.current, a);
    now += 4 * 60 * 1000; // 6 min left: still fresh
    assert.equal((await cache.get()).accessKeyId, 'K1');
    now += 2 * 60 * 1000; // 4 min left: inside the 5 min margin
    assert.equal((await cache.get()).accessKeyId, 'K2');
    now += 10 * 60 * 1000;
    fail = true;
    await assert.rejects(cache.get(), /nope/);
    fail = false;
    assert.equal((await cache.get()).accessKeyId, 'K4');
  });
});

describe('SigV4HttpTransport retry timing (fake timers, real loopback HTTP)', () => {
  const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  let server: http.Server;
  let port = 0;
  /** Answers to give, in order; then 200. */
  let answers: { status: number; retryAfter?: string }[] = [];
  let arrivals = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        arrivals++;
        const answer = answers.shift() ?? { status: 200 };
        res.writeHead(
          answer.status,
          answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter },
        );
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /**
   * Sends once with fake timers and `Math.random` fixed to `random`; returns the result, the delays
   * the transport asked setTimeout for (request timeouts and retry waits) and the requests made.
   */
  async function sendWithFakeTime(
    options: Partial<SigV4HttpTransportOptions>,
    random: number,
    timeoutMillis = 60_000,
  ): Promise<{ status: string; waits: number[]; requests: number; counters: SigV4TransportCounters }> {
    const realSetTimeout = globalThis.setTimeout;
    const realRandom = Math.random;
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fakeSetTimeout = globalThis.setTimeout;
    const delays: number[] = [];
    globalThis.setTimeout = ((handler: () => void, delay?: number) => {
      delays.push(delay ?? 0);
      return fakeSetTimeout(handler, delay);
    }) as typeof setTimeout;
    Math.random = () => random;
    const before = arrivals;
    const transport = new SigV4HttpTransport({
      url: new URL(`http://127.0.0.1:${port}/v1/traces`),
      region: 'us-east-1',
      service: 'xray',
      credentials: async () => KEY,
      headers: async () => ({}),
      compression: 'none',
      ...options,
    });
    try {
      let settled: string | undefined;
      const sending = transport.send(Buffer.from('spans'), timeoutMillis).then((r) => (settled = r.status));
      for (let i = 0; i < 10_000 && settled === undefined; i++) {
        await clock.tickAsync(50);
        await new Promise((resolve) => realSetTimeout(resolve, 1));
      }
      await sending;
      // Request timeouts are what is left of the export timeout (close to timeoutMillis); the rest
      // are the waits between attempts.
      const waits = delays.filter((delay) => delay < timeoutMillis / 2);
      return { status: settled!, waits, requests: arrivals - before, counters: transport.counters };
    } finally {
      transport.shutdown();
      globalThis.setTimeout = fakeSetTimeout;
      Math.random = realRandom;
      clock.uninstall();
    }
  }

  it('waits initialBackoffMillis, then x1.5, each with -20 % .. +20 % jitter, up to maxAttempts', async () => {
    answers = [{ status: 503 }, { status: 503 }];
    const low = await sendWithFakeTime({ maxAttempts: 3 }, 0);
    assert.equal(low.status, 'success');
    assert.deepEqual(low.waits, [800, 1200]);
    assert.equal(low.requests, 3);
    assert.equal(low.counters.retries, 2);

    answers = [{ status: 502 }, { status: 504 }, { status: 429 }];
    const high = await sendWithFakeTime({ maxAttempts: 3, initialBackoffMillis: 200 }, 0.999_999);
    assert.equal(high.status, 'retryable', 'the last answer after maxAttempts');
    assert.deepEqual(
      high.waits.map((w) => Math.round(w)),
      [240, 360],
    );
    assert.equal(high.requests, 3);
    assert.deepEqual(high.counters.httpStatus, { 502: 1, 504: 1, 429: 1 });
  });

  it('Retry-After (seconds) replaces the backoff; a wait past the export timeout is not made', async () => {
    answers = [{ status: 429, retryAfter: '7' }];
    const honoured = await sendWithFakeTime({}, 0.5);
    assert.equal(honoured.status, 'success');
    assert.deepEqual(honoured.waits, [7000]);
    assert.equal(honoured.requests, 2);

    answers = [{ status: 503, retryAfter: '7' }];
    const tooLate = await sendWithFakeTime({}, 0.5, 5000);
    assert.equal(tooLate.status, 'retryable');
    assert.deepEqual(tooLate.waits, []);
    assert.equal(tooLate.requests, 1);
    assert.equal(tooLate.counters.retries, 0);

    answers = [{ status: 503 }];
    const backoffTooLate = await sendWithFakeTime({ initialBackoffMillis: 4000 }, 0.999_999, 4000);
    assert.equal(backoffTooLate.status, 'retryable');
    assert.equal(backoffTooLate.requests, 1);
    assert.equal(backoffTooLate.counters.retries, 0);
  });
});
