// The xray-local web viewer in a real browser (Debian's Chromium driven by playwright-core): a real
// XRayLocal server on ephemeral ports receives a small multi-service trace set as UDP datagrams, and
// the page must draw the service map, filter the trace list (and show a bad filter's position), open
// a trace as a timeline with details, show span-derived text literally (never as HTML), and list a
// rejected datagram. A full-page screenshot is saved to test/artifacts/viewer.png.
//
// Skips, saying why, when /usr/bin/chromium is missing (CHROMIUM_PATH overrides the path).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import { existsSync, mkdirSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { XRayLocal } from '../packages/local/src/server';
import { missingChromium, skipIfMissing } from './helpers/prerequisites';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, 'artifacts');
const SCREENSHOT = path.join(ARTIFACTS, 'viewer.png');
const HEADER_LINE = '{"format":"json","version":1}';
const WAIT_MS = 10000;

/** onerror sets a global, so the test can tell whether the markup ever ran. */
const XSS = '<img src=x onerror="window.__xss=1">';

type Doc = Record<string, unknown>;

function newTraceId(): string {
  return `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

function newId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Three traces in the X-Ray segment format:
 * 1. POST /checkout: frontend -> api.example.com (remote, untraced) and frontend -> orders (traced),
 *    orders -> DynamoDB PutItem; orders faults (500) with a cause carrying stack frames.
 * 2. GET /products: OK; a subsegment named with an HTML payload, an annotation with it, an SQL call.
 * 3. POST /pay: frontend -> orders -> payments, throttled (429) all the way up.
 */
function seedDocuments(): Doc[] {
  const t0 = Date.now() / 1000 - 5;
  const docs: Doc[] = [];
  {
    const traceId = newTraceId();
    const toOrders = newId();
    docs.push({
      trace_id: traceId,
      id: newId(),
      name: 'frontend',
      origin: 'AWS::EC2::Instance',
      start_time: t0,
      end_time: t0 + 0.182,
      fault: true,
      http: {
        request: { method: 'POST', url: 'http://shop.local/checkout', client_ip: '10.0.0.7' },
        response: { status: 500 },
      },
      annotations: { customer_tier: 'gold' },
      subsegments: [
        {
          id: newId(),
          name: 'api.example.com',
          namespace: 'remote',
          start_time: t0 + 0.004,
          end_time: t0 + 0.041,
          http: {
            request: { method: 'GET', url: 'https://api.example.com/rates' },
            response: { status: 200 },
          },
        },
        {
          id: toOrders,
          name: 'orders',
          namespace: 'remote',
          start_time: t0 + 0.045,
          end_time: t0 + 0.176,
          fault: true,
          http: {
            request: { method: 'POST', url: 'http://orders:8080/orders', traced: true },
            response: { status: 500 },
          },
        },
      ],
    });
    docs.push({
      trace_id: traceId,
      id: newId(),
      parent_id: toOrders,
      name: 'orders',
      origin: 'AWS::ECS::Container',
      start_time: t0 + 0.05,
      end_time: t0 + 0.17,
      fault: true,
      http: { request: { method: 'POST', url: 'http://orders:8080/orders' }, response: { status: 500 } },
      annotations: { order_id: 'o-1001' },
      metadata: { default: { cart: { items: 3, total: 42.5 } } },
      cause: {
        working_directory: '/srv/orders',
        exceptions: [
          {
            id: newId(),
            type: 'ConditionalCheckFailedException',
            message: 'The conditional request failed',
            stack: [
              { label: 'putOrder', path: '/srv/orders/src/db.js', line: 42 },
              { label: 'handleCreate', path: '/srv/orders/src/routes.js', line: 17 },
            ],
          },
        ],
      },
      subsegments: [
        { id: newId(), name: 'validate', start_time: t0 + 0.052, end_time: t0 + 0.058 },
        {
          id: newId(),
          name: 'DynamoDB',
          namespace: 'aws',
          start_time: t0 + 0.06,
          end_time: t0 + 0.16,
          fault: true,
          aws: {
            operation: 'PutItem',
            table_name: 'orders',
            region: 'us-east-1',
            request_id: 'REQ123',
            retries: 0,
          },
          http: { response: { status: 500 } },
        },
      ],
    });
  }
  {
    docs.push({
      trace_id: newTraceId(),
      id: newId(),
      name: 'frontend',
      origin: 'AWS::EC2::Instance',
      start_time: t0 + 1,
      end_time: t0 + 1.035,
      http: { request: { method: 'GET', url: 'http://shop.local/products' }, response: { status: 200 } },
      annotations: { note: XSS },
      subsegments: [
        { id: newId(), name: XSS, start_time: t0 + 1.002, end_time: t0 + 1.012 },
        {
          id: newId(),
          name: 'shop@db',
          namespace: 'remote',
          start_time: t0 + 1.013,
          end_time: t0 + 1.03,
          sql: {
            url: 'postgresql://db:5432/shop',
            database_type: 'PostgreSQL',
            sanitized_query: 'SELECT * FROM products WHERE id = $1',
          },
        },
      ],
    });
  }
  {
    const traceId = newTraceId();
    const toOrders = newId();
    const toPayments = newId();
    const throttled = { error: true, throttle: true };
    docs.push({
      trace_id: traceId,
      id: newId(),
      name: 'frontend',
      origin: 'AWS::EC2::Instance',
      start_time: t0 + 2,
      end_time: t0 + 2.09,
      error: true,
      http: { request: { method: 'POST', url: 'http://shop.local/pay' }, response: { status: 429 } },
      subsegments: [
        {
          id: toOrders,
          name: 'orders',
          namespace: 'remote',
          start_time: t0 + 2.002,
          end_time: t0 + 2.088,
          ...throttled,
          http: {
            request: { method: 'POST', url: 'http://orders:8080/pay', traced: true },
            response: { status: 429 },
          },
        },
      ],
    });
    docs.push({
      trace_id: traceId,
      id: newId(),
      parent_id: toOrders,
      name: 'orders',
      origin: 'AWS::ECS::Container',
      start_time: t0 + 2.005,
      end_time: t0 + 2.085,
      ...throttled,
      http: { request: { method: 'POST', url: 'http://orders:8080/pay' }, response: { status: 429 } },
      subsegments: [
        {
          id: toPayments,
          name: 'payments',
          namespace: 'remote',
          start_time: t0 + 2.01,
          end_time: t0 + 2.08,
          ...throttled,
          http: {
            request: { method: 'POST', url: 'http://payments:9000/charge', traced: true },
            response: { status: 429 },
          },
        },
      ],
    });
    docs.push({
      trace_id: traceId,
      id: newId(),
      parent_id: toPayments,
      name: 'payments',
      start_time: t0 + 2.015,
      end_time: t0 + 2.075,
      ...throttled,
      http: { request: { method: 'POST', url: 'http://payments:9000/charge' }, response: { status: 429 } },
    });
  }
  return docs;
}

async function sendDatagrams(port: number, payloads: string[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  try {
    for (const payload of payloads) {
      await new Promise<void>((resolve, reject) =>
        socket.send(Buffer.from(payload), port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
}

async function waitFor(what: string, check: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function getJson(port: number, target: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: target, timeout: 5000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${target}: no answer within 5 s`)));
    request.on('error', reject);
  });
}

