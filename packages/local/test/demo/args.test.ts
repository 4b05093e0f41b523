import * as assert from 'node:assert/strict';
import { parseDemoArgs } from '../../src/demo/args';

describe('demo: arguments', () => {
  it('has defaults', () => {
    assert.deepEqual(parseDemoArgs([]), { duration: 20, rate: 10, exit: false, help: false });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    assert.deepEqual(
      parseDemoArgs([
        '--duration',
        '5',
        '--rate=2.5',
        '--exit',
        '--host',
        '0.0.0.0',
        '--udp-port',
        '0',
        '--tcp-port=2001',
        '--otlp-port',
        '4319',
        '--ui-port=0',
        '--max-traces',
        '100',
      ]),
      {
        duration: 5,
        rate: 2.5,
        exit: true,
        help: false,
        host: '0.0.0.0',
        udpPort: 0,
        tcpPort: 2001,
        otlpPort: 4319,
        uiPort: 0,
        maxTraces: 100,
      },
    );
    assert.equal(parseDemoArgs(['-h']).help, true);
    assert.equal(parseDemoArgs(['--help']).help, true);
    // A value may look like an option, as before: the host is taken as given.
    assert.equal(parseDemoArgs(['--host', '--exit']).host, '--exit');
    assert.equal(parseDemoArgs(['--duration', '5', '--duration=7']).duration, 7, 'the last one counts');
  });

  for (const [argv, message] of [
    [['--duration'], /--duration needs a value/],
    [['--duration', 'x'], /--duration must be a number from 0.1/],
    [['--udp-port', '70000'], /--udp-port must be a whole number from 0 to 65535/],
    [['--ui-port', '1.5'], /whole number/],
    [['--max-traces', '0'], /--max-traces/],
    [['--host'], /--host needs a value/],
    [['--host='], /--host needs a value/],
    [['--exit=1'], /--exit takes no value/],
    [['--bogus'], /unknown option "--bogus"/],
    [['extra'], /unknown option "extra"/],
    [['--'], /unknown option "--"/],
    [['-hx'], /unknown option "-hx"/],
    [['--rate='], /--rate needs a value/],
    [['--rate', ''], /--rate needs a value/],
    [['--help=yes'], /--help takes no value/],
  ] as const) {
    it(`rejects ${JSON.stringify(argv)}`, () => {
      assert.throws(() => parseDemoArgs([...argv]), message);
    });
  }
});
