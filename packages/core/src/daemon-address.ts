/**
 * `AWS_XRAY_DAEMON_ADDRESS` parsing (xray-protocol.md §7.1).
 *
 * Documented forms: `host:port` (the same address for UDP segments and the TCP sampling proxy) and
 * `tcp:host:port udp:host:port` in either order, separated by exactly one space. We are stricter than
 * the classic SDKs where they are sloppy (§12 item 5: Node keeps the port as a string and accepts
 * `127.0.0.1:`, `127.0.0.1:abc`, `127.0.0.1:99999`, and silently ignores a value with two spaces or
 * a third part) and we accept one thing none of them does: an IPv6 literal in brackets, `[::1]:2000`.
 * A bad value throws a {@link DaemonAddressError} naming the value and the rule it breaks.
 */
import { isIP } from 'node:net';
import { DEFAULT_DAEMON_ADDRESS } from './constants';
import { DAEMON_ADDRESS_ENV } from './env';

/** One endpoint of the daemon. `family` is set when `host` is an IP literal (no DNS needed). */
export interface DaemonEndpoint {
  /** Host name or IP address; an IPv6 address without its brackets. */
  host: string;
  /** Integer 1–65535. */
  port: number;
  /** 4 or 6 when `host` is an IP literal; absent for a host name (resolved with `dns.lookup`). */
  family?: 4 | 6;
}

/** Where segments go (`udp`) and where the sampling proxy listens (`tcp`). */
export interface DaemonAddress {
  udp: DaemonEndpoint;
  tcp: DaemonEndpoint;
}

/** Thrown by {@link parseDaemonAddress} for a value it cannot use; `value` is the offending input. */
export class DaemonAddressError extends Error {
  readonly value: unknown;

  constructor(value: unknown, rule: string) {
    super(
      `Invalid X-Ray daemon address ${JSON.stringify(value)}: ${rule}. ` +
        'Expected "host:port" (e.g. "127.0.0.1:2000", "[::1]:2000", "xray-daemon:2000") or ' +
        '"tcp:host:port udp:host:port".',
    );
    this.name = 'DaemonAddressError';
    this.value = value;
  }
}

// Letters, digits, `-`, `_` and `.`: DNS names as resolvers accept them (underscores appear in
// Docker/Compose service names).
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/;
const DIGITS = /^[0-9]+$/;

/**
 * Parses a daemon address. Throws {@link DaemonAddressError} for anything else than the two
 * documented forms with a host and an integer port 1–65535.
 */
export function parseDaemonAddress(value: string): DaemonAddress {
  if (typeof value !== 'string') throw new DaemonAddressError(value, 'it must be a string');
  if (value.length === 0) throw new DaemonAddressError(value, 'it is empty');
  if (value.trim() !== value) {
    throw new DaemonAddressError(value, 'it has leading or trailing whitespace');
  }
  const parts = value.split(' ');
  if (parts.length === 1) {
    const lower = value.toLowerCase();
    if (lower.startsWith('tcp:') || lower.startsWith('udp:')) {
      throw new DaemonAddressError(value, 'the "tcp:… udp:…" form needs both a tcp and a udp address');
    }
    const endpoint = parseEndpoint(value, value);
    return { udp: endpoint, tcp: { ...endpoint } };
  }
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new DaemonAddressError(
      value,
      'the two-address form is exactly "tcp:host:port udp:host:port" with one space between them',
    );
  }
  let udp: DaemonEndpoint | undefined;
  let tcp: DaemonEndpoint | undefined;
  for (const part of parts) {
    const colon = part.indexOf(':');
    const key = colon < 0 ? '' : part.slice(0, colon).toLowerCase();
    if (key === 'udp' && udp === undefined) udp = parseEndpoint(part.slice(colon + 1), value);
    else if (key === 'tcp' && tcp === undefined) tcp = parseEndpoint(part.slice(colon + 1), value);
    else {
      throw new DaemonAddressError(
        value,
        'each of the two addresses must start with "tcp:" or "udp:", one of each',
      );
    }
  }
  return { udp: udp as DaemonEndpoint, tcp: tcp as DaemonEndpoint };
}

/** `host:port`, `[ipv6]:port`. `whole` is the full value, for the error message. */
function parseEndpoint(text: string, whole: string): DaemonEndpoint {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text.charCodeAt(close + 1) !== 0x3a /* : */) {
      throw new DaemonAddressError(whole, 'an IPv6 address is written "[address]:port"');
    }
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (isIP(host) !== 6) throw new DaemonAddressError(whole, `"${host}" is not an IPv6 address`);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw new DaemonAddressError(whole, 'it needs a host and a port, "host:port"');
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.length === 0) throw new DaemonAddressError(whole, 'the host is missing');
    if (host.includes(':')) {
      throw new DaemonAddressError(whole, 'an IPv6 address must be in brackets, "[address]:port"');
    }
    if (isIP(host) !== 4 && !HOST_NAME.test(host)) {
      throw new DaemonAddressError(whole, `"${host}" is not an IPv4 address or a host name`);
    }
  }
  if (!DIGITS.test(portText)) {
    throw new DaemonAddressError(whole, `the port ${JSON.stringify(portText)} is not an integer`);
  }
  const port = Number(portText);
  if (port < 1 || port > 65535) {
    throw new DaemonAddressError(whole, `the port ${portText} is not between 1 and 65535`);
  }
  const family = isIP(host);
  return family === 4 || family === 6 ? { host, port, family } : { host, port };
}

/**
 * The daemon address to use, in one place: the option when given, else `AWS_XRAY_DAEMON_ADDRESS`
 * when set and not empty, else {@link DEFAULT_DAEMON_ADDRESS}. Throws {@link DaemonAddressError}.
 */
export function resolveDaemonAddress(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DaemonAddress {
  if (option !== undefined) return parseDaemonAddress(option);
  const fromEnv = env[DAEMON_ADDRESS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    try {
      return parseDaemonAddress(fromEnv);
    } catch (error) {
      (error as Error).message = `${DAEMON_ADDRESS_ENV}: ${(error as Error).message}`;
      throw error;
    }
  }
  return parseDaemonAddress(DEFAULT_DAEMON_ADDRESS);
}

/** `host:port` of an endpoint, an IPv6 address in brackets: for messages and URLs. */
export function formatEndpoint(endpoint: DaemonEndpoint): string {
  return (endpoint.family === 6 ? `[${endpoint.host}]` : endpoint.host) + ':' + endpoint.port;
}

/**
 * The sampling proxy's base URL (`http://host:port`, no trailing slash): the TCP part of the daemon
 * address, where the daemon serves `POST /GetSamplingRules` and `POST /SamplingTargets` (§5).
 */
export function samplingEndpoint(address: DaemonAddress): string {
  return 'http://' + formatEndpoint(address.tcp);
}
