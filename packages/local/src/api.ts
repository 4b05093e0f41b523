/**
 * The JSON API of the UI port:
 *
 * - `GET /api/traces?filter=&limit=` -> `{ traces: TraceSummary[] }` (400 `{ error, position }` for a bad filter)
 * - `GET /api/traces/:id` -> Trace, or 404
 * - `GET /api/service-map` -> ServiceMap
 * - `GET /api/stats` -> Stats
 * - `GET /api/rejected?limit=` -> `{ rejected: Rejection[] }`
 *
 * Other methods on `/api/*` -> 405 (`allow: GET`); unknown `/api` paths -> 404; other paths are not
 * handled (the handler returns false). Never throws: an unexpected error is a 500 JSON answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FilterSyntaxError } from './filter';
import type { ApiSources, RequestHandler } from './types';

export const DEFAULT_API_LIMIT = 100;
export const MAX_API_LIMIT = 1000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

function parseLimit(value: string | null): number {
  if (value === null || value === '') return DEFAULT_API_LIMIT;
  if (!/^\d+$/.test(value))
    throw new HttpError(400, `limit must be a non-negative integer, got '${value.slice(0, 50)}'`);
  return Math.min(MAX_API_LIMIT, Number(value));
}

function route(sources: ApiSources, path: string, query: URLSearchParams, response: ServerResponse): void {
  if (path === '/api/traces') {
    const limit = parseLimit(query.get('limit'));
    const filter = query.get('filter') ?? undefined;
    try {
      send(response, 200, { traces: sources.listTraces(filter === '' ? undefined : filter, limit) });
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      send(response, 400, { error: error.message, position: error.position });
    }
    return;
  }
  if (path.startsWith('/api/traces/')) {
    let id: string;
    try {
      id = decodeURIComponent(path.slice('/api/traces/'.length));
    } catch {
      throw new HttpError(400, 'malformed trace id in the path');
    }
    const trace = id === '' || id.includes('/') ? undefined : sources.getTrace(id);
    if (trace === undefined) throw new HttpError(404, `no trace with id '${id.slice(0, 100)}'`);
    send(response, 200, trace);
    return;
  }
  if (path === '/api/service-map') return send(response, 200, sources.serviceMap());
  if (path === '/api/stats') return send(response, 200, sources.stats());
  if (path === '/api/rejected')
    return send(response, 200, { rejected: sources.rejected(parseLimit(query.get('limit'))) });
  throw new HttpError(404, `no API endpoint ${path.slice(0, 200)}`);
}

export function createApiHandler(sources: ApiSources): RequestHandler {
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      return false;
    }
    let path = url.pathname;
    if (path !== '/api' && !path.startsWith('/api/')) return false;
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    try {
      if (request.method !== 'GET') {
        send(response, 405, { error: `method ${request.method} not allowed; use GET` }, { allow: 'GET' });
      } else {
        route(sources, path, url.searchParams, response);
      }
    } catch (error) {
      try {
        if (error instanceof HttpError) {
          send(response, error.status, { error: error.message });
        } else if (!response.headersSent) {
          send(response, 500, {
            error: `internal error: ${error instanceof Error ? error.message : String(error)}`,
          });
        } else {
          response.end();
        }
      } catch {
        response.destroy();
      }
    }
    return true;
  };
}
