import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DAEMON_ADDRESS } from '../src/constants';
import {
  DaemonAddressError,
  formatEndpoint,
  parseDaemonAddress,
  resolveDaemonAddress,
  samplingEndpoint,
  type DaemonAddress,
} from '../src/daemon-address';
import { SHARED } from './helpers';

interface ObservedRow {
  AWS_XRAY_DAEMON_ADDRESS: string;
  result: {
    error?: string;
    udp_ip?: string;
    udp_port?: string | number;
    tcp_ip?: string;
    tcp_port?: string | number;
  };
}

function readTable(relative: string): ObservedRow[] {
  return JSON.parse(fs.readFileSync(path.join(SHARED, 'fixtures/wire', relative), 'utf8')) as ObservedRow[];
}

const ok = (udpHost: string, udpPort: number, tcpHost = udpHost, tcpPort = udpPort): DaemonAddress => {
  const family = (host: string) => (/^[0-9.]+$/.test(host) ? { family: 4 as const } : {});
  return {
    udp: { host: udpHost, port: udpPort, ...family(udpHost) },
    tcp: { host: tcpHost, port: tcpPort, ...family(tcpHost) },
  };
};

// Our outcome for each of the 22 values captured from aws-xray-sdk-core 3.12 (node-10) and Python
// aws-xray-sdk 2.15 (py-09): the parsed address, or a regular expression the error message matches.
const EXPECTED: Record<string, DaemonAddress | RegExp> = {
  '127.0.0.1:2000': ok('127.0.0.1', 2000),
  '127.0.0.1:3000': ok('127.0.0.1', 3000),
  'localhost:2000': ok('localhost', 2000),
  'xray-daemon.internal:2000': ok('xray-daemon.internal', 2000),
  'tcp:127.0.0.1:2001 udp:127.0.0.1:2000': ok('127.0.0.1', 2000, '127.0.0.1', 2001),
  'udp:127.0.0.1:2000 tcp:127.0.0.1:2001': ok('127.0.0.1', 2000, '127.0.0.1', 2001),
  'udp:127.0.0.1:2000': /needs both a tcp and a udp address/,
  'tcp:127.0.0.1:2000': /needs both a tcp and a udp address/,
  '127.0.0.1': /needs a host and a port/,
  '2000': /needs a host and a port/,
  ':2000': /the host is missing/,
  // Differs from Node, which keeps the port "" (Python rejects it too).
  '127.0.0.1:': /the port "" is not an integer/,
  // Differs from Node, which keeps the port "abc" (Python rejects it too).
  '127.0.0.1:abc': /the port "abc" is not an integer/,
  // Differs from both: Node parses it to host "[" and port "", Python rejects it; we support
  // bracketed IPv6 literals (the daemon can listen on ::1).
  '[::1]:2000': {
    udp: { host: '::1', port: 2000, family: 6 },
    tcp: { host: '::1', port: 2000, family: 6 },
  },
  '::1:2000': /IPv6 address must be in brackets/,
  '127.0.0.1:2000 ': /leading or trailing whitespace/,
  ' 127.0.0.1:2000': /leading or trailing whitespace/,
  // Differs from Node, which silently ignores the value and keeps 127.0.0.1:2000 for both (Python
  // rejects it too).
  'tcp:127.0.0.1:2001  udp:127.0.0.1:2000': /exactly "tcp:host:port udp:host:port" with one space/,
  // Same: Node ignores the whole value, Python rejects it.
  'tcp:127.0.0.1:2001 udp:127.0.0.1:2000 extra': /exactly "tcp:host:port udp:host:port" with one space/,
  'tcp:127.0.0.1:x udp:127.0.0.1:2000': /the port "x" is not an integer/,
  'foo:127.0.0.1:2000 bar:127.0.0.1:2001': /must start with "tcp:" or "udp:"/,
  // Differs from Node and Python, which both accept port 99999 (and then fail at send time).
  '127.0.0.1:99999': /the port 99999 is not between 1 and 65535/,
};

