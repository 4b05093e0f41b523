/**
 * Operation names: `aws.local.operation` of a server span (ADOT's "ingress operation") and the
 * statement keyword used as a database call's `aws.remote.operation`.
 */
import {
  HTTP_METHOD,
  HTTP_REQUEST_METHOD,
  HTTP_ROUTE,
  HTTP_TARGET,
  HTTP_URL,
  UNKNOWN_OPERATION,
  URL_FULL,
  URL_PATH,
} from './keys';
import { firstPathSegment, urlPath } from './url';

type Attributes = Readonly<Record<string, unknown>>;

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `http.request.method`, else `http.method`. */
export function httpMethod(attributes: Attributes): string | undefined {
  return nonEmpty(attributes[HTTP_REQUEST_METHOD]) ?? nonEmpty(attributes[HTTP_METHOD]);
}

/**
 * The operation of a server span (ADOT's `getIngressOperation` outside Lambda): its name, unless the
 * name says nothing (empty, `UnknownOperation`, or only the HTTP method, as instrumentation-http
 * names a request no framework routed yet); then `<METHOD> <route>` from `http.route` or, for a
 * child started while the request runs, the route the web framework recorded so far (`route`);
 * then ADOT's fallback `<METHOD> /<first path segment>` from `http.target`, `http.url`, `url.path`
 * or `url.full`; else `UnknownOperation`.
 *
 * The route is our addition: ADOT computes a child's operation from the server span's name while it
 * is still `GET`, so children got `GET /users` where the server span ends as `GET /users/:id`.
 */
export function serverOperation(name: unknown, attributes: Attributes, route?: unknown): string {
  const method = httpMethod(attributes);
  const spanName = nonEmpty(name);
  if (spanName !== undefined && spanName !== UNKNOWN_OPERATION && spanName !== method) return spanName;
  const knownRoute = nonEmpty(attributes[HTTP_ROUTE]) ?? nonEmpty(route);
  if (knownRoute !== undefined) return method === undefined ? knownRoute : method + ' ' + knownRoute;
  const path = requestPath(attributes);
  if (path === undefined) return UNKNOWN_OPERATION;
  const segment = firstPathSegment(path);
  return method === undefined ? segment : method + ' ' + segment;
}

/** ADOT's order: `http.target`, the path of `http.url`, `url.path`, the path of `url.full`. */
function requestPath(attributes: Attributes): string | undefined {
  const target = attributes[HTTP_TARGET];
  if (target !== undefined) return typeof target === 'string' ? target : undefined;
  const url = attributes[HTTP_URL];
  if (url !== undefined) return typeof url === 'string' ? (urlPath(url) ?? '') : undefined;
  const path = attributes[URL_PATH];
  if (path !== undefined) return typeof path === 'string' ? path : undefined;
  const full = attributes[URL_FULL];
  if (full !== undefined) return typeof full === 'string' ? (urlPath(full) ?? '') : undefined;
  return undefined;
}

/**
 * Keywords a SQL statement starts with (SQL Server, PostgreSQL, MySQL, SQLite, Oracle). ADOT matches
 * the statement's start against ~800 SQL keywords; a statement starts with one of these, so the
 * result is the same for real statements, from a Set lookup instead of an 800-way regex.
 */
const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'ALTER',
  'ANALYZE',
  'BACKUP',
  'BEGIN',
  'CALL',
  'CHECKPOINT',
  'CLOSE',
  'CLUSTER',
  'COMMENT',
  'COMMIT',
  'COPY',
  'CREATE',
  'DEALLOCATE',
  'DECLARE',
  'DELETE',
  'DESC',
  'DESCRIBE',
  'DISCARD',
  'DO',
  'DROP',
  'END',
  'EXEC',
  'EXECUTE',
  'EXPLAIN',
  'FETCH',
  'GRANT',
  'IMPORT',
  'INSERT',
  'LISTEN',
  'LOAD',
  'LOCK',
  'MERGE',
  'MOVE',
  'NOTIFY',
  'PREPARE',
  'REFRESH',
  'REINDEX',
  'RELEASE',
  'RENAME',
  'REPLACE',
  'RESET',
  'REVOKE',
  'ROLLBACK',
  'SAVEPOINT',
  'SELECT',
  'SET',
  'SHOW',
  'START',
  'TRUNCATE',
  'UNLISTEN',
  'UNLOCK',
  'UPDATE',
  'UPSERT',
  'USE',
  'VACUUM',
  'VALUES',
  'WITH',
]);

/** Two-word keywords of ADOT's list that a statement can start with; preferred over their first word. */
const STATEMENT_PAIRS: ReadonlySet<string> = new Set([
  'ALTER COLUMN',
  'ALTER TABLE',
  'BACKUP DATABASE',
  'CREATE DATABASE',
  'CREATE INDEX',
  'CREATE TABLE',
  'CREATE VIEW',
  'DROP COLUMN',
  'DROP CONSTRAINT',
  'DROP DATABASE',
  'DROP DEFAULT',
  'DROP INDEX',
  'DROP TABLE',
  'DROP VIEW',
  'INSERT INTO',
  'SELECT DISTINCT',
  'SELECT INTO',
  'SELECT TOP',
  'TRUNCATE TABLE',
]);

/** Longest keyword ADOT looks at (its `MAX_KEYWORD_LENGTH`): only the statement's first 27 characters count. */
const MAX_KEYWORD_LENGTH = 27;

function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

function isWhitespace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** The end of the word starting at `from` (ASCII letters and `_`), when followed by a word boundary. */
function wordEnd(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) break;
    i++;
  }
  if (i === from) return -1;
  // A keyword ends at a word boundary (ADOT's `\b`): not followed by a letter, digit or `_`.
  return i < text.length && isWordChar(text.charCodeAt(i)) ? -1 : i;
}

/**
 * The SQL keyword a statement starts with, upper case (`select * from t` → `SELECT`,
 * `INSERT INTO t ...` → `INSERT INTO`); `undefined` when it starts with none.
 */
export function sqlKeyword(statement: string): string | undefined {
  let start = 0;
  while (start < statement.length && isWhitespace(statement.charCodeAt(start))) start++;
  const limit = Math.min(statement.length, start + MAX_KEYWORD_LENGTH);
  const firstEnd = wordEnd(statement, start, limit);
  if (firstEnd < 0) return undefined;
  const first = statement.slice(start, firstEnd).toUpperCase();
  if (!STATEMENT_KEYWORDS.has(first)) return undefined;
  // ADOT's two-word keywords are written with one space.
  if (firstEnd < limit && statement.charCodeAt(firstEnd) === 32) {
    const secondEnd = wordEnd(statement, firstEnd + 1, limit);
    if (secondEnd > 0) {
      const pair = first + ' ' + statement.slice(firstEnd + 1, secondEnd).toUpperCase();
      if (STATEMENT_PAIRS.has(pair)) return pair;
    }
  }
  return first;
}
