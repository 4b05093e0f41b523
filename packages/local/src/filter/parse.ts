/**
 * The parser of X-Ray filter expressions: recursive descent over the tokens into a FilterExpression.
 *
 * Grammar (keywords and operators case-insensitive):
 *   or      := and ('OR' and)*
 *   and     := unary (['AND'] unary)*          juxtaposition is AND: `ok !partial duration < 3`
 *   unary   := '!' unary | primary
 *   primary := '(' or ')' | complex | keyword [operator value]
 *   keyword := ok | error | ... | annotation.KEY | annotation[KEY]    (bare = true / "is set")
 *   complex := 'service' '(' [node] ')' ['{' or '}'] | 'edge' '(' node ',' node ')' ['{' or '}']
 *   node    := "name" | 'id' '(' (name|type) ':' "value" [',' ...] ')'
 * Each token is read once, without backtracking; nesting is capped at MAX_DEPTH so a hostile filter
 * gets a clear error instead of exhausting the stack.
 */
import { tokenize, type Token } from './tokenize';
import {
  FilterSyntaxError,
  KEYWORDS,
  UNSUPPORTED_KEYWORDS,
  type ComparisonOperator,
  type FilterExpression,
  type FilterValue,
  type KeywordType,
  type NodeRef,
} from './types';

/** Longest filter accepted (characters). */
export const MAX_FILTER_LENGTH = 4096;
/** Deepest nesting of `(`, `!` and `{` accepted. */
export const MAX_DEPTH = 64;

