/**
 * One UDP datagram, parsed exactly as the X-Ray daemon does (xray-protocol.md §1.2): split at the
 * first `\n`; the header must be JSON with `format` equal to `json` (case-insensitive) and `version`
 * 1; the rest is one segment document. ADOT's OTLP-over-UDP body (`T1S`/`T1U` + base64 of an
 * `ExportTraceServiceRequest`, §11) is recognised too. Pure: no I/O, never throws.
 */

/** What follows the header line. */
export type DatagramBody =
  | { kind: 'document'; /** The document text (UTF-8). */ text: string; /** Its UTF-8 size. */ bytes: number }
  | {
      kind: 'otlp';
      /** `T1S` (sampled) or `T1U`. */ sampled: boolean;
      /** Decoded protobuf bytes. */ payload: Uint8Array;
    };

export type DatagramResult =
  | { ok: true; header: { format: string; version: number }; body: DatagramBody }
  | { ok: false; reason: 'invalid-header' | 'invalid-otlp'; detail: string };

import { OTLP_UDP_SAMPLED_PREFIX, OTLP_UDP_UNSAMPLED_PREFIX } from '@xray-otel/core';

const NEWLINE = 0x0a;
/** ADOT `OTLPUdpSpanExporter` body prefixes (xray-protocol.md §11), from @xray-otel/core. */
export const OTLP_SAMPLED_PREFIX = OTLP_UDP_SAMPLED_PREFIX;
export const OTLP_UNSAMPLED_PREFIX = OTLP_UDP_UNSAMPLED_PREFIX;

function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '...' : text);
}

/** The daemon's header check: `strings.EqualFold(format, "json") && version == 1`, extra keys ignored. */
export function parseHeader(
  line: string,
): { ok: true; format: string; version: number } | { ok: false; detail: string } {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    return { ok: false, detail: `header ${quote(line)} is not JSON` };
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    return { ok: false, detail: `header ${quote(line)} is not a JSON object` };
  }
  const { format, version } = header as { format?: unknown; version?: unknown };
  if (typeof format !== 'string' || format.toLowerCase() !== 'json') {
    return {
      ok: false,
      detail: `header format must be "json", got ${quote(JSON.stringify(format) ?? 'undefined')}`,
    };
  }
  if (version !== 1) {
    return {
      ok: false,
      detail: `header version must be the number 1, got ${quote(JSON.stringify(version) ?? 'undefined')}`,
    };
  }
  return { ok: true, format, version };
}

/** Base64 (standard or URL-safe, padding optional), checked strictly: Buffer.from alone skips junk. */
function decodeBase64(text: string): Buffer | undefined {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */) end--;
  if (text.length - end > 2) return undefined;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2b ||
      c === 0x2f ||
      c === 0x2d ||
      c === 0x5f;
    if (!ok) return undefined;
  }
  if (end % 4 === 1) return undefined;
  return Buffer.from(text.slice(0, end), text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
}

/** Parse one datagram. */
export function parseDatagram(datagram: Uint8Array): DatagramResult {
  const bytes = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const newline = bytes.indexOf(NEWLINE);
  if (newline < 0)
    return {
      ok: false,
      reason: 'invalid-header',
      detail: 'missing header or segment: no newline after the header line',
    };
  const parsed = parseHeader(bytes.toString('utf8', 0, newline));
  if (!parsed.ok) return { ok: false, reason: 'invalid-header', detail: parsed.detail };
  const header = { format: parsed.format, version: parsed.version };
  const bodyBytes = bytes.length - newline - 1;
  if (bodyBytes === 0)
    return {
      ok: false,
      reason: 'invalid-header',
      detail: 'missing header or segment: nothing after the header line',
    };
  const text = bytes.toString('utf8', newline + 1);
  const prefix = text.slice(0, 3);
  if (prefix === OTLP_SAMPLED_PREFIX || prefix === OTLP_UNSAMPLED_PREFIX) {
    const payload = decodeBase64(text.slice(3).trim());
    if (payload === undefined || payload.length === 0) {
      return {
        ok: false,
        reason: 'invalid-otlp',
        detail: `OTLP over UDP body after ${prefix} is not base64 of a protobuf request`,
      };
    }
    return { ok: true, header, body: { kind: 'otlp', sampled: prefix === OTLP_SAMPLED_PREFIX, payload } };
  }
  return { ok: true, header, body: { kind: 'document', text, bytes: bodyBytes } };
}
