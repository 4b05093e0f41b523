import * as assert from 'node:assert/strict';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { LOG_INTERVAL_MS, MAX_LOG_KEYS, RateLimitedLog } from '../src/rate-limited-log';

describe('RateLimitedLog', () => {
  it('writes one line per key per interval and then says how many were suppressed', () => {
    let time = 1000;
    const lines: string[] = [];
    const log = new RateLimitedLog(
      (line) => lines.push(line),
      LOG_INTERVAL_MS,
      () => time,
    );
    log.log('ECONNREFUSED', 'refused');
    log.log('ECONNREFUSED', 'refused');
    log.log('ECONNREFUSED', 'refused');
    log.log('EMSGSIZE', 'too big');
    time += LOG_INTERVAL_MS - 1;
    log.log('ECONNREFUSED', 'refused');
    time += 1;
    log.log('ECONNREFUSED', 'refused');
    log.log('EMSGSIZE', 'too big');
    assert.deepEqual(lines, ['refused', 'too big', 'refused (3 similar messages suppressed)', 'too big']);
  });

  it('writes to diag.warn by default', () => {
    const lines: string[] = [];
    const logger: DiagLogger = {
      error: () => undefined,
      warn: (message: string) => lines.push(message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    };
    diag.setLogger(logger, DiagLogLevel.WARN);
    try {
      new RateLimitedLog().log('k', 'hello');
    } finally {
      diag.disable();
    }
    assert.deepEqual(lines, ['hello']);
  });
});

describe('RateLimitedLog key bound', () => {
  it('remembers at most MAX_LOG_KEYS keys; later new keys share one slot', () => {
    const lines: string[] = [];
    const log = new RateLimitedLog(
      (line) => lines.push(line),
      LOG_INTERVAL_MS,
      () => 0,
    );
    for (let i = 0; i < MAX_LOG_KEYS; i++) log.log('k' + i, 'line ' + i);
    assert.equal(lines.length, MAX_LOG_KEYS);
    // Past the bound: the first new key writes, the next ones are held back with it.
    log.log('extra-1', 'extra 1');
    log.log('extra-2', 'extra 2');
    log.log('extra-3', 'extra 3');
    assert.deepEqual(lines.slice(MAX_LOG_KEYS), ['extra 1']);
    assert.equal((log as unknown as { keys: Map<string, unknown> }).keys.size, MAX_LOG_KEYS + 1);
  });
});

describe('RateLimitedLog.flush', () => {
  it('says what each key held back, once, and nothing for keys with nothing held back', () => {
    let time = 0;
    const lines: string[] = [];
    const log = new RateLimitedLog(
      (line) => lines.push(line),
      LOG_INTERVAL_MS,
      () => time,
    );
    log.log('a', 'a1');
    log.log('a', 'a2');
    log.log('a', 'a3');
    log.log('b', 'b1');
    log.flush((key, count) => `${count} more ${key}`);
    log.flush((key, count) => `${count} more ${key}`);
    time += LOG_INTERVAL_MS;
    log.log('a', 'a4');
    assert.deepEqual(lines, ['a1', 'b1', '2 more a', 'a4']);
  });
});
