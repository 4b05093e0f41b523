import * as assert from 'node:assert/strict';
import { DEFAULTS, isLoopback, parseCommandLine, resolveOptions, UsageError } from '../src/options';

describe('options', () => {
  it('fills the documented defaults', () => {
    const options = resolveOptions();
    assert.deepEqual(
      {
        host: options.host,
        udpPort: options.udpPort,
        tcpPort: options.tcpPort,
        otlpPort: options.otlpPort,
        uiPort: options.uiPort,
        maxTraces: options.maxTraces,
        quiet: options.quiet,
      },
      { ...DEFAULTS, quiet: false },
    );
    assert.throws(() => resolveOptions({ maxTraces: 0 }), /maxTraces must be a positive integer/);
    assert.throws(() => resolveOptions({ host: '' }), /host must not be empty/);
    assert.throws(() => resolveOptions({ otlpPort: -1 }), UsageError);
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.ok(isLoopback(host), host);
    for (const host of ['0.0.0.0', '10.0.0.1', '::']) assert.ok(!isLoopback(host), host);
  });

  it('parses the command line', () => {
    assert.deepEqual(parseCommandLine([]), { command: 'serve', options: {} });
    assert.deepEqual(
      parseCommandLine([
        '--host',
        '0.0.0.0',
        '--udp-port',
        '0',
        '--tcp-port',
        '2001',
        '--otlp-port',
        '4319',
        '--ui-port',
        '0',
        '--sampling-rules',
        'r.json',
        '--max-traces',
        '5',
        '--save',
        's.ndjson',
        '--load',
        'l.ndjson',
        '--quiet',
      ]),
      {
        command: 'serve',
        options: {
          host: '0.0.0.0',
          udpPort: 0,
          tcpPort: 2001,
          otlpPort: 4319,
          uiPort: 0,
          samplingRulesFile: 'r.json',
          maxTraces: 5,
          saveFile: 's.ndjson',
          loadFile: 'l.ndjson',
          quiet: true,
        },
      },
    );
    assert.deepEqual(parseCommandLine(['--udp-port=0']), { command: 'serve', options: { udpPort: 0 } });
    assert.deepEqual(parseCommandLine(['-h']), { command: 'help' });
    assert.deepEqual(parseCommandLine(['--version']), { command: 'version' });
    assert.deepEqual(parseCommandLine(['demo', '--duration', '5']), {
      command: 'demo',
      argv: ['--duration', '5'],
    });
  });

  it('explains bad command lines', () => {
    const cases: [string[], RegExp][] = [
      [['--nope'], /Unknown option '--nope'/],
      [['--udp-port', 'x'], /--udp-port must be an integer from 0 to 65535, got "x"/],
      [['--ui-port', '70000'], /--ui-port/],
      [['--max-traces', '0'], /--max-traces must be an integer from 1/],
      [['--host', ''], /--host must not be empty/],
      [['extra'], /Unexpected argument/],
      [['--udp-port'], /argument missing/],
    ];
    for (const [argv, message] of cases)
      assert.throws(
        () => parseCommandLine(argv),
        (e: Error) => e instanceof UsageError && message.test(e.message),
        argv.join(' '),
      );
  });
});
