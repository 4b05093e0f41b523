/**
 * What never leaves the process by default: credentials in captured headers, in URLs and on the
 * command line. One list, used by the translator (`redact` option, daemon path) and by the SDK-side
 * span processor (collector path), so both paths send the same. Values are masked with `REDACTED`
 * (as OpenTelemetry's semantic conventions do for `url.full`), so a reader sees that something was
 * there; command lines are removed whole.
 *
 * `OTEL_AWS_XRAY_REDACT`: `false` (or `off`, `none`) turns redaction off; otherwise a comma-separated
 * list of extra names, each taken as a header name, a URL query parameter and an attribute key.
 */

/** Environment variable that extends the lists or turns redaction off. */
export const REDACT_ENV = 'OTEL_AWS_XRAY_REDACT';

/** The mask written in place of a secret. */
export const REDACTED = 'REDACTED';

/** Captured headers whose values are masked (`http.request.header.<name>`, `http.response.header.<name>`). */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'proxy-authorization',
  'x-api-key',
  'x-amz-security-token',
  'set-cookie',
];

/** URL query parameters whose values are masked (compared case-insensitively). */
export const DEFAULT_REDACTED_QUERY_PARAMETERS: readonly string[] = [
  // Presigned AWS (SigV4 and SigV2) and other clouds' signed URLs.
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'awsaccesskeyid',
  'signature',
  'sig',
  'x-goog-signature',
  'x-goog-credential',
  // OAuth and common API tokens.
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code',
  'client_secret',
  'api_key',
  'apikey',
  'api-key',
  'password',
  'passwd',
  'pwd',
  'secret',
];

/** Attributes removed whole (span or resource): the command line can carry passwords. */
export const DEFAULT_REDACTED_ATTRIBUTES: readonly string[] = [
  'process.command_args',
  'process.command_line',
];

/** The old database conventions' connection string (the stable conventions have none). */
const DB_CONNECTION_STRING = 'db.connection_string';

const REQUEST_HEADER_PREFIX = 'http.request.header.';
const RESPONSE_HEADER_PREFIX = 'http.response.header.';

/** The resolved lists; build once with {@link redactionRules}. */
export interface RedactionRules {
  /** Header names, lower case, `-` form (captured `_` forms are normalised before lookup). */
  readonly headers: ReadonlySet<string>;
  /** Query parameter names, lower case. */
  readonly queryParameters: ReadonlySet<string>;
  /** Attribute keys removed whole. */
  readonly attributes: ReadonlySet<string>;
}

/** The default lists plus `extra` names (each a header, a query parameter and an attribute key). */
export function redactionRules(extra: readonly string[] = []): RedactionRules {
  const names = extra.map((name) => name.trim()).filter((name) => name !== '');
  return {
    headers: new Set([...DEFAULT_REDACTED_HEADERS, ...names.map(headerName)]),
    queryParameters: new Set([...DEFAULT_REDACTED_QUERY_PARAMETERS, ...names.map((n) => n.toLowerCase())]),
    attributes: new Set([...DEFAULT_REDACTED_ATTRIBUTES, ...names]),
  };
}

/** The default rules, built once. */
export const DEFAULT_REDACTION_RULES: RedactionRules = redactionRules();

const OFF = new Set(['false', 'off', 'none', '0']);

/** `OTEL_AWS_XRAY_REDACT` read: `undefined` when redaction is turned off. */
export function parseRedactEnv(value: string | undefined): RedactionRules | undefined {
  const text = (value ?? '').trim();
  if (text === '' || text.toLowerCase() === 'true') return DEFAULT_REDACTION_RULES;
  if (OFF.has(text.toLowerCase())) return undefined;
  return redactionRules(text.split(','));
}

/**
 * A `redact` option resolved: `false` ⇒ off; `true` ⇒ the environment's rules (default lists when
 * unset); a list ⇒ the default lists plus it; rules as given. `fallback` is what `undefined` means.
 */
