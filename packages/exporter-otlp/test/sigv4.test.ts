import * as assert from 'assert';
import { CredentialCache, parseRetryAfter, redactSecrets } from '../src/sigv4';

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
