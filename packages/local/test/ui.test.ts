// The viewer's static file handler over a real HTTP server on 127.0.0.1: what it serves, with which
// content types and security headers, what it leaves to the next handler, and that no request
// reaches a file outside the ui folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CONTENT_SECURITY_POLICY, createUiHandler } from '../src/ui';
import type { RequestHandler } from '../src/types';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path goes on the wire exactly as written (no client-side normalisation). */
function request(port: number, rawPath: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer for ${rawPath} within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

async function listen(handler: RequestHandler): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    if (!handler(req, res)) {
      res.writeHead(418, { 'content-type': 'text/plain' });
      res.end('next handler');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function close(server: http.Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

const PACKAGE_UI = path.resolve(__dirname, '..', 'ui');

describe('local: ui handler (the package ui folder)', () => {
  let server: http.Server | undefined;
  let port = 0;

  before(async () => {
    ({ server, port } = await listen(createUiHandler()));
  });
  after(() => close(server));

  it('serves index.html at / with the security headers', async () => {
    const answer = await request(port, '/');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(answer.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.equal(
      answer.headers['content-security-policy'],
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
    );
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    assert.equal(answer.body, readFileSync(path.join(PACKAGE_UI, 'index.html'), 'utf8'));
    assert.match(answer.body, /<script src="\/vendor\/cytoscape\.min\.js"><\/script>/);
    // No third-party origin anywhere: the machine running the viewer may have no internet.
    assert.doesNotMatch(answer.body, /https?:\/\//);
  });

  it('serves /index.html and ignores query strings', async () => {
    const answer = await request(port, '/index.html?x=1#y');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
  });

  it('serves the ui files with their content types', async () => {
    const js = await request(port, '/ui/app.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.body, readFileSync(path.join(PACKAGE_UI, 'app.js'), 'utf8'));
    const css = await request(port, '/ui/styles.css?v=2');
    assert.equal(css.status, 200);
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(css.headers['x-content-type-options'], 'nosniff');
    assert.equal(css.headers['cache-control'], 'no-cache');
  });

  it('the viewer builds no HTML from strings, in any of its modules', () => {
    const modules = readdirSync(PACKAGE_UI).filter((name) => name.endsWith('.js'));
    assert.ok(modules.length > 5, modules.join());
    for (const name of modules) {
      const code = readFileSync(path.join(PACKAGE_UI, name), 'utf8');
      assert.doesNotMatch(code, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, name);
    }
  });

  it('loads the viewer as ES modules: every module app.js imports is served as JavaScript', async () => {
    const page = (await request(port, '/')).body;
    assert.match(page, /<script type="module" src="\/ui\/app\.js"><\/script>/);
    // Follow the static imports from the entry module, as the browser does (relative to /ui/).
    const seen = new Set<string>();
    const queue = ['app.js'];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const answer = await request(port, `/ui/${name}`);
      assert.equal(answer.status, 200, name);
      assert.equal(answer.headers['content-type'], 'text/javascript; charset=utf-8', name);
      for (const [, target] of answer.body.matchAll(/^import\s[^;]*?from\s+'\.\/([\w-]+\.js)';$/gm))
        queue.push(target);
    }
    // No module is left out of the graph (each file has a part to play).
    assert.deepEqual(
      [...seen].sort(),
      readdirSync(PACKAGE_UI)
        .filter((name) => name.endsWith('.js'))
        .sort(),
    );
  });

  it('serves cytoscape from the installed package', async () => {
    const answer = await request(port, '/vendor/cytoscape.min.js');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(answer.body, readFileSync(require.resolve('cytoscape/dist/cytoscape.min.js'), 'utf8'));
    const again = await request(port, '/vendor/cytoscape.min.js');
    assert.equal(again.status, 200);
  });

  it('HEAD answers headers without a body', async () => {
    const answer = await request(port, '/ui/app.js', 'HEAD');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, '');
    assert.equal(
      Number(answer.headers['content-length']),
      readFileSync(path.join(PACKAGE_UI, 'app.js')).length,
    );
  });

  it('other methods get 405 with Allow', async () => {
    for (const target of ['/', '/ui/app.js', '/vendor/cytoscape.min.js']) {
      const answer = await request(port, target, 'POST');
      assert.equal(answer.status, 405, target);
      assert.equal(answer.headers.allow, 'GET, HEAD');
      assert.equal(answer.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    }
  });

  it('leaves other paths to the next handler', async () => {
    for (const target of [
      '/api/traces',
      '/api/stats',
      '/vendor/other.js',
      '/ui',
      '/uix/app.js',
      '/favicon.ico',
    ]) {
      const answer = await request(port, target);
      assert.equal(answer.status, 418, target);
      assert.equal(answer.body, 'next handler');
    }
  });

  it('answers 404 for missing files and folders under /ui/', async () => {
    for (const target of ['/ui/', '/ui/missing.js', '/ui/app.js/', '/ui/sub/app.js']) {
      const answer = await request(port, target);
      assert.equal(answer.status, 404, target);
      assert.equal(answer.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    }
  });
});

describe('local: ui handler (path traversal, a uiDir with a secret beside it)', () => {
  let root = '';
  let server: http.Server | undefined;
  let port = 0;
  const SECRET = 'top-secret-' + process.pid;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'xray-local-ui-'));
    const uiDir = path.join(root, 'ui');
    mkdirSync(path.join(uiDir, 'nested'), { recursive: true });
    writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(uiDir, 'nested', 'x.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(path.join(uiDir, 'data.bin'), 'bytes');
    writeFileSync(path.join(uiDir, '.hidden'), SECRET);
    writeFileSync(path.join(root, 'secret.txt'), SECRET);
    // A sibling folder whose name starts with the ui folder's name: a plain prefix check would pass it.
    mkdirSync(path.join(root, 'ui-private'));
    writeFileSync(path.join(root, 'ui-private', 'secret.txt'), SECRET);
    ({ server, port } = await listen(createUiHandler({ uiDir })));
  });
  after(async () => {
    await close(server);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('serves files of the given folder, nested ones too, with their types', async () => {
    const index = await request(port, '/');
    assert.equal(index.status, 200);
    assert.equal(index.body, '<!doctype html><title>t</title>');
    const svg = await request(port, '/ui/nested/x.svg');
    assert.equal(svg.status, 200);
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    const bin = await request(port, '/ui/data.bin');
    assert.equal(bin.status, 200);
    assert.equal(bin.headers['content-type'], 'application/octet-stream');
  });

  const attempts = [
    '/ui/../secret.txt',
    '/ui/../../etc/passwd',
    '/ui/%2e%2e/secret.txt',
    '/ui/%2E%2E%2Fsecret.txt',
    '/ui/..%2fsecret.txt',
    '/ui/..%5csecret.txt',
    '/ui/nested/../../secret.txt',
    '/ui/nested/%2e%2e/%2e%2e/secret.txt',
    '/ui/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/ui/%2fetc%2fpasswd',
    '/ui//etc/passwd',
    '/ui/../ui-private/secret.txt',
    '/ui/%2e%2e%2fui-private%2fsecret.txt',
    '/ui/.hidden',
    '/ui/./.hidden',
    '/ui/secret.txt%00.js',
    '/ui/%E0%A4%A',
    '/ui/%',
    '/ui/\\..\\secret.txt',
  ];

  for (const attempt of attempts) {
    it(`refuses ${attempt}`, async () => {
      const answer = await request(port, attempt);
      assert.ok(answer.status === 404 || answer.status === 418, `${attempt} → ${answer.status}`);
      assert.ok(!answer.body.includes(SECRET), `${attempt} leaked the secret`);
      assert.ok(!answer.body.includes('root:'), `${attempt} leaked /etc/passwd`);
    });
  }
});
