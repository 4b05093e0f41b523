/**
 * The tokenizer of X-Ray filter expressions: one left-to-right pass over the text into identifiers
 * (keywords, with dotted parts such as `http.status` or `annotation.key`), JSON-style quoted strings,
 * numbers and punctuation. Every token keeps its 0-based start so errors can point at it.
 */
import { FilterSyntaxError } from './types';

export interface Token {
  kind: 'ident' | 'string' | 'number' | 'punct' | 'eof';
  text: string;
  /** The decoded value of a string or number token. */
  value?: string | number;
  pos: number;
}

/** Two-character operators first, so `!=` is not read as `!` then `=`. */
const PUNCT = ['!=', '<=', '>=', '(', ')', '{', '}', '[', ']', ',', ':', '!', '=', '<', '>'];

const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/y;

/** JSON's single-character escapes (filter strings are quoted as in JSON). */
const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
};

/** A quoted string starting at `start` (the opening quote): its value and the index after it. */
function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new FilterSyntaxError('unterminated string', start);
    const ch = text[i];
    if (ch === '"') return { value, end: i + 1 };
    if (ch === '\\') {
      const esc = text[i + 1];
      if (esc !== undefined && esc in SIMPLE_ESCAPES) {
        value += SIMPLE_ESCAPES[esc];
        i += 2;
      } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        throw new FilterSyntaxError('invalid escape in string', i);
      }
      continue;
    }
    value += ch;
    i++;
  }
}

/** The tokens of `text`, ending with one `eof` token at `text.length`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      const { value, end } = readString(text, start);
      i = end;
      tokens.push({ kind: 'string', text: text.slice(start, i), value, pos: start });
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number !== null) {
      i += number[0].length;
      // `5s` is a mistake to report, not the number 5 followed by the keyword `s`.
      if (i < text.length && /[A-Za-z_]/.test(text[i])) throw new FilterSyntaxError('invalid number', start);
      tokens.push({ kind: 'number', text: number[0], value: Number(number[0]), pos: start });
      continue;
    }
    IDENT.lastIndex = i;
    const ident = IDENT.exec(text);
    if (ident !== null) {
      i += ident[0].length;
      tokens.push({ kind: 'ident', text: ident[0], pos: start });
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (punct === undefined) throw new FilterSyntaxError(`unexpected character '${c}'`, i);
    i += punct.length;
    tokens.push({ kind: 'punct', text: punct, pos: start });
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}
