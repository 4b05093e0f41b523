/**
 * The shared vocabulary of X-Ray filter expressions ("Using filter expressions", X-Ray developer
 * guide): the syntax error with its position, the AST the parser builds and the evaluator walks, and
 * the keyword table both consult.
 */

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

/** `any` is an annotation's: its values may be of any of the three types. */
export type KeywordType = 'boolean' | 'number' | 'string' | 'any';

/** X-Ray's simple keywords and the type of their values (lower case: keywords are case-insensitive). */
export const KEYWORDS: Record<string, KeywordType> = {
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

/** X-Ray keywords xray-local does not evaluate: named as unsupported rather than unknown. */
export const UNSUPPORTED_KEYWORDS = [
  'group',
  'rootcause',
  'json',
  'index',
  'coverage',
  'first',
  'last',
  'remote',
  'message',
];
