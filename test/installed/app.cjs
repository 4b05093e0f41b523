'use strict';
// The app a new user writes: plain Express, no tracing code at all. test/installed/run.sh copies it
// into a temporary folder outside the repository and starts it as
// `node -r @xray-otel/register app.cjs`. Prints `LISTENING <port>` once it accepts requests.
//   GET /hello       200
//   GET /boom        throws (Express answers 500)
//   GET /downstream  calls DOWNSTREAM_URL (an untraced service) with http.get, answers its status
const http = require('node:http');
const express = require('express');

const app = express();

app.get('/hello', (req, res) => {
  res.json({ hello: 'world' });
});

app.get('/boom', () => {
  throw new Error('boom from the installed app');
});

app.get('/downstream', (req, res, next) => {
  http
    .get(`${process.env.DOWNSTREAM_URL}/stock?item=sku-1`, (response) => {
      response.resume();
      response.on('end', () => res.json({ downstream: response.statusCode }));
    })
    .on('error', next);
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
