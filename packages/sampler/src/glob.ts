/**
 * X-Ray's rule patterns: `*` is any run of characters (also none), `?` exactly one character; the
 * whole string must match; case-insensitive. Iterative, no regular expressions: on a mismatch after
 * a `*`, retry from the character after the one that `*` last absorbed (linear in practice).
 */
export function globMatch(pattern: string, text: string): boolean {
  if (pattern === '*') return true;
  return matchLower(pattern.toLowerCase(), text.toLowerCase());
}

/** `pattern` must already be lower-cased (rules are compiled once). */
export function matchLower(pattern: string, text: string): boolean {
  if (pattern === '*') return true;
  const plen = pattern.length;
  const tlen = text.length;
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < tlen) {
    if (p < plen) {
      const c = pattern.charCodeAt(p);
      if (c === 0x2a /* * */) {
        star = p++;
        resume = t;
        continue;
      }
      if (c === 0x3f /* ? */ || c === text.charCodeAt(t)) {
        p++;
        t++;
        continue;
      }
    }
    if (star < 0) return false;
    p = star + 1;
    t = ++resume;
  }
  while (p < plen && pattern.charCodeAt(p) === 0x2a) p++;
  return p === plen;
}