const STRING_OPERATORS = new Set(['CONTAINS', 'BEGINSWITH', 'ENDSWITH']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

function describe(token: Token): string {
  return token.kind === 'eof' ? 'the end of the filter' : `'${token.text}'`;
}

export class Parser {
  /**
   * Grammar rules entered so far: the parser's work. Each rule consumes a token or descends once, so
   * this stays linear in the number of tokens (tests assert that bound instead of timing the parse).
   */
  steps = 0;
  private index = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private get token(): Token {
    return this.tokens[this.index];
  }

  private word(token: Token = this.token): string | undefined {
    return token.kind === 'ident' ? token.text.toUpperCase() : undefined;
  }

  private isPunct(text: string): boolean {
    return this.token.kind === 'punct' && this.token.text === text;
  }

  private expect(text: string, context: string): Token {
    const token = this.token;
    if (token.kind !== 'punct' || token.text !== text) {
      throw new FilterSyntaxError(`expected '${text}' ${context} but found ${describe(token)}`, token.pos);
    }
    this.index++;
    return token;
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) throw new FilterSyntaxError('filter nested too deeply', pos);
  }

  parse(): FilterExpression {
    const expr = this.parseOr();
    if (this.token.kind !== 'eof') {
      throw new FilterSyntaxError(`unexpected ${describe(this.token)}`, this.token.pos);
    }
    return expr;
  }

  private parseOr(): FilterExpression {
    this.steps++;
    let left = this.parseAnd();
    while (this.word() === 'OR') {
      this.index++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpression {
    this.steps++;
    let left = this.parseUnary();
    for (;;) {
      const word = this.word();
      if (word === 'AND') {
        this.index++;
      } else if (word === 'OR' || this.token.kind === 'eof' || this.isPunct(')') || this.isPunct('}')) {
        return left;
      }
      left = { kind: 'and', left, right: this.parseUnary() };
    }
  }

  private parseUnary(): FilterExpression {
    this.steps++;
    if (this.isPunct('!')) {
      const pos = this.token.pos;
      this.index++;
      this.enter(pos);
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'not', operand };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterExpression {
    this.steps++;
    const token = this.token;
    if (this.isPunct('(')) {
      this.index++;
      this.enter(token.pos);
      const expr = this.parseOr();
      this.depth--;
      this.expect(')', `to close '(' from position ${token.pos}`);
      return expr;
    }
    if (token.kind !== 'ident') {
      throw new FilterSyntaxError(
        `expected a keyword, 'service(', 'edge(', '!' or '(' but found ${describe(token)}`,
        token.pos,
      );
    }
    const lower = token.text.toLowerCase();
    if (lower === 'service' || lower === 'edge') {
      return this.parseComplex(lower);
    }
    if (lower === 'and' || lower === 'or') {
      throw new FilterSyntaxError(`expected an expression before '${token.text}'`, token.pos);
    }
    this.index++;
    let keyword = lower;
    let annotation: string | undefined;
    if (lower === 'annotation') {
      this.expect('[', "or '.' after 'annotation'");
      const key = this.token;
      if (key.kind !== 'ident' && key.kind !== 'string') {
        throw new FilterSyntaxError(`expected an annotation key but found ${describe(key)}`, key.pos);
      }
      annotation = key.kind === 'string' ? String(key.value) : key.text;
      this.index++;
      this.expect(']', 'after the annotation key');
    } else if (lower.startsWith('annotation.')) {
      keyword = 'annotation';
      annotation = token.text.slice('annotation.'.length);
    } else if (!(lower in KEYWORDS)) {
      const head = lower.split('.')[0];
      if (UNSUPPORTED_KEYWORDS.includes(head)) {
        throw new FilterSyntaxError(`keyword '${token.text}' is not supported by xray-local`, token.pos);
      }
      throw new FilterSyntaxError(`unknown keyword '${token.text}'`, token.pos);
    }
    const type: KeywordType = annotation !== undefined ? 'any' : KEYWORDS[keyword];
    const opToken = this.token;
    const word = this.word();
    let operator: ComparisonOperator;
    if (opToken.kind === 'punct' && COMPARISONS.has(opToken.text)) {
      operator = opToken.text as ComparisonOperator;
    } else if (word !== undefined && STRING_OPERATORS.has(word)) {
      operator = word as ComparisonOperator;
    } else {
      return annotation === undefined
        ? { kind: 'keyword', keyword }
        : { kind: 'keyword', keyword, annotation };
    }
    this.index++;
    const value = this.parseValue(opToken, type, keyword);
    return annotation === undefined
      ? { kind: 'compare', keyword, operator, value }
      : { kind: 'compare', keyword, annotation, operator, value };
  }

  /** The value after an operator, checked against the keyword's type (annotations take any type). */
  private parseValue(opToken: Token, type: KeywordType, keyword: string): FilterValue {
    this.steps++;
    const token = this.token;
    const operator = opToken.kind === 'ident' ? opToken.text.toUpperCase() : opToken.text;
    let value: FilterValue;
    const bool = this.word(token);
    if (token.kind === 'string' || token.kind === 'number') {
      value = token.value as string | number;
    } else if (bool === 'TRUE' || bool === 'FALSE') {
      value = bool === 'TRUE';
    } else {
      throw new FilterSyntaxError(
        `expected a value after '${operator}' but found ${describe(token)}`,
        token.pos,
      );
    }
    const ordered = operator === '<' || operator === '<=' || operator === '>' || operator === '>=';
    const stringOp = STRING_OPERATORS.has(operator);
    const fail = (what: string): never => {
      throw new FilterSyntaxError(what, token.pos);
    };
    if (type === 'boolean') {
      // X-Ray accepts `fault = "true"` as well as `fault = true`.
      if (typeof value === 'string' && (value === 'true' || value === 'false')) value = value === 'true';
      if (ordered || stringOp)
        fail(`'${keyword}' is a boolean keyword: use '=' or '!=' with true or false, not '${operator}'`);
      if (typeof value !== 'boolean') fail(`expected true or false after '${keyword} ${operator}'`);
    } else if (type === 'number') {
      if (stringOp) fail(`'${keyword}' is a number keyword: '${operator}' needs a string keyword`);
      if (typeof value !== 'number') fail(`expected a number after '${keyword} ${operator}'`);
    } else if (type === 'string') {
      if (ordered)
        fail(
          `'${keyword}' is a string keyword: use =, !=, CONTAINS, BEGINSWITH or ENDSWITH, not '${operator}'`,
        );
      if (typeof value !== 'string') fail(`expected a quoted string after '${keyword} ${operator}'`);
    } else if (stringOp && typeof value !== 'string') {
      fail(`expected a quoted string after '${operator}'`);
    } else if (ordered && typeof value !== 'number') {
      fail(`expected a number after '${operator}'`);
    }
    this.index++;
    return value;
  }

  private parseComplex(kind: 'service' | 'edge'): FilterExpression {
    this.steps++;
    const start = this.token.pos;
    this.index++;
    this.expect('(', `after '${kind}'`);
    let expr: FilterExpression;
    if (kind === 'service') {
      const node = this.isPunct(')') ? undefined : this.parseNodeRef();
      expr = node === undefined ? { kind: 'service' } : { kind: 'service', node };
    } else {
      const source = this.parseNodeRef();
      this.expect(',', "between the two services of 'edge('");
      expr = { kind: 'edge', source, target: this.parseNodeRef() };
    }
    this.expect(')', `to close '${kind}(' from position ${start}`);
    if (this.isPunct('{')) {
      const open = this.token.pos;
      this.index++;
      this.enter(open);
      expr.filter = this.parseOr();
      this.depth--;
      this.expect('}', `to close '{' from position ${open}`);
    }
    return expr;
  }

  private parseNodeRef(): NodeRef {
    this.steps++;
    const token = this.token;
    if (token.kind === 'string') {
      this.index++;
      return { name: String(token.value) };
    }
    if (token.kind === 'ident' && token.text.toLowerCase() === 'id') {
      this.index++;
      this.expect('(', "after 'id'");
      const ref: NodeRef = {};
      for (;;) {
        const key = this.token;
        const field = key.kind === 'ident' ? key.text.toLowerCase() : '';
        if (field !== 'name' && field !== 'type') {
          throw new FilterSyntaxError(
            `expected 'name:' or 'type:' in 'id(' but found ${describe(key)}`,
            key.pos,
          );
        }
        this.index++;
        this.expect(':', `after '${key.text}'`);
        const value = this.token;
        if (value.kind !== 'string') {
          throw new FilterSyntaxError(
            `expected a quoted string after '${key.text}:' but found ${describe(value)}`,
            value.pos,
          );
        }
        ref[field] = String(value.value);
        this.index++;
        if (!this.isPunct(',')) break;
        this.index++;
      }
      this.expect(')', "to close 'id('");
      return ref;
    }
    throw new FilterSyntaxError(
      `expected a quoted service name or id(...) but found ${describe(token)}`,
      token.pos,
    );
  }
}

/** Parses a filter expression; throws FilterSyntaxError (with a 0-based position) on bad input. */
export function parseFilter(text: string): FilterExpression {
  if (typeof text !== 'string') throw new FilterSyntaxError('filter must be a string', 0);
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(`filter is longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
  }
  return new Parser(tokenize(text)).parse();
}
