/**
 * X-Ray filter expressions ("Using filter expressions", X-Ray developer guide): tokenizer
 * (tokenize.ts), parser to an AST (parse.ts) and evaluator over one trace (evaluate.ts).
 *
 * Supported: boolean keywords `ok error throttle fault partial inferred root` (bare, `!kw`,
 * `kw = true|false`); number keywords `responsetime duration http.status` (`= != < <= > >=`); string
 * keywords `http.url http.method http.useragent http.clientip user name type` (`= != CONTAINS
 * BEGINSWITH ENDSWITH`; bare = "is set"); `annotation.KEY` / `annotation[KEY]` (any operator, or bare
 * = "is set"); `service()` / `service("name")` / `service(id(name: "n", type: "t"))` and
 * `edge(a, b)`, each with an optional `{ filter }` applied to that node's segments / the callee side of
 * that edge; `AND`, `OR`, `!`, parentheses, and juxtaposition as AND (`ok !partial duration < 3`).
 * Keywords and operators are case-insensitive.
 */
export { FilterSyntaxError } from './types';
export type { ComparisonOperator, FilterExpression, FilterValue, NodeRef } from './types';
export { parseFilter, MAX_FILTER_LENGTH } from './parse';
export { matchesFilter, type TraceInput } from './evaluate';
