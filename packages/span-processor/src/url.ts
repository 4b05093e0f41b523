/**
 * The two things the rules need from a URL: `host[:port]` (an uninstrumented downstream's name) and
 * the first path segment (a low-cardinality operation). ADOT parses with `new URL()`; this runs for
 * every HTTP client span, so it scans with `charCodeAt` instead: no allocation beyond the returned
 * string, no exception to catch. Text that is not an absolute `scheme://authority` URL gives `''`.
 */

const SLASH = 47;
const QUESTION = 63;
const HASH = 35;
const COLON = 58;
const CLOSE_BRACKET = 93;

/** Index just after `://` when `url` starts with `scheme://`, else -1. */
function authorityStart(url: string): number {
  const colon = url.indexOf('://');
  if (colon <= 0) return -1;
  for (let i = 0; i < colon; i++) {
    const c = url.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter && (i === 0 || !((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46))) return -1;
  }
  return colon + 3;
}

/** Index of the first `/`, `?` or `#` at or after `from`, else `url.length`. */
function authorityEnd(url: string, from: number): number {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === SLASH || c === QUESTION || c === HASH) return i;
  }
  return url.length;
}

/** Where the host starts in the authority `[start, end)`: after the user info's last `@`. */
function hostStartOf(url: string, start: number, end: number): number {
  const at = url.lastIndexOf('@', end - 1);
  return at >= start ? at + 1 : start;
}

/** The `:` before the port: the last one not inside an IPv6 literal's brackets; -1 when none. */
function portColon(url: string, hostStart: number, end: number): number {
  for (let i = end - 1; i >= hostStart; i--) {
    const c = url.charCodeAt(i);
    if (c === COLON) return i;
    if (c === CLOSE_BRACKET) return -1;
  }
  return -1;
}

/** The port a scheme uses when none is written (WHATWG URL's special schemes), as `new URL` drops it. */
function defaultPort(url: string, schemeEnd: number): string {
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  if (scheme === 'http' || scheme === 'ws') return '80';
  if (scheme === 'https' || scheme === 'wss') return '443';
  if (scheme === 'ftp') return '21';
  return '';
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * `hostname[:port]` of an absolute URL as `new URL(url)` reports it (host lower-cased, user info
 * dropped, a scheme's default port dropped, IPv6 in brackets); `''` when there is no host.
 */
export function urlHostAndPort(url: string): string {
  const start = authorityStart(url);
  if (start < 0) return '';
  const end = authorityEnd(url, start);
  const hostStart = hostStartOf(url, start, end);
  const colon = portColon(url, hostStart, end);
  const host = url.slice(hostStart, colon < 0 ? end : colon).toLowerCase();
  if (host === '') return '';
  const port = colon < 0 ? '' : url.slice(colon + 1, end);
  if (port === '' || !isDigits(port)) return host;
  const normalized = String(Number(port));
  return normalized === defaultPort(url, start - 3) ? host : host + ':' + normalized;
}

/** The path of an absolute URL (`/` when it has none); `undefined` when `url` is not absolute. */
export function urlPath(url: string): string | undefined {
  const start = authorityStart(url);
  if (start < 0) return undefined;
  const pathStart = authorityEnd(url, start);
  if (pathStart === url.length || url.charCodeAt(pathStart) !== SLASH) return '/';
  let pathEnd = url.length;
  for (let i = pathStart; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === QUESTION || c === HASH) {
      pathEnd = i;
      break;
    }
  }
  return url.slice(pathStart, pathEnd);
}

/**
 * ADOT's `extractAPIPathValue`: `'/'` + the text between the first and the second `/`, `?` or `#`
 * (`/payment/1234` → `/payment`, `/search?q=x` → `/search`); `'/'` when there is none.
 */
export function firstPathSegment(path: string): string {
  let first = -1;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === SLASH || c === QUESTION || c === HASH) {
      first = i;
      break;
    }
  }
  if (first < 0) return '/';
  let second = path.length;
  for (let i = first + 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === SLASH || c === QUESTION || c === HASH) {
      second = i;
      break;
    }
  }
  return second === first + 1 ? '/' : '/' + path.slice(first + 1, second);
}

/** `host` and `port` of a connection string `scheme://[user@]host[:port]/...` (`jdbc:` prefixes too). */
export function connectionHostAndPort(connection: string): { host: string; port: string } | undefined {
  const marker = connection.indexOf('://');
  if (marker < 0) return undefined;
  const start = marker + 3;
  const end = authorityEnd(connection, start);
  const hostStart = hostStartOf(connection, start, end);
  const colon = portColon(connection, hostStart, end);
  const host = connection.slice(hostStart, colon < 0 ? end : colon).toLowerCase();
  if (host === '') return undefined;
  const port = colon < 0 ? '' : connection.slice(colon + 1, end);
  return { host, port: isDigits(port) ? port : '' };
}