// What the page callbacks below see (they run in the browser; this program has no DOM types): the
// viewer's test hook (ui/app.js: window.__xrayLocal), the XSS flag and the bits of DOM they touch.
interface InPage {
  __xss?: unknown;
  __xrayLocal: {
    state: { refreshCount: number; selectedTraceId?: string };
    cy: {
      nodes(): { map<T>(fn: (node: CyElement) => T): T[] };
      edges(): { map<T>(fn: (edge: CyElement) => T): T[] };
    };
  };
  document: {
    querySelector(selector: string): { textContent: string | null } | null;
    querySelectorAll(selector: string): { length: number };
  };
}
interface CyElement {
  data(key: string): unknown;
  hasClass(name: string): boolean;
  source(): CyElement;
  target(): CyElement;
}
interface PageElement {
  dataset: Record<string, string | undefined>;
  style: { left: string; width: string };
}

describe('local: web viewer in a real browser', function () {
  this.timeout(60000);

  let local: XRayLocal | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let uiPort = 0;
  let udpPort = 0;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const failedResponses: string[] = [];
  const dialogs: string[] = [];

  before(async function () {
    skipIfMissing(this, missingChromium(CHROMIUM));
    local = new XRayLocal({ host: '127.0.0.1', udpPort: 0, tcpPort: 0, otlpPort: 0, uiPort: 0, quiet: true });
    ({ uiPort, udpPort } = await local.start());
    const docs = seedDocuments();
    await sendDatagrams(
      udpPort,
      docs.map((doc) => HEADER_LINE + '\n' + JSON.stringify(doc)),
    );
    const server = local;
    await waitFor(`${docs.length} documents accepted`, () => {
      const stats = server.stats();
      assert.equal(stats.rejected, 0, JSON.stringify(server.rejected(5)));
      return stats.accepted === docs.length;
    });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400)
        failedResponses.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`http://127.0.0.1:${uiPort}/`, { timeout: WAIT_MS });
    await page.waitForFunction(() => (globalThis as unknown as InPage).__xrayLocal?.state.refreshCount > 0);
  });

  after(async () => {
    await browser?.close();
    await local?.stop();
  });

  it('shows the counters in the header', async () => {
    await page.waitForFunction(
      () =>
        (globalThis as unknown as InPage).document.querySelector('[data-stat="accepted"] .stat-value')
          ?.textContent === '6',
    );
    assert.equal(await page.textContent('[data-stat="received"] .stat-value'), '6');
    assert.equal(await page.textContent('[data-stat="rejected"] .stat-value'), '0');
    assert.equal(await page.textContent('[data-stat="evicted"] .stat-value'), '0');
    assert.equal(await page.textContent('[data-stat="traces"] .stat-value'), '3');
  });

  it('draws the service map: services, inferred nodes, the client, edges with counts and latency', async () => {
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).__xrayLocal.cy.nodes().map((n) => n).length >= 7,
    );
    const nodes = await page.evaluate(() =>
      (globalThis as unknown as InPage).__xrayLocal.cy.nodes().map((node) => ({
        label: node.data('label'),
        status: node.data('status'),
        inferred: node.hasClass('inferred'),
        client: node.hasClass('client'),
      })),
    );
    const byLabel = new Map(nodes.map((node) => [node.label, node]));
    assert.deepEqual([...byLabel.keys()].sort(), [
      'Client',
      'DynamoDB\nAWS::DynamoDB',
      'api.example.com\nremote',
      'frontend\nAWS::EC2::Instance',
      'orders\nAWS::ECS::Container',
      'payments\nservice',
      'shop@db\nremote',
    ]);
    assert.equal(byLabel.get('Client')?.client, true);
    assert.equal(byLabel.get('DynamoDB\nAWS::DynamoDB')?.inferred, true);
    assert.equal(byLabel.get('api.example.com\nremote')?.inferred, true);
    assert.equal(byLabel.get('orders\nAWS::ECS::Container')?.inferred, false);
    // Colours as in X-Ray: red faults, purple throttles, green OK.
    assert.equal(byLabel.get('orders\nAWS::ECS::Container')?.status, 'fault');
    assert.equal(byLabel.get('payments\nservice')?.status, 'throttle');
    assert.equal(byLabel.get('api.example.com\nremote')?.status, 'ok');

    const edges = await page.evaluate(() =>
      (globalThis as unknown as InPage).__xrayLocal.cy
        .edges()
        .map(
          (edge) => `${edge.source().data('name')} -> ${edge.target().data('name')}: ${edge.data('label')}`,
        ),
    );
    const edgeLabel = (prefix: string): string | undefined => edges.find((edge) => edge.startsWith(prefix));
    assert.match(
      edgeLabel('client -> frontend:') ?? '',
      /^client -> frontend: 3 req · [\d.]+ ms avg$/,
      edges.join('\n'),
    );
    assert.match(edgeLabel('frontend -> orders:') ?? '', /: 2 req · [\d.]+ ms avg$/, edges.join('\n'));
    assert.match(edgeLabel('orders -> DynamoDB:') ?? '', /: 1 req · 100 ms avg$/, edges.join('\n'));
    assert.match(edgeLabel('orders -> payments:') ?? '', /: 1 req · /, edges.join('\n'));
    assert.ok(edgeLabel('frontend -> api.example.com:'), edges.join('\n'));
  });

  it('lists the traces and filters them with an X-Ray filter expression', async () => {
    const rows = page.locator('#trace-list tbody tr');
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).document.querySelectorAll('#trace-list tbody tr').length === 3,
    );
    await page.fill('#filter', 'service("orders")');
    await page.press('#filter', 'Enter');
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).document.querySelectorAll('#trace-list tbody tr').length === 2,
    );
    const names = await rows.locator('td.name .label').allTextContents();
    assert.deepEqual(names.sort(), ['POST http://shop.local/checkout', 'POST http://shop.local/pay']);
    assert.equal(await page.isHidden('#filter-error'), true);
    assert.match((await page.textContent('#trace-count')) ?? '', /^2 traces matching the filter$/);
  });

  it('shows a bad filter expression with a caret under its position', async () => {
    const bad = 'service("orders") AND responsetime >';
    const api = await getJson(uiPort, '/api/traces?filter=' + encodeURIComponent(bad));
    assert.equal(api.status, 400);
    const position = api.body.position as number;
    assert.equal(typeof position, 'number');

    await page.fill('#filter', bad);
    await page.press('#filter', 'Enter');
    await page.waitForSelector('#filter-error:not([hidden])');
    const lines = ((await page.textContent('#filter-error pre')) ?? '').split('\n');
    assert.equal(lines[0], bad);
    assert.equal(lines[1], ' '.repeat(position) + '^');
    assert.equal(await page.textContent('#filter-error .message'), api.body.error);
    assert.match(String(api.body.error), new RegExp(`position ${position}`));
    assert.equal(await page.locator('#trace-list tbody tr').count(), 0);
    assert.equal(await page.textContent('#trace-count'), 'filter error');

    await page.click('#filter-clear');
    await page.waitForSelector('#filter-error', { state: 'hidden' });
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).document.querySelectorAll('#trace-list tbody tr').length === 3,
    );
  });

  it('opens a trace as a timeline, one row per (sub)segment, and shows a row’s details', async () => {
    await page.locator('#trace-list tbody tr', { hasText: '/checkout' }).click();
    await page.waitForSelector('#timeline .tl-row.segment');
    const rows = await page.$$eval('#timeline .tl-row:not(.tl-axis)', (elements) =>
      elements.map((row) => ({
        name: row.querySelector('.label')?.textContent,
        depth: Number((row as unknown as PageElement).dataset.depth),
        status: (row as unknown as PageElement).dataset.status,
        duration: row.querySelector('.tl-duration')?.textContent,
        left: parseFloat((row.querySelector('.tl-bar') as unknown as PageElement).style.left),
        width: parseFloat((row.querySelector('.tl-bar') as unknown as PageElement).style.width),
      })),
    );
    assert.deepEqual(
      rows.map((row) => `${'  '.repeat(row.depth)}${row.name} ${row.status} ${row.duration}`),
      [
        'frontend fault 182 ms',
        '  api.example.com ok 37.0 ms',
        '  orders fault 131 ms',
        '    orders fault 120 ms',
        '      validate ok 6.00 ms',
        '      DynamoDB fault 100 ms',
      ],
    );
    // Bars are placed by start/end relative to the trace: the root spans it all.
    assert.equal(rows[0].left, 0);
    assert.ok(Math.abs(rows[0].width - 100) < 0.01, String(rows[0].width));
    assert.ok(Math.abs(rows[3].left - (50 / 182) * 100) < 0.1, String(rows[3].left));
    assert.ok(Math.abs(rows[3].width - (120 / 182) * 100) < 0.1, String(rows[3].width));

    // The orders segment: annotations, metadata, http and the cause with its stack frames.
    await page.locator('#timeline .tl-row.segment', { hasText: 'AWS::ECS::Container' }).click();
    await page.waitForSelector('#details [data-block="cause"]');
    const cause = (await page.textContent('#details [data-block="cause"]')) ?? '';
    assert.match(cause, /ConditionalCheckFailedException: The conditional request failed/);
    assert.match(cause, /putOrder — \/srv\/orders\/src\/db\.js:42/);
    assert.match(cause, /handleCreate — \/srv\/orders\/src\/routes\.js:17/);
    assert.match((await page.textContent('#details [data-block="annotations"]')) ?? '', /order_id\s*o-1001/);
    assert.match((await page.textContent('#details [data-block="metadata"]')) ?? '', /"total": 42.5/);
    assert.match((await page.textContent('#details [data-block="http"]')) ?? '', /response\.status\s*500/);

    // The DynamoDB call: its aws block.
    await page.locator('#timeline .tl-row', { hasText: 'DynamoDB' }).click();
    await page.waitForSelector('#details [data-block="aws"]');
    const aws = (await page.textContent('#details [data-block="aws"]')) ?? '';
    assert.match(aws, /operation\s*PutItem/);
    assert.match(aws, /table_name\s*orders/);
  });

  it('keeps the open trace and the selected row across refreshes', async () => {
    const before = await page.evaluate(
      () => (globalThis as unknown as InPage).__xrayLocal.state.refreshCount,
    );
    await page.waitForFunction(
      (count) => (globalThis as unknown as InPage).__xrayLocal.state.refreshCount >= count + 2,
      before,
      { timeout: 8000 },
    );
    assert.match((await page.textContent('#details h3')) ?? '', /^DynamoDB$/);
    assert.equal(await page.locator('#timeline .tl-row.selected .label').textContent(), 'DynamoDB');
    assert.equal(await page.locator('#trace-list tbody tr.selected').count(), 1);
    assert.match((await page.locator('#trace-list tbody tr.selected').textContent()) ?? '', /\/checkout/);
  });

  it('pauses the refresh while the user types in the filter box', async () => {
    await page.focus('#filter');
    await page.keyboard.type('service("fr');
    const count = await page.evaluate(() => (globalThis as unknown as InPage).__xrayLocal.state.refreshCount);
    await page.waitForTimeout(2600);
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as InPage).__xrayLocal.state.refreshCount),
      count,
    );
    assert.equal(await page.textContent('#connection'), 'paused while you type');
    await page.click('#filter-clear');
  });

  it('renders span-derived HTML as text: no element is created and no handler runs', async () => {
    await page.locator('#trace-list tbody tr', { hasText: '/products' }).click();
    await page.waitForFunction(
      () =>
        (globalThis as unknown as InPage).document.querySelectorAll('#timeline .tl-row.subsegment').length ===
        2,
    );
    const payloadRow = page.locator('#timeline .tl-row.subsegment').first();
    assert.equal(await payloadRow.locator('.label').textContent(), XSS);
    assert.equal(await payloadRow.locator('.label').isVisible(), true);
    await page.locator('#timeline .tl-row.segment').first().click();
    await page.waitForSelector('#details [data-block="annotations"]');
    assert.equal(await page.textContent('#details [data-block="annotations"] td.value'), XSS);
    await page.getByText(XSS, { exact: true }).first().waitFor({ state: 'visible' });

    await page.waitForTimeout(300); // an injected image would have failed to load (and fired onerror) by now
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as InPage).__xss), undefined);
    assert.deepEqual(dialogs, []);
  });

  it('lists a rejected datagram with its reason and sample', async () => {
    await sendDatagrams(udpPort, [HEADER_LINE + '\n{"trace_id": not json']);
    await page.waitForSelector('#rejected-list tbody tr', { timeout: WAIT_MS });
    const row = page.locator('#rejected-list tbody tr').first();
    const reason = (await row.locator('td.reason').textContent()) ?? '';
    assert.ok(reason.length > 0);
    assert.equal(reason, local?.rejected(1)[0].reason);
    assert.equal(await row.locator('td').nth(1).textContent(), 'udp');
    assert.match((await row.locator('td.sample pre').textContent()) ?? '', /not json/);
    assert.equal(await page.isHidden('#rejected-empty'), true);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as InPage).document.querySelector('[data-stat="rejected"] .stat-value')
          ?.textContent === '1',
    );
  });

  it('saves a full-page screenshot and logged no page errors', async () => {
    await page.locator('#trace-list tbody tr', { hasText: '/checkout' }).click();
    await page.locator('#timeline .tl-row.segment', { hasText: 'AWS::ECS::Container' }).click();
    await page.waitForSelector('#details [data-block="cause"]');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true, timeout: WAIT_MS });
    assert.ok(existsSync(SCREENSHOT));
    assert.deepEqual(pageErrors, []);
    // The only failed request is the bad filter's 400 (which the browser logs as a console error);
    // a content-security-policy violation or a missing file would show up here.
    assert.deepEqual(failedResponses, ['400 /api/traces']);
    assert.deepEqual(
      consoleErrors.filter((text) => !/^Failed to load resource: .* 400 \(Bad Request\)$/.test(text)),
      [],
    );
  });
});
