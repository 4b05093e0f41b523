/**
 * Segment name and namespace (translator-spec.md §2.1, §3). X-Ray names are service names, span
 * names are operations: the first non-empty service-like attribute wins, the sanitized span name is
 * the last resort.
 *
 * Deviation (option `cleanNames`, default on): every name is one X-Ray accepts (@xray-otel/core
 * `isXRayName`). The collector uses names from attributes verbatim, and X-Ray rejects the whole
 * document when one breaks its rule (`orders (prod)`, a 300-character name); its span-name cut can
 * fall inside a character, which its JSON encoder writes as U+FFFD, also rejected. With `cleanNames`
 * a name from an attribute is kept when valid and cleaned otherwise (`toXRayName`), an attribute that
 * cleans to nothing counts as empty (the next step is tried), and the span name is cut between
 * characters (`cleanXRayName`). `cleanNames: false` gives the collector's names exactly.
 *
 * Deviation (option `stableDbConventions`, default on): step 6 also names a span of the stable
 * database conventions, which has no `db.name`: `<db.namespace>@<server.address>` (`shop@127.0.0.1`,
 * the classic SDK's Postgres and MySQL subsegment name), the host from `db.connection_string` when
 * present. Not for AWS SDK spans: the DynamoDB instrumentation writes the table as `db.namespace`,
 * and the call is named after the service (`DynamoDB`, step 8).
 */
import { cleanXRayName, DEFAULT_XRAY_NAME, toXRayName, XRAY_NAME_MAX_BYTES } from '@xray-otel/core';
import {
  AWS_CFN_NAME_PREFIX,
  AWS_LOCAL_SERVICE,
  AWS_REMOTE_SERVICE,
  AWS_SDK_NAME_PREFIX,
  AWS_SERVICE,
  AWS_SPAN_KIND,
  DB_CONNECTION_STRING,
  DB_NAME,
  DB_NAMESPACE,
  HTTP_HOST,
  JDBC_PREFIX,
  KIND_CLIENT,
  KIND_CONSUMER,
  KIND_INTERNAL,
  KIND_PRODUCER,
  KIND_SERVER,
  LOCAL_ROOT,
  NAMESPACE_AWS,
  NAMESPACE_REMOTE,
  NET_PEER_NAME,
  PEER_SERVICE,
  RPC_SERVICE,
  SERVER_ADDRESS,
  SERVICE_NAME,
} from './constants';
import type { AttributesLike } from './types';
import { str } from './values';

export interface NameAndNamespace {
  name: string;
  namespace: 'aws' | 'remote' | undefined;
}

/**
 * A name taken from an attribute value (§3 steps 1–10, the LOCAL_ROOT overrides of §2.2): verbatim
 * (the collector), or with `cleanNames` as X-Ray accepts it, `''` when nothing of it is usable.
 */
export function attributeName(value: unknown, cleanNames: boolean): string {
  const name = str(value);
  return cleanNames && name !== '' ? toXRayName(name, '') : name;
}

/** §3 steps 1–11 plus the namespace rules of §2.1. */
export function makeName(
  spanName: unknown,
  kind: number,
  attributes: AttributesLike,
  resourceAttributes: AttributesLike,
  isAwsSdkSpan: boolean,
  cleanNames: boolean,
  stableDbConventions: boolean,
): NameAndNamespace {
  let name = '';
  let namespace: 'aws' | 'remote' | undefined = isAwsSdkSpan ? NAMESPACE_AWS : undefined;

  if (kind === KIND_SERVER || (kind === KIND_INTERNAL && attributes[AWS_SPAN_KIND] === LOCAL_ROOT)) {
    name = attributeName(attributes[AWS_LOCAL_SERVICE], cleanNames);
  } else if (kind === KIND_CLIENT || kind === KIND_PRODUCER || kind === KIND_CONSUMER) {
    name = remoteServiceName(attributes[AWS_REMOTE_SERVICE], isAwsSdkSpan, cleanNames);
  }
  if (name === '') name = attributeName(attributes[PEER_SERVICE], cleanNames);
  if (name === '') {
    const awsService = attributes[AWS_SERVICE];
    if (awsService !== undefined) {
      // The collector sets the namespace whenever the attribute exists, even empty.
      name = attributeName(awsService, cleanNames);
      if (namespace === undefined) namespace = NAMESPACE_AWS;
    }
  }
  if (name === '') {
    const dbName = attributes[DB_NAME];
    if (dbName !== undefined) {
      name = str(dbName);
      const connection = attributes[DB_CONNECTION_STRING];
      if (connection !== undefined) {
        const host = connectionHost(connection);
        if (host !== '') name += '@' + host;
      }
      if (cleanNames) name = attributeName(name, true);
    } else if (stableDbConventions && !isAwsSdkSpan) {
      name = stableDatabaseName(attributes, cleanNames);
    }
  }
  if (name === '' && kind === KIND_SERVER) name = attributeName(resourceAttributes[SERVICE_NAME], cleanNames);
  if (name === '') name = attributeName(attributes[RPC_SERVICE], cleanNames);
  if (name === '') name = attributeName(attributes[HTTP_HOST], cleanNames);
  if (name === '') name = attributeName(attributes[NET_PEER_NAME], cleanNames);
  if (name === '') {
    const text = typeof spanName === 'string' ? spanName : '';
    name = cleanNames ? cleanXRayName(text) : fixSegmentName(text);
  }
  if (namespace === undefined && kind === KIND_CLIENT) namespace = NAMESPACE_REMOTE;
  return { name, namespace };
}

