/**
 * Segment name and namespace (translator-spec.md §2.1, §3). X-Ray names are service names, span
 * names are operations: the first non-empty service-like attribute wins, the sanitized span name is
 * the last resort.
 */
import {
  AWS_CFN_NAME_PREFIX,
  AWS_LOCAL_SERVICE,
  AWS_REMOTE_SERVICE,
  AWS_SDK_NAME_PREFIX,
  AWS_SERVICE,
  AWS_SPAN_KIND,
  DB_CONNECTION_STRING,
  DB_NAME,
  DEFAULT_SEGMENT_NAME,
  HTTP_HOST,
  JDBC_PREFIX,
  KIND_CLIENT,
  KIND_CONSUMER,
  KIND_INTERNAL,
  KIND_PRODUCER,
  KIND_SERVER,
  LOCAL_ROOT,
  MAX_SEGMENT_NAME_BYTES,
  NAMESPACE_AWS,
  NAMESPACE_REMOTE,
  NET_PEER_NAME,
  PEER_SERVICE,
  RPC_SERVICE,
  SERVICE_NAME,
} from './constants';
import type { AttributesLike } from './types';
import { str } from './values';

export interface NameAndNamespace {
  name: string;
  namespace: 'aws' | 'remote' | undefined;
}

/** §3 steps 1–11 plus the namespace rules of §2.1. */
export function makeName(
  spanName: unknown,
  kind: number,
  attributes: AttributesLike,
  resourceAttributes: AttributesLike,
  isAwsSdkSpan: boolean,
): NameAndNamespace {
  let name = '';
  let namespace: 'aws' | 'remote' | undefined = isAwsSdkSpan ? NAMESPACE_AWS : undefined;

  if (kind === KIND_SERVER || (kind === KIND_INTERNAL && attributes[AWS_SPAN_KIND] === LOCAL_ROOT)) {
    name = str(attributes[AWS_LOCAL_SERVICE]);
  } else if (kind === KIND_CLIENT || kind === KIND_PRODUCER || kind === KIND_CONSUMER) {
    name = remoteServiceName(attributes[AWS_REMOTE_SERVICE], isAwsSdkSpan);
  }
  if (name === '') name = str(attributes[PEER_SERVICE]);
  if (name === '') {
    const awsService = attributes[AWS_SERVICE];
    if (awsService !== undefined) {
      name = str(awsService);
      if (namespace === undefined) namespace = NAMESPACE_AWS;
    }
  }
  if (name === '') {
    const dbName = attributes[DB_NAME];
    if (dbName !== undefined) {
      name = str(dbName);
      const connection = attributes[DB_CONNECTION_STRING];
      if (connection !== undefined) {
        let url = str(connection);
        if (url.startsWith(JDBC_PREFIX)) url = url.slice(JDBC_PREFIX.length);
        const host = urlHostname(url);
        if (host !== '') name += '@' + host;
      }
    }
  }
  if (name === '' && kind === KIND_SERVER) name = str(resourceAttributes[SERVICE_NAME]);
  if (name === '') name = str(attributes[RPC_SERVICE]);
  if (name === '') name = str(attributes[HTTP_HOST]);
  if (name === '') name = str(attributes[NET_PEER_NAME]);
  if (name === '') name = fixSegmentName(typeof spanName === 'string' ? spanName : '');
  if (namespace === undefined && kind === KIND_CLIENT) namespace = NAMESPACE_REMOTE;
  return { name, namespace };
}

/** `aws.remote.service`, with `AWS.SDK.` or else `AWS::` trimmed on AWS SDK spans (§3 step 3). */
export function remoteServiceName(value: unknown, isAwsSdkSpan: boolean): string {
  const name = str(value);
  if (isAwsSdkSpan) {
    if (name.startsWith(AWS_SDK_NAME_PREFIX)) return name.slice(AWS_SDK_NAME_PREFIX.length);
    if (name.startsWith(AWS_CFN_NAME_PREFIX)) return name.slice(AWS_CFN_NAME_PREFIX.length);
  }
  return name;
}

const LETTER = /^\p{L}$/u;

function isAllowedAscii(cp: number): boolean {
  return (
    cp === 32 ||
    (cp >= 48 && cp <= 57) ||
    (cp >= 65 && cp <= 90) ||
    (cp >= 97 && cp <= 122) ||
    cp === 95 /* _ */ ||
    cp === 46 /* . */ ||
    cp === 58 /* : */ ||
    cp === 47 /* / */ ||
    cp === 37 /* % */ ||
    cp === 38 /* & */ ||
    cp === 35 /* # */ ||
    cp === 61 /* = */ ||
    cp === 43 /* + */ ||
    cp === 45 /* - */ ||
    cp === 64 /* @ */
  );
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * §3 step 11: keep space, ASCII digits, Unicode letters and `_.:/%&#=+-@`; cut to 200 bytes of
 * UTF-8. Go slices bytes, and its JSON encoder writes each byte of a cut character as U+FFFD; we
 * do the same so the name matches the collector's. Empty ⇒ `span`.
 */
export function fixSegmentName(spanName: string): string {
  let out = '';
  let bytes = 0;
  let changed = false;
  const length = spanName.length;
  for (let i = 0; i < length; i++) {
    let cp = spanName.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < length) {
      const low = spanName.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        width = 2;
      }
    }
    // A lone surrogate is not a letter: dropped like any other disallowed character.
    const allowed =
      cp < 128
        ? isAllowedAscii(cp)
        : (cp < 0xd800 || cp > 0xdfff) && LETTER.test(spanName.slice(i, i + width));
    if (!allowed) {
      if (!changed) {
        out = spanName.slice(0, i);
        changed = true;
      }
    } else {
      const size = utf8Length(cp);
      if (bytes + size > MAX_SEGMENT_NAME_BYTES) {
        if (!changed) {
          out = spanName.slice(0, i);
          changed = true;
        }
        out += '\ufffd'.repeat(MAX_SEGMENT_NAME_BYTES - bytes);
        break;
      }
      bytes += size;
      if (changed) out += spanName.slice(i, i + width);
    }
    i += width - 1;
  }
  const name = changed ? out : spanName;
  return name.length === 0 ? DEFAULT_SEGMENT_NAME : name;
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
