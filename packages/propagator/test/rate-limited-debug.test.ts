import * as assert from 'node:assert/strict';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { createRateLimitedDebug } from '../src/rate-limited-debug';

describe('rate-limited-debug', () => {
  it('lets one line per interval through and counts the others', () => {
    let time = 1000;
    const lines: string[] = [];
    const debug = createRateLimitedDebug(
      100,
      () => time,
      (m) => lines.push(m),
    );
    debug('a');
    debug('b');
    debug('c');
    time += 100;
    debug('d');
    debug('e');
    time += 150;
    debug('f');
    assert.deepEqual(lines, ['a', 'd (2 similar messages skipped)', 'f (1 similar messages skipped)']);
  });

  it('writes to diag.debug by default', () => {
    const lines: string[] = [];
    diag.setLogger(
      {
        debug: (m: string) => !m.startsWith('@opentelemetry') && lines.push(m),
        info() {},
        warn() {},
        error() {},
        verbose() {},
      },
      { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
    );
    try {
      createRateLimitedDebug()('hello');
    } finally {
      diag.disable();
    }
    assert.deepEqual(lines, ['hello']);
  });
});