describe('parseDaemonAddress', () => {
  const node = readTable('node/node-10-daemon-address.results.json');
  const python = readTable('python/py-09-daemon-address.results.json');

  it('covers the same 22 values as the captured SDK tables', () => {
    assert.equal(node.length, 22);
    assert.deepEqual(
      python.map((row) => row.AWS_XRAY_DAEMON_ADDRESS),
      node.map((row) => row.AWS_XRAY_DAEMON_ADDRESS),
    );
    assert.deepEqual(Object.keys(EXPECTED).sort(), node.map((row) => row.AWS_XRAY_DAEMON_ADDRESS).sort());
  });

  for (const row of readTable('node/node-10-daemon-address.results.json')) {
    const value = row.AWS_XRAY_DAEMON_ADDRESS;
    const expected = EXPECTED[value];
    it(`${JSON.stringify(value)} → ${expected instanceof RegExp ? 'error' : 'ok'}`, () => {
      if (expected instanceof RegExp) {
        assert.throws(
          () => parseDaemonAddress(value),
          (error: unknown) => {
            assert.ok(error instanceof DaemonAddressError);
            assert.ok(error instanceof Error);
            assert.equal(error.value, value);
            // The message names the value and the rule.
            assert.ok(error.message.includes(JSON.stringify(value)), error.message);
            assert.match(error.message, expected);
            return true;
          },
        );
        return;
      }
      const parsed = parseDaemonAddress(value);
      assert.deepEqual(parsed, expected);
      // Where Node also succeeded with a usable address, we agree on host and (numeric) port.
      const { udp_ip, udp_port, tcp_ip, tcp_port, error } = row.result;
      if (error === undefined && udp_ip !== '[') {
        assert.equal(parsed.udp.host, udp_ip);
        assert.equal(parsed.udp.port, Number(udp_port));
        assert.equal(parsed.tcp.host, tcp_ip);
        assert.equal(parsed.tcp.port, Number(tcp_port));
      }
    });
  }

  it('accepts IPv6 in both parts of the two-address form, and upper-case keys', () => {
    assert.deepEqual(parseDaemonAddress('UDP:[::1]:2000 TCP:[fd00::5]:2001'), {
      udp: { host: '::1', port: 2000, family: 6 },
      tcp: { host: 'fd00::5', port: 2001, family: 6 },
    });
    assert.deepEqual(parseDaemonAddress('xray_daemon:65535').udp, { host: 'xray_daemon', port: 65535 });
  });

  it('rejects other malformed values with a clear message', () => {
    const cases: [unknown, RegExp][] = [
      ['', /it is empty/],
      [2000, /must be a string/],
      [undefined, /must be a string/],
      ['127.0.0.1:0', /not between 1 and 65535/],
      ['127.0.0.1:+20', /not an integer/],
      ['127.0.0.1:2e3', /not an integer/],
      ['[::1]2000', /written "\[address\]:port"/],
      ['[::1', /written "\[address\]:port"/],
      ['[127.0.0.1]:2000', /is not an IPv6 address/],
      ['bad/host:2000', /not an IPv4 address or a host name/],
      ['-host:2000', /not an IPv4 address or a host name/],
      ['udp:127.0.0.1:2000 udp:127.0.0.1:2001', /one of each/],
      ['udp2000 tcp:127.0.0.1:2001', /one of each/],
    ];
    for (const [value, rule] of cases) {
      assert.throws(() => parseDaemonAddress(value as string), rule, String(value));
    }
  });
});

describe('resolveDaemonAddress', () => {
  it('option, then AWS_XRAY_DAEMON_ADDRESS, then 127.0.0.1:2000', () => {
    const env = { AWS_XRAY_DAEMON_ADDRESS: '10.0.0.5:3000' };
    assert.deepEqual(resolveDaemonAddress('localhost:4000', env).udp, { host: 'localhost', port: 4000 });
    assert.deepEqual(resolveDaemonAddress(undefined, env).udp, { host: '10.0.0.5', port: 3000, family: 4 });
    assert.deepEqual(resolveDaemonAddress(undefined, {}), parseDaemonAddress(DEFAULT_DAEMON_ADDRESS));
    // An empty variable counts as unset (OpenTelemetry convention).
    assert.deepEqual(resolveDaemonAddress(undefined, { AWS_XRAY_DAEMON_ADDRESS: '' }).udp.port, 2000);
  });

  it('names the variable when its value is bad', () => {
    assert.throws(
      () => resolveDaemonAddress(undefined, { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1' }),
      /^DaemonAddressError: AWS_XRAY_DAEMON_ADDRESS: Invalid X-Ray daemon address "127.0.0.1"/,
    );
    assert.throws(() => resolveDaemonAddress('', {}), /it is empty/);
  });
});

describe('samplingEndpoint and formatEndpoint', () => {
  it('is the TCP part of the address, an IPv6 literal in brackets, and only that part', () => {
    assert.equal(samplingEndpoint(parseDaemonAddress('127.0.0.1:2000')), 'http://127.0.0.1:2000');
    assert.equal(samplingEndpoint(parseDaemonAddress('xray-daemon:2000')), 'http://xray-daemon:2000');
    assert.equal(samplingEndpoint(parseDaemonAddress('[::1]:2000')), 'http://[::1]:2000');
    assert.equal(
      samplingEndpoint(parseDaemonAddress('udp:127.0.0.1:2000 tcp:[fd00::5]:2001')),
      'http://[fd00::5]:2001',
    );
    assert.equal(formatEndpoint(parseDaemonAddress('udp:[::1]:2002 tcp:localhost:2003').udp), '[::1]:2002');
  });
});
