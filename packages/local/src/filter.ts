/**
 * X-Ray filter expressions ("Using filter expressions", X-Ray developer guide): a parser to an AST and
 * an evaluator over one trace.
 *
 * Supported: boolean keywords `ok error throttle fault partial inferred root` (bare, `!kw`,
 * `kw = true|false`); number keywords `responsetime duration http.status` (`= != < <= > >=`); string
 * keywords `http.url http.method http.useragent http.clientip user name type` (`= != CONTAINS
 * BEGINSWITH ENDSWITH`; bare = "is set"); `annotation.KEY` / `annotation[KEY]` (any operator, or bare
 * = "is set"); `service()` / `service("name")` / `service(id(name: "n", type: "t"))` and
 * `edge(a, b)`, each with an optional `{ filter }` applied to that node's segments / the callee side of
 * that edge; `AND`, `OR`, `!`, parentheses, and juxtaposition as AND (`ok !partial duration < 3`).
 * Keywords and operators are case-insensitive.
 *
 * Semantics: simple keywords apply at the trace level, i.e. to the root segment (responsetime, http.*,
 * ok / error / fault / throttle: "a downstream error handled by your application will not be
 * found"; use `service() { fault }` for that); `duration` is the whole trace; `partial` is any
 * in-progress document; `user` any segment; annotations any document.
 */
import {
  analyzeTrace,
  children,
  DEFAULT_SERVICE_TYPE,
  isInProgress,
  isObject,
  latencyOf,
  num,
  rootDocument,
  str,
  type GraphNode,
  type TraceGraph,
} from './service-map';
import type { SegmentDocument, TraceSummary } from './types';

/** Longest filter accepted (characters). */
export const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 64;

