'use strict';
// An untraced service the installed app calls (no preload): in X-Ray it shows up only as the app's
// remote subsegment and as an inferred node of the service map. Prints `LISTENING <port>`.
const http = require('node:http');

const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ item: 'sku-1', inStock: true }));
});
server.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