export function resolveRedaction(
  option: boolean | readonly string[] | RedactionRules | undefined,
  fallback: boolean,
  env: NodeJS.ProcessEnv = process.env,
): RedactionRules | undefined {
  const value = option ?? fallback;
  if (value === false) return undefined;
  if (value === true) return parseRedactEnv(env[REDACT_ENV]);
  if (Array.isArray(value)) return redactionRules(value as readonly string[]);
  return value as RedactionRules;
}

function headerName(name: string): string {
  const lower = name.toLowerCase();
  // Runs for every captured header of every span: no replace (a new string) when there is no `_`.
  return lower.indexOf('_') < 0 ? lower : lower.replace(/_/g, '-');
}

/** The header name of a captured-header attribute key, or undefined for any other key. */
function capturedHeader(key: string): string | undefined {
  if (key.startsWith(REQUEST_HEADER_PREFIX)) return headerName(key.slice(REQUEST_HEADER_PREFIX.length));
  if (key.startsWith(RESPONSE_HEADER_PREFIX)) return headerName(key.slice(RESPONSE_HEADER_PREFIX.length));
  return undefined;
}

/** Masked keeps the value's shape (captured headers are string arrays); a masked value is kept as is. */
function maskValue(value: unknown): unknown {
  if (Array.isArray(value))
    return value.every((item) => item === REDACTED) ? value : value.map(() => REDACTED);
  return value === REDACTED ? value : REDACTED;
}

/** `query` (no leading `?`) with the values of listed parameters masked; the same string when none is. */
export function redactQuery(query: string, rules: RedactionRules = DEFAULT_REDACTION_RULES): string {
  if (query === '') return query;
  const parts = query.split('&');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    if (eq < 0 || part.length === eq + 1) continue;
    let name = rawName;
    // Most names have nothing to decode: no decodeURIComponent (and its try) for them.
    if (rawName.indexOf('%') >= 0 || rawName.indexOf('+') >= 0) {
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: compare the name as written.
      }
    }
    if (rules.queryParameters.has(name.toLowerCase())) {
      parts[i] = rawName + '=' + REDACTED;
      changed = true;
    }
  }
  return changed ? parts.join('&') : query;
}

/** A path or URL with `?query` (and maybe `#fragment`): the query redacted. */
function redactTarget(target: string, rules: RedactionRules): string {
  const q = target.indexOf('?');
  if (q < 0) return target;
  const hash = target.indexOf('#', q);
  const end = hash < 0 ? target.length : hash;
  const query = target.slice(q + 1, end);
  const redacted = redactQuery(query, rules);
  return redacted === query ? target : target.slice(0, q + 1) + redacted + target.slice(end);
}

/**
 * `url` with `user:password@` masked and listed query parameters masked; the same string when it
 * holds no secret. Never throws; text that is not a URL is checked for a query only.
 */
export function redactUrl(url: string, rules: RedactionRules = DEFAULT_REDACTION_RULES): string {
  let out = url;
  const scheme = url.indexOf('://');
  if (scheme > 0) {
    const start = scheme + 3;
    let end = url.length;
    for (let i = start; i < url.length; i++) {
      const c = url.charCodeAt(i);
      if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
        end = i;
        break;
      }
    }
    const at = url.lastIndexOf('@', end - 1);
    if (at >= start) {
      const userinfo = url.slice(start, at);
      const masked = userinfo.includes(':') ? `${REDACTED}:${REDACTED}` : REDACTED;
      out = url.slice(0, start) + masked + url.slice(at);
    }
  }
  return redactTarget(out, rules);
}

/**
 * A database connection string with its secrets masked; the same string when it holds none.
 * URL-shaped values (`postgresql://user:secret@db:5432/shop`, `jdbc:mysql://…`) go through
 * {@link redactUrl} (`user:password@` and listed query parameters); then, in `key=value` pairs
 * separated by `;` (ADO.NET and ODBC `Server=db;User Id=app;Password=secret`, JDBC SQL Server
 * `jdbc:sqlserver://db:1433;password=secret`), the values of the listed query parameter names
 * (`password`, `pwd`, …, compared case-insensitively, spaces around the name ignored) are masked,
 * a quoted value whole.
 */
export function redactConnectionString(
  value: string,
  rules: RedactionRules = DEFAULT_REDACTION_RULES,
): string {
  const url = value.indexOf('://') > 0 ? redactUrl(value, rules) : value;
  return url.indexOf(';') < 0 ? url : redactPairs(url, rules);
}

