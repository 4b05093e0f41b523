import * as assert from 'node:assert/strict';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { LOG_INTERVAL_MS, RateLimitedLog } from '../src/rate-limited-log';

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
