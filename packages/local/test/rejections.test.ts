import * as assert from 'node:assert/strict';
import { RejectionLog, SAMPLE_BYTES, sampleOf } from '../src/rejections';

describe('rejections', () => {
  it('keeps the last N rejections, newest first, and counts all by reason', () => {
    const log = new RejectionLog({ capacity: 3, quiet: true });
    for (let i = 0; i < 5; i++)
      log.add(i % 2 ? 'schema' : 'invalid-json', `detail ${i}`, 'udp', `payload ${i}`);
    assert.deepEqual(
      log.recent().map((r) => r.detail),
      ['detail 4', 'detail 3', 'detail 2'],
    );
    assert.deepEqual(
      log.recent(1).map((r) => r.sample),
      ['payload 4'],
    );
    assert.deepEqual(log.recent(0), []);
    assert.deepEqual(log.byReason(), { 'invalid-json': 3, schema: 2 });
    assert.equal(log.count, 5);
    const partial = new RejectionLog({ quiet: true });
    partial.add('a', 'first', 'otlp-udp');
    partial.add('b', 'second', 'otlp-udp');
    assert.deepEqual(
      partial.recent(10).map((r) => r.reason),
      ['b', 'a'],
    );
  });

  it('keeps the first 2 KiB of the payload as text', () => {
    assert.equal(sampleOf('x'.repeat(5000)).length, SAMPLE_BYTES);
    assert.equal(sampleOf(Buffer.from('y'.repeat(5000))).length, SAMPLE_BYTES);
    assert.equal(sampleOf(new Uint8Array([0x68, 0x69])), 'hi');
  });

  it('prints at most one line per second per reason, then the number suppressed', () => {
    let now = 1000;
    const lines: string[] = [];
    const log = new RejectionLog({ log: (line) => lines.push(line), now: () => now });
    log.add('invalid-trace-id', 'trace_id "1-abc" is not 1-<8 hex>-<24 hex>', 'udp');
    log.add('invalid-trace-id', 'again', 'udp');
    log.add('invalid-trace-id', 'and again', 'udp');
    log.add('schema', 'other reason', 'otlp-http-json');
    now += 1000;
    log.add('invalid-trace-id', 'later', 'udp');
    log.add('invalid-trace-id', 'pending', 'udp');
    log.flush();
    log.flush();
    assert.deepEqual(lines, [
      'xray-local: rejected udp document: invalid-trace-id: trace_id "1-abc" is not 1-<8 hex>-<24 hex>',
      'xray-local: rejected otlp-http-json document: schema: other reason',
      'xray-local: rejected udp document: invalid-trace-id: later (2 similar messages suppressed)',
      'xray-local: 1 more invalid-trace-id rejections suppressed',
    ]);
  });

  it('prints nothing when quiet; defaults to console.error', () => {
    const quiet = new RejectionLog({ quiet: true });
    quiet.add('x', 'y', 'udp');
    quiet.flush();
    const original = console.error;
    const seen: unknown[] = [];
    console.error = (line: unknown) => seen.push(line);
    try {
      new RejectionLog().add('x', 'y', 'load');
    } finally {
      console.error = original;
    }
    assert.deepEqual(seen, ['xray-local: rejected load document: x: y']);
  });
});
