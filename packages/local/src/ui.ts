/**
 * The web viewer's static files: `/` (index.html), `/ui/*` (the files of the `ui/` folder: browser
 * ES modules from app.js on, and CSS; no build step) and `/vendor/cytoscape.min.js` (from the
 * cytoscape package, so the viewer works without internet). Everything else is left to the next
 * handler.
 *
 * Every answer carries a content security policy that allows only this origin's scripts (span-derived
 * text can never run as script, even if a bug put it in the DOM as HTML) and `nosniff`.
 */
import { readFile } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { RequestHandler } from './types';

export interface UiHandlerOptions {
  /** Folder with index.html, app.js and styles.css. Default: the package's `ui/` folder. */
  uiDir?: string;
}

/** Cytoscape sets inline styles on its container, hence `'unsafe-inline'` for styles only. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** The package's `ui/` folder: `build/ui.js` and `src/ui.ts` both sit one level below it. */
const DEFAULT_UI_DIR = path.resolve(__dirname, '..', 'ui');

export function createUiHandler(options: UiHandlerOptions = {}): RequestHandler {
  const uiDir = path.resolve(options.uiDir ?? DEFAULT_UI_DIR);
  let cytoscapePath: string | undefined;

  return (request, response) => {
    const pathname = (request.url ?? '/').split(/[?#]/, 1)[0];
    let file: string | undefined;
    if (pathname === '/' || pathname === '/index.html') {
      file = path.join(uiDir, 'index.html');
    } else if (pathname === '/vendor/cytoscape.min.js') {
      cytoscapePath ??= require.resolve('cytoscape/dist/cytoscape.min.js');
      file = cytoscapePath;
    } else if (pathname.startsWith('/ui/')) {
      file = resolveInside(uiDir, pathname.slice('/ui/'.length));
      if (file === undefined) {
        sendText(request, response, 404, 'not found');
        return true;
      }
    } else {
      return false;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      sendText(request, response, 405, 'method not allowed');
      return true;
    }
    sendFile(request, response, file);
    return true;
  };
}

/**
 * The file `relative` (still URL-encoded) names inside `root`, or undefined when it is malformed or
 * would leave `root` (`..`, encoded slashes or backslashes, NUL, absolute paths, hidden files).
 */
function resolveInside(root: string, relative: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded === '' || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const parts = decoded.split('/');
  if (parts.some((part) => part === '' || part.startsWith('.'))) return undefined;
  const file = path.resolve(root, ...parts);
  return file.startsWith(root + path.sep) ? file : undefined;
}

function sendFile(request: IncomingMessage, response: ServerResponse, file: string): void {
  readFile(file, (error, body) => {
    if (error) {
      // A folder (EISDIR) or a missing file: both are "not here" to a browser.
      sendText(request, response, 404, 'not found');
      return;
    }
    send(
      request,
      response,
      200,
      CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      body,
    );
  });
}

function sendText(request: IncomingMessage, response: ServerResponse, status: number, text: string): void {
  send(request, response, status, 'text/plain; charset=utf-8', Buffer.from(text + '\n'));
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer,
): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  response.setHeader('content-type', contentType);
  response.setHeader('content-length', body.length);
  // The viewer is a development tool: always revalidate, so an upgraded package shows at once.
  response.setHeader('cache-control', 'no-cache');
  response.writeHead(status);
  response.end(request.method === 'HEAD' ? undefined : body);
}
