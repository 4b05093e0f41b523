'use strict';
// The load generator of test/load/local-udp.load.ts, run as its own process so the server's figures are
// its own: sends RATE valid segment documents per second for SECONDS seconds to 127.0.0.1:PORT over
// UDP, paced in ~1 ms slices. Every document is a new trace (fresh X-Ray trace id, xray-protocol.md
// §9); datagrams are made from one pre-serialised template by writing the counter into fixed slots,
// so the sender spends its time sending. Prints one JSON line: { sent, errors, seconds }.
//   node local-load-sender.cjs PORT RATE SECONDS
const dgram = require('node:dgram');
const { randomBytes } = require('node:crypto');

const [port, rate, seconds] = process.argv.slice(2).map(Number);
const epoch = Math.floor(Date.now() / 1000);
const prefix = randomBytes(4).toString('hex');
const now = Date.now() / 1000;
const TRACE_SLOT = 'TTTTTTTTTTTTTTTT';
const ID_SLOT = 'IIIIIIIIIIIIIIII';
const document = {
  trace_id: `1-${epoch.toString(16)}-${prefix}${TRACE_SLOT}`,
  id: ID_SLOT,
  name: 'load-test',
  start_time: now,
  end_time: now + 0.012,
  origin: 'AWS::EC2::Instance',
  http: { request: { method: 'GET', url: 'http://load.example/items' }, response: { status: 200 } },
  annotations: { batch: 'load' },
};
const template = Buffer.from(`{"format":"json","version":1}\n${JSON.stringify(document)}`, 'utf8');
const traceAt = template.indexOf(TRACE_SLOT);
const idAt = template.indexOf(ID_SLOT);

function datagram(n) {
  const buf = Buffer.from(template);
  // 16 hex digits of n, +1 so no id is all zeros.
  const hex = (n + 1).toString(16).padStart(16, '0');
  buf.write(hex, traceAt, 'latin1');
  buf.write(hex, idAt, 'latin1');
  return buf;
}

const socket = dgram.createSocket('udp4');
let sent = 0;
let errors = 0;
let queued = 0;
let done = 0;
const start = process.hrtime.bigint();
const total = Math.round(rate * seconds);

function onSent(error) {
  done++;
  if (error) errors++;
  else sent++;
  if (queued === total && done === total) finish();
}

function finish() {
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ sent, errors, seconds: elapsed }) + '\n');
  socket.close();
}

function tick() {
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const due = Math.min(total, Math.floor(elapsed * rate));
  // At most two slices' worth at once, so a stall never turns into one huge burst.
  const limit = Math.min(due, queued + Math.ceil(rate / 500));
  while (queued < limit) socket.send(datagram(queued++), port, '127.0.0.1', onSent);
  if (queued < total) setTimeout(tick, 1);
}

socket.connect(port, '127.0.0.1', () => {
  // connected socket: the address is given once; send() without it.
  const send = socket.send.bind(socket);
  socket.send = (buf, _port, _host, cb) => send(buf, cb);
  tick();
});
