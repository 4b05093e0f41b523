/**
 * X-Ray's rule for segment and subsegment names (xray-protocol.md; the segment document's `name`):
 * 1–200 characters, from Unicode letters and numbers, whitespace and `_ . : / % & # = + \ - @`.
 * A document whose name breaks it is rejected whole by X-Ray, so every name we emit or set (the
 * translator's, the span processor's `aws.local.service` / `aws.remote.service`) is cleaned here.
 */

/** The longest name X-Ray takes, in characters (code points). */
export const XRAY_NAME_MAX_LENGTH = 200;

/** The longest cleaned name, in UTF-8 bytes: 200 bytes is at most 200 characters, and matches the collector's cut. */
export const XRAY_NAME_MAX_BYTES = 200;

/** The name used when cleaning leaves nothing (the collector's `span`). */
export const DEFAULT_XRAY_NAME = 'span';

const VALID_NAME = /^[\p{L}\p{N}\s_.:/%&#=+\\\-@]{1,200}$/u;
const LETTER = /^\p{L}$/u;

/** The ASCII part of VALID_NAME: letters, digits, whitespace (`\t`–`\r`, space), `_ . : / % & # = + \ - @`. */
function isNameAscii(cp: number): boolean {
  return (
    (cp >= 97 && cp <= 122) ||
    (cp >= 65 && cp <= 90) ||
    (cp >= 45 && cp <= 58) /* - . / 0-9 : */ ||
    cp === 32 ||
    (cp >= 9 && cp <= 13) ||
    cp === 95 /* _ */ ||
    cp === 37 /* % */ ||
    cp === 38 /* & */ ||
    cp === 35 /* # */ ||
    cp === 61 /* = */ ||
    cp === 43 /* + */ ||
    cp === 92 /* \ */ ||
    cp === 64 /* @ */
  );
}

/** True when X-Ray accepts `name` as a segment or subsegment name. */
export function isXRayName(name: unknown): boolean {
  if (typeof name !== 'string') return false;
  // ASCII names (nearly all) without the Unicode regex: it runs for every span the span processor
  // names and every document the translator writes.
  const length = name.length;
  if (length === 0 || length > XRAY_NAME_MAX_LENGTH * 2) return false;
  for (let i = 0; i < length; i++) {
    const cp = name.charCodeAt(i);
    if (cp >= 128) return VALID_NAME.test(name);
    if (!isNameAscii(cp)) return false;
  }
  return length <= XRAY_NAME_MAX_LENGTH;
}

/** Space, ASCII digits and letters, `_ . : / % & # = + - @`: the collector's span-name alphabet. */
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
 * `value` cleaned the way the collector cleans span names (translator-spec.md §3 step 11): every
 * character outside space, ASCII digits, Unicode letters and `_ . : / % & # = + - @` is deleted,
 * and the rest is cut to 200 bytes of UTF-8. Unlike the collector, the cut falls between
 * characters (the collector cuts inside one, which its JSON encoder writes as U+FFFD, a character
 * X-Ray refuses). Empty ⇒ `fallback`. Returns `value` itself when it needs no change, so the common
 * case allocates nothing.
 */
export function cleanXRayName(value: string, fallback: string = DEFAULT_XRAY_NAME): string {
  let out = '';
  let bytes = 0;
  let changed = false;
  const length = value.length;
  for (let i = 0; i < length; i++) {
    let cp = value.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < length) {
      const low = value.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        width = 2;
      }
    }
    // A lone surrogate is not a letter: dropped like any other disallowed character.
    const allowed =
      cp < 128 ? isAllowedAscii(cp) : (cp < 0xd800 || cp > 0xdfff) && LETTER.test(value.slice(i, i + width));
    if (!allowed) {
      if (!changed) {
        out = value.slice(0, i);
        changed = true;
      }
    } else {
      const size = utf8Length(cp);
      if (bytes + size > XRAY_NAME_MAX_BYTES) {
        if (!changed) {
          out = value.slice(0, i);
          changed = true;
        }
        break;
      }
      bytes += size;
      if (changed) out += value.slice(i, i + width);
    }
    i += width - 1;
  }
  const name = changed ? out : value;
  return name.length === 0 ? fallback : name;
}

/** `value` as is when X-Ray accepts it, else {@link cleanXRayName}: names that are valid are never altered. */
export function toXRayName(value: string, fallback: string = DEFAULT_XRAY_NAME): string {
  return isXRayName(value) ? value : cleanXRayName(value, fallback);
}