/** `;`-separated `key=value` pairs with the listed keys' values masked; the same string when none is. */
function redactPairs(text: string, rules: RedactionRules): string {
  let out = '';
  let copied = 0;
  let start = 0;
  while (start < text.length) {
    const eq = text.indexOf('=', start);
    let end = text.indexOf(';', start);
    if (end < 0) end = text.length;
    if (eq < 0) break;
    if (eq > end) {
      start = end + 1;
      continue;
    }
    // A quoted value ends at its closing quote (it may hold `;`), the pair at the next `;` after it.
    let valueStart = eq + 1;
    while (valueStart < text.length && text.charCodeAt(valueStart) === 32 /* space */) valueStart++;
    const quote = text.charCodeAt(valueStart);
    if (quote === 34 /* " */ || quote === 39 /* ' */) {
      const close = text.indexOf(text[valueStart], valueStart + 1);
      const after = close < 0 ? text.length : close + 1;
      end = text.indexOf(';', after);
      if (end < 0) end = text.length;
    }
    const masked = end - valueStart === REDACTED.length && text.startsWith(REDACTED, valueStart);
    if (
      end > valueStart &&
      !masked &&
      rules.queryParameters.has(text.slice(start, eq).trim().toLowerCase())
    ) {
      out += text.slice(copied, valueStart) + REDACTED;
      copied = end;
    }
    start = end + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * True for the keys whose values {@link redactAttribute} may mask: a captured header
 * (`http.request.header.*`, `http.response.header.*`), a URL (`http.url`, `http.target`,
 * `url.full`, `url.query`) or a database connection string. Every other key keeps its value unless
 * the rules remove it whole (`rules.attributes`). This runs for every attribute of every span, so
 * other keys are skipped after a character or two.
 */
export function isMaskableAttributeKey(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first === 104 /* h */)
    return (
      key === 'http.url' ||
      key === 'http.target' ||
      key.startsWith(REQUEST_HEADER_PREFIX) ||
      key.startsWith(RESPONSE_HEADER_PREFIX)
    );
  if (first === 117 /* u */) return key === 'url.full' || key === 'url.query';
  return first === 100 /* d */ && key === DB_CONNECTION_STRING;
}

/**
 * The redacted value of one attribute: `undefined` ⇒ remove the attribute; the same value (===)
 * when nothing needs to change.
 */
export function redactAttribute(
  key: string,
  value: unknown,
  rules: RedactionRules = DEFAULT_REDACTION_RULES,
): unknown {
  if (rules.attributes.has(key)) return undefined;
  const header = capturedHeader(key);
  if (header !== undefined) return rules.headers.has(header) ? maskValue(value) : value;
  if (typeof value !== 'string') return value;
  if (key === 'http.url' || key === 'url.full') return redactUrl(value, rules);
  if (key === DB_CONNECTION_STRING) return redactConnectionString(value, rules);
  if (key === 'http.target') return redactTarget(value, rules);
  if (key === 'url.query') {
    // The stable key holds the query without `?`; tolerate one.
    const mark = value.startsWith('?') ? '?' : '';
    const query = value.slice(mark.length);
    const redacted = redactQuery(query, rules);
    return redacted === query ? value : mark + redacted;
  }
  return value;
}

/**
 * `attributes` redacted: the same object when nothing is secret (the common case allocates
 * nothing), else a copy with secrets masked and command lines removed.
 */
export function redactAttributes<T extends Record<string, unknown>>(
  attributes: T,
  rules: RedactionRules = DEFAULT_REDACTION_RULES,
): T {
  let copy: Record<string, unknown> | undefined;
  for (const key in attributes) {
    if (!isMaskableAttributeKey(key) && !rules.attributes.has(key)) continue;
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    const value = attributes[key];
    const redacted = redactAttribute(key, value, rules);
    if (redacted === value) continue;
    copy ??= { ...attributes };
    if (redacted === undefined) delete copy[key];
    else copy[key] = redacted;
  }
  return (copy ?? attributes) as T;
}