/** The host name of `db.connection_string` (a leading `jdbc:` removed); `''` when it has none. */
function connectionHost(connection: unknown): string {
  let url = str(connection);
  if (url.startsWith(JDBC_PREFIX)) url = url.slice(JDBC_PREFIX.length);
  return urlHostname(url);
}

/**
 * Step 6 for the stable database conventions: `db.namespace`, then `@` and the host of
 * `db.connection_string`, else `server.address`; `''` without a `db.namespace`.
 */
function stableDatabaseName(attributes: AttributesLike, cleanNames: boolean): string {
  let name = str(attributes[DB_NAMESPACE]);
  if (name === '') return '';
  const connection = attributes[DB_CONNECTION_STRING];
  const host = connection !== undefined ? connectionHost(connection) : str(attributes[SERVER_ADDRESS]);
  if (host !== '') name += '@' + host;
  return cleanNames ? attributeName(name, true) : name;
}

/**
 * `aws.remote.service`, with `AWS.SDK.` or else `AWS::` trimmed on AWS SDK spans (§3 step 3);
 * cleaned after trimming with `cleanNames` (see {@link attributeName}).
 */
export function remoteServiceName(value: unknown, isAwsSdkSpan: boolean, cleanNames: boolean): string {
  let name = str(value);
  if (isAwsSdkSpan) {
    if (name.startsWith(AWS_SDK_NAME_PREFIX)) name = name.slice(AWS_SDK_NAME_PREFIX.length);
    else if (name.startsWith(AWS_CFN_NAME_PREFIX)) name = name.slice(AWS_CFN_NAME_PREFIX.length);
  }
  return cleanNames ? attributeName(name, true) : name;
}

// A character is at most 4 bytes of UTF-8: a cut inside one leaves at least 197 bytes before it.
const MIN_BYTES_BEFORE_CUT = XRAY_NAME_MAX_BYTES - 3;

/**
 * §3 step 11 exactly as the collector does it: the span name cleaned like @xray-otel/core
 * `cleanXRayName` (the alphabet lives there), except that Go cuts 200 bytes of UTF-8 inside a
 * character, and its JSON encoder writes each byte of that partial character as U+FFFD. Empty ⇒
 * `span`. Used with `cleanNames: false`; X-Ray rejects a name with U+FFFD.
 */
export function fixSegmentName(spanName: string): string {
  const cleaned = cleanXRayName(spanName, '');
  if (cleaned === '') return DEFAULT_XRAY_NAME;
  // A UTF-16 unit is at most 3 bytes: short names need no measuring.
  if (cleaned.length * 3 < MIN_BYTES_BEFORE_CUT) return cleaned;
  const bytes = Buffer.byteLength(cleaned, 'utf8');
  if (bytes < MIN_BYTES_BEFORE_CUT || bytes >= XRAY_NAME_MAX_BYTES) return cleaned;
  // cleanXRayName stops at the first allowed character that does not fit: one is left iff Go cut it.
  const rest = spanName.slice(endOfSubsequence(spanName, cleaned));
  return cleanXRayName(rest, '') === '' ? cleaned : cleaned + '\ufffd'.repeat(XRAY_NAME_MAX_BYTES - bytes);
}

/**
 * Where `prefix`, a subsequence of `value`'s code points (what cleaning keeps, in order), ends in
 * `value`. Matching code points greedily is exact: a deleted code point is never an allowed one.
 */
function endOfSubsequence(value: string, prefix: string): number {
  let i = 0;
  let j = 0;
  while (j < prefix.length && i < value.length) {
    const cp = value.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp === prefix.codePointAt(j)) j += width;
    i += width;
  }
  return i;
}

/** The host name of a URL as Go's `url.Parse(s).Hostname()` reports it; `''` when none or unparsable. */
export function urlHostname(url: string): string {
  // scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  let i = 0;
  const first = url.charCodeAt(0);
  if ((first >= 65 && first <= 90) || (first >= 97 && first <= 122)) {
    for (i = 1; i < url.length; i++) {
      const c = url.charCodeAt(i);
      const ok =
        (c >= 65 && c <= 90) ||
        (c >= 97 && c <= 122) ||
        (c >= 48 && c <= 57) ||
        c === 43 ||
        c === 45 ||
        c === 46;
      if (!ok) break;
    }
    if (url.charCodeAt(i) === 58 /* : */) i += 1;
    else i = 0;
  }
  if (!url.startsWith('//', i)) return '';
  const authorityStart = i + 2;
  let authorityEnd = url.length;
  for (let j = authorityStart; j < url.length; j++) {
    const c = url.charCodeAt(j);
    if (c === 47 || c === 63 || c === 35) {
      authorityEnd = j;
      break;
    }
  }
  let host = url.slice(authorityStart, authorityEnd);
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return '';
    const rest = host.slice(close + 1);
    if (rest !== '' && !isPort(rest)) return '';
    return host.slice(1, close);
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    if (!isPort(host.slice(colon))) return '';
    host = host.slice(0, colon);
  }
  return host;
}

function isPort(text: string): boolean {
  if (text.charCodeAt(0) !== 58) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
