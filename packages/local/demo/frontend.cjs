'use strict';
// Demo service `frontend` (OpenTelemetry through `node -r @xray-otel/register`, plain `http`): the
// entry point the demo sends traffic to. `GET /checkout?customer=<id>&item=<sku>` calls `orders`
// and answers with its status; `GET /` answers directly.
const http = require('node:http');
const { call, downstream, serve } = require('./lib.cjs');

const ORDERS_URL = downstream('ORDERS_URL');

serve(
  http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://frontend');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/') {
      res.end('{"ok":true}');
      return;
    }
    if (url.pathname !== '/checkout') {
      res.writeHead(404);
      res.end('{"error":"not found"}');
      return;
    }
    try {
      const orders = await call(`${ORDERS_URL}/orders${url.search}`);
      res.writeHead(orders.status);
      res.end(orders.body);
    } catch (err) {
      res.writeHead(502);
      res.end(JSON.stringify({ error: String(err && err.message) }));
    }
  }),
);