export class FilterSyntaxError extends Error {
  /** 0-based character offset in the filter text. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'FilterSyntaxError';
    this.position = position;
  }
}

export type ComparisonOperator =
  '=' | '!=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'BEGINSWITH' | 'ENDSWITH';
export type FilterValue = string | number | boolean;

export interface NodeRef {
  name?: string;
  type?: string;
}

export type FilterExpression =
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  /** Bare keyword: boolean value, or "is set" for the others. `annotation` is set for annotation keys. */
  | { kind: 'keyword'; keyword: string; annotation?: string }
  | {
      kind: 'compare';
      keyword: string;
      annotation?: string;
      operator: ComparisonOperator;
      value: FilterValue;
    }
  | { kind: 'service'; node?: NodeRef; filter?: FilterExpression }
  | { kind: 'edge'; source: NodeRef; target: NodeRef; filter?: FilterExpression };

type KeywordType = 'boolean' | 'number' | 'string' | 'any';

const KEYWORDS: Record<string, KeywordType> = {
  ok: 'boolean',
  error: 'boolean',
  throttle: 'boolean',
  fault: 'boolean',
  partial: 'boolean',
  inferred: 'boolean',
  root: 'boolean',
  responsetime: 'number',
  duration: 'number',
  'http.status': 'number',
  'http.url': 'string',
  'http.method': 'string',
  'http.useragent': 'string',
  'http.clientip': 'string',
  user: 'string',
  name: 'string',
  type: 'string',
};

const UNSUPPORTED = ['group', 'rootcause', 'json', 'index', 'coverage', 'first', 'last', 'remote', 'message'];

// ---------------------------------------------------------------------------------------------------
// Tokenizer

interface Token {
  kind: 'ident' | 'string' | 'number' | 'punct' | 'eof';
  text: string;
  value?: string | number;
  pos: number;
}

const PUNCT = ['!=', '<=', '>=', '(', ')', '{', '}', '[', ']', ',', ':', '!', '=', '<', '>'];

const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/y;

function tokenize(text: string): Token[] {
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
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError('unterminated string', start);
        const ch = text[i];
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\\') {
          const esc = text[i + 1];
          const simple: Record<string, string> = {
            '"': '"',
            '\\': '\\',
            '/': '/',
            n: '\n',
            t: '\t',
            r: '\r',
            b: '\b',
            f: '\f',
          };
          if (esc !== undefined && esc in simple) {
            value += simple[esc];
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
      tokens.push({ kind: 'string', text: text.slice(start, i), value, pos: start });
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number !== null) {
      i += number[0].length;
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

// ---------------------------------------------------------------------------------------------------
// Parser

const STRING_OPERATORS = new Set(['CONTAINS', 'BEGINSWITH', 'ENDSWITH']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

function describe(token: Token): string {
  return token.kind === 'eof' ? 'the end of the filter' : `'${token.text}'`;
}

class Parser {
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
    let left = this.parseAnd();
    while (this.word() === 'OR') {
      this.index++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpression {
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
      if (UNSUPPORTED.includes(head)) {
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

  private parseValue(opToken: Token, type: KeywordType, keyword: string): FilterValue {
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

// ---------------------------------------------------------------------------------------------------
// Evaluation

/** Values of a keyword for a subject (a trace, a service's segment, an edge's callee): any may match. */
type Subject = (keyword: string, annotation: string | undefined) => FilterValue[];

function httpValue(doc: SegmentDocument | undefined, keyword: string): FilterValue[] {
  const http = doc !== undefined && isObject(doc.http) ? doc.http : {};
  const request = isObject(http.request) ? http.request : {};
  const response = isObject(http.response) ? http.response : {};
  const field = {
    'http.url': 'url',
    'http.method': 'method',
    'http.useragent': 'user_agent',
    'http.clientip': 'client_ip',
  }[keyword];
  const value =
    keyword === 'http.status' ? num(response.status) : field === undefined ? undefined : str(request[field]);
  return value === undefined ? [] : [value];
}

function eachDocument(docs: SegmentDocument[], visit: (doc: SegmentDocument) => void): void {
  const stack = [...docs].reverse();
  while (stack.length > 0) {
    const doc = stack.pop() as SegmentDocument;
    visit(doc);
    stack.push(...children(doc).reverse());
  }
}

function annotationValues(docs: SegmentDocument[], key: string): FilterValue[] {
  const values: FilterValue[] = [];
  eachDocument(docs, (doc) => {
    if (isObject(doc.annotations) && Object.prototype.hasOwnProperty.call(doc.annotations, key)) {
      const value = doc.annotations[key];
      if (typeof value === 'string' || typeof value === 'boolean' || num(value) !== undefined)
        values.push(value as FilterValue);
    }
  });
  return values;
}

function flags(doc: SegmentDocument | undefined, keyword: string): FilterValue[] {
  if (doc === undefined) return [false];
  if (keyword === 'ok') return [doc.fault !== true && doc.error !== true && doc.throttle !== true];
  return [doc[keyword] === true];
}

function anyInProgress(docs: SegmentDocument[]): boolean {
  let partial = false;
  eachDocument(docs, (doc) => {
    if (doc.in_progress === true) partial = true;
  });
  return partial;
}

function nodeSubject(node: GraphNode, doc: SegmentDocument, root: boolean): Subject {
  return (keyword, annotation) => {
    switch (keyword) {
      case 'annotation':
        return annotationValues([doc], annotation as string);
      case 'ok':
      case 'error':
      case 'fault':
      case 'throttle':
        return flags(doc, keyword);
      case 'partial':
        return [isInProgress(doc) || anyInProgress([doc])];
      case 'inferred':
        return [node.inferred];
      case 'root':
        return [root];
      case 'responsetime':
      case 'duration': {
        const latency = latencyOf(doc);
        return latency === undefined ? [] : [latency];
      }
      case 'user':
        return str(doc.user) === undefined ? [] : [doc.user as string];
      case 'name':
        return [node.name];
      case 'type':
        return [node.type];
      default:
        return httpValue(doc, keyword);
    }
  };
}

interface TraceInput {
  summary: TraceSummary;
  documents: SegmentDocument[];
}

class Evaluator {
  private graphCache?: TraceGraph;
  private rootCache?: { doc: SegmentDocument | undefined };
  constructor(private readonly trace: TraceInput) {}

  private get graph(): TraceGraph {
    return (this.graphCache ??= analyzeTrace(this.trace.documents));
  }

  private get root(): SegmentDocument | undefined {
    return (this.rootCache ??= { doc: rootDocument(this.trace.documents) }).doc;
  }

  readonly traceSubject: Subject = (keyword, annotation) => {
    const { summary, documents } = this.trace;
    switch (keyword) {
      case 'annotation':
        return annotationValues(documents, annotation as string);
      case 'ok':
      case 'error':
      case 'fault':
      case 'throttle':
        return flags(this.root, keyword);
      case 'partial':
        return [anyInProgress(documents)];
      case 'inferred':
        return [this.graph.visits.some((v) => v.node.inferred)];
      case 'root':
        return [true];
      case 'responsetime':
        return summary.responseTime === undefined ? [] : [summary.responseTime];
      case 'duration':
        return [summary.duration];
      case 'user':
        return documents.filter((d) => str(d.user) !== undefined).map((d) => d.user as string);
      case 'name':
        return this.root === undefined ? [] : [summary.name];
      case 'type':
        return this.root === undefined ? [] : [str(this.root.origin) || DEFAULT_SERVICE_TYPE];
      default:
        return httpValue(this.root, keyword);
    }
  };

  evaluate(expr: FilterExpression, subject: Subject): boolean {
    switch (expr.kind) {
      case 'and':
        return this.evaluate(expr.left, subject) && this.evaluate(expr.right, subject);
      case 'or':
        return this.evaluate(expr.left, subject) || this.evaluate(expr.right, subject);
      case 'not':
        return !this.evaluate(expr.operand, subject);
      case 'keyword': {
        const values = subject(expr.keyword, expr.annotation);
        return KEYWORDS[expr.keyword] === 'boolean' ? values.some((v) => v === true) : values.length > 0;
      }
      case 'compare':
        return subject(expr.keyword, expr.annotation).some((v) => compare(v, expr.operator, expr.value));
      case 'service':
        return this.graph.visits.some(
          (v) =>
            matchesNode(v.node, expr.node) &&
            (expr.filter === undefined || this.evaluate(expr.filter, nodeSubject(v.node, v.doc, v.root))),
        );
      case 'edge':
        return this.graph.calls.some(
          (c) =>
            matchesNode(c.source, expr.source) &&
            matchesNode(c.target, expr.target) &&
            (expr.filter === undefined || this.evaluate(expr.filter, nodeSubject(c.target, c.doc, false))),
        );
    }
  }
}

function matchesNode(node: GraphNode, ref: NodeRef | undefined): boolean {
  return (
    ref === undefined ||
    ((ref.name === undefined || ref.name === node.name) && (ref.type === undefined || ref.type === node.type))
  );
}

function compare(actual: FilterValue, operator: ComparisonOperator, expected: FilterValue): boolean {
  if (typeof actual !== typeof expected) return false;
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case 'CONTAINS':
      return (actual as string).includes(expected as string);
    case 'BEGINSWITH':
      return (actual as string).startsWith(expected as string);
    case 'ENDSWITH':
      return (actual as string).endsWith(expected as string);
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
  }
}

/** Whether a trace satisfies a parsed filter expression. */
export function matchesFilter(expr: FilterExpression, trace: TraceInput): boolean {
  const evaluator = new Evaluator(trace);
  return evaluator.evaluate(expr, evaluator.traceSubject);
}
