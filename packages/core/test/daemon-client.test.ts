import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';
import {
  CLIENT_CLOSED,
  QUEUE_FULL,
  RETRY_DELAY_MS,
  UdpDaemonClient,
  type UdpDaemonClientOptions,
} from '../src/daemon-client';
import { parseDaemonAddress } from '../src/daemon-address';
import { skipIfMissing } from '../../../test/helpers/prerequisites';
import { captureDiag, hasIpv6Loopback } from './helpers';
import { createSink, freePort, type UdpSink } from './udp-sink';

/** Sends `datagrams` and resolves with each one's outcome (undefined = sent, else the code). */
function sendAll(client: UdpDaemonClient, datagrams: Buffer[]): Promise<(string | undefined)[]> {
  return Promise.all(
    datagrams.map((datagram) => new Promise<string | undefined>((resolve) => client.send(datagram, resolve))),
  );
}

const payload = (i: number): Buffer => Buffer.from(`{"format":"json","version":1}\n{"n":${i}}`);
const payloads = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => payload(i));

/** Every datagram is accounted for once nothing is pending. */
function assertAccounted(client: UdpDaemonClient, given: number): void {
  const c = client.counters;
  const errors = Object.values(c.sendErrors).reduce((a, b) => a + b, 0);
  assert.equal(c.pending, 0);
  assert.equal(c.datagramsSent + errors + c.datagramsDropped, given, JSON.stringify(c));
}

/** Counts the look-ups of host names (dgram looks IP literals up too; those do not count). */
function countLookups(): { names: string[]; restore: () => void } {
  const names: string[] = [];
  const original = dns.lookup;
  (dns as { lookup: unknown }).lookup = (...args: unknown[]) => {
    if (isIP(String(args[0])) === 0) names.push(String(args[0]));
    return (original as (...a: unknown[]) => void)(...args);
  };
  return { names, restore: () => ((dns as { lookup: unknown }).lookup = original) };
}

describe('UdpDaemonClient', () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  const clients: UdpDaemonClient[] = [];
  const sinks: UdpSink[] = [];

  function newClient(address: string, options: Partial<UdpDaemonClientOptions> = {}): UdpDaemonClient {
    const client = new UdpDaemonClient({ endpoint: parseDaemonAddress(address).udp, ...options });
    clients.push(client);
    return client;
  }
  async function newSink(type: 'udp4' | 'udp6' = 'udp4', port = 0): Promise<UdpSink> {
    const sink = await createSink(type, undefined, port);
    sinks.push(sink);
    return sink;
  }

  before(() => process.on('unhandledRejection', onRejection));
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(sinks.splice(0).map((s) => s.close()));
  });
  after(() => {
    process.off('unhandledRejection', onRejection);
    assert.deepEqual(rejections, [], 'no unhandled rejection');
  });

  it('sends each datagram as given over one connected socket, and counts them', async () => {
    const sink = await newSink();
    const client = newClient(`127.0.0.1:${sink.port}`);
    const sent = payloads(3);
    let called = 0;
    const outcomes = sendAll(client, sent);
    client.send(payload(3), () => called++);
    // The first sends wait for the socket: nothing is called back on the caller's tick.
    assert.equal(called, 0);
    assert.deepEqual(await outcomes, [undefined, undefined, undefined]);
    const received = await sink.waitFor(4);
    assert.deepEqual(
      received.map((d) => d.toString()).sort(),
      [...sent, payload(3)].map((d) => d.toString()).sort(),
    );
    await client.forceFlush();
    const c = client.counters;
    assert.equal(c.datagramsSent, 4);
    assert.equal(
      c.bytesSent,
      [...sent, payload(3)].reduce((n, d) => n + d.length, 0),
    );
    assertAccounted(client, 4);
  });

  it('reaches a daemon on [::1] with a udp6 socket', async function () {
    skipIfMissing(this, hasIpv6Loopback() ? undefined : 'an IPv6 loopback address ::1 on this machine');
    const sink = await newSink('udp6');
    const client = newClient(`[::1]:${sink.port}`);
    assert.deepEqual(await sendAll(client, [payload(1)]), [undefined]);
    assert.equal((await sink.waitFor(1)).length, 1);
  });

  it('looks a host name up once, off the caller tick', async () => {
    const sink = await newSink();
    const lookups = countLookups();
    try {
      const client = newClient(`localhost:${sink.port}`);
      assert.deepEqual(await sendAll(client, payloads(2)), [undefined, undefined]);
      assert.deepEqual(await sendAll(client, payloads(2)), [undefined, undefined]);
      assert.equal((await sink.waitFor(4)).length, 4);
      assert.deepEqual(lookups.names, ['localhost']);
    } finally {
      lookups.restore();
    }
  });

  it('counts ECONNREFUSED when nothing listens, says it once (rate-limited), never throws', async () => {
    const port = await freePort();
    const log = captureDiag();
    try {
      const client = newClient(`127.0.0.1:${port}`, { logPrefix: 'test: ', datagramName: 'a test datagram' });
      for (let i = 0; i < 5; i++) await sendAll(client, payloads(4));
      const c = client.counters;
      assert.ok((c.sendErrors.ECONNREFUSED ?? 0) >= 1, JSON.stringify(c));
      assertAccounted(client, 20);
      const refused = log.lines.filter((l) => l.includes('ECONNREFUSED'));
      assert.equal(refused.length, 1, log.lines.join('\n'));
      assert.match(
        refused[0],
        new RegExp(
          `^test: could not send a test datagram to the X-Ray daemon at 127\\.0\\.0\\.1:${port}: ECONNREFUSED`,
        ),
      );
    } finally {
      log.restore();
    }
  });

  it('looks a host name up again after send failures, at most once a second, and finds the daemon', async () => {
    const port = await freePort();
    let time = 1_000_000;
    const lookups = countLookups();
    try {
      const client = newClient(`localhost:${port}`, { now: () => time });
      for (let i = 0; i < 3; i++) await sendAll(client, payloads(3));
      assert.ok((client.counters.sendErrors.ECONNREFUSED ?? 0) >= 1);
      // Failures within the second after the connect: no new look-up.
      assert.deepEqual(lookups.names, ['localhost']);
      time += RETRY_DELAY_MS;
      // The daemon comes up on that port; the next send looks the name up again and arrives.
      const sink = await newSink('udp4', port);
      assert.deepEqual(await sendAll(client, [payload(9)]), [undefined]);
      assert.deepEqual(lookups.names, ['localhost', 'localhost']);
      assert.equal((await sink.waitFor(1))[0].toString(), payload(9).toString());
      assertAccounted(client, 10);
    } finally {
      lookups.restore();
    }
  });

  it('fails the datagrams of an unresolvable host, then fails at once for a second, then looks up again', async () => {
    let time = 5_000_000;
    const log = captureDiag();
    const lookups = countLookups();
    try {
      const client = newClient('nonexistent.invalid:2000', { now: () => time });
      const first = await sendAll(client, payloads(2));
      const code = String(first[0]);
      assert.match(code, /^(ENOTFOUND|EAI_AGAIN)$/);
      assert.deepEqual(first, [code, code]);
      assert.equal(client.counters.sendErrors[code], 2);
      // Within the retry delay: refused at once, on the caller's tick, with no new look-up.
      let now: string | undefined;
      client.send(payload(3), (c) => (now = c));
      assert.equal(now, code);
      assert.deepEqual(lookups.names, ['nonexistent.invalid']);
      time += RETRY_DELAY_MS;
      assert.deepEqual(await sendAll(client, [payload(4)]), [code]);
      assert.deepEqual(lookups.names, ['nonexistent.invalid', 'nonexistent.invalid']);
      assertAccounted(client, 4);
      // Said once per code and interval, however many datagrams failed.
      assert.equal(log.lines.filter((l) => l.includes(code)).length, 1, log.lines.join('\n'));
      await client.close();
    } finally {
      lookups.restore();
      log.restore();
    }
  });

  it('caps pending datagrams: beyond maxPendingDatagrams they are refused with QUEUE_FULL and counted', async () => {
    const sink = await newSink();
    const log = captureDiag();
    try {
      const client = newClient(`127.0.0.1:${sink.port}`, { maxPendingDatagrams: 100 });
      // The first sends wait for the socket to connect, so all 1,000 are pending at once.
      const outcomes = await sendAll(client, payloads(1000));
      assert.equal(outcomes.filter((o) => o === undefined).length, 100);
      assert.equal(outcomes.filter((o) => o === QUEUE_FULL).length, 900);
      const c = client.counters;
      assert.equal(c.datagramsDropped, 900);
      assert.equal(c.datagramsSent, 100);
      assertAccounted(client, 1000);
      assert.equal(log.lines.filter((l) => l.includes('dropped')).length, 1, log.lines.join('\n'));
    } finally {
      log.restore();
    }
  });

  it('forceFlush resolves once every datagram has been taken by the kernel', async () => {
    const sink = await newSink();
    const client = newClient(`127.0.0.1:${sink.port}`);
    await client.forceFlush(); // nothing pending
    let settled = 0;
    for (const datagram of payloads(3)) client.send(datagram, () => settled++);
    assert.equal(client.pending, 3);
    await client.forceFlush();
    assert.equal(client.pending, 0);
    assert.equal(settled, 3);
    assert.equal(client.counters.datagramsSent, 3);
  });

  it('close flushes first, is idempotent, and later sends fail with CLOSED', async () => {
    const sink = await newSink();
    const client = newClient(`127.0.0.1:${sink.port}`);
    const outcomes = sendAll(client, payloads(2));
    const a = client.close();
    assert.equal(client.close(), a);
    await a;
    assert.deepEqual(await outcomes, [undefined, undefined]);
    assert.deepEqual(await sendAll(client, [payload(3)]), [CLIENT_CLOSED]);
    assertAccounted(client, 3);
    assert.equal((await sink.waitFor(2)).length, 2);
  });

  it('close without any send opens no socket and resolves', async () => {
    await new UdpDaemonClient({ endpoint: parseDaemonAddress('127.0.0.1:2000').udp }).close();
  });

  it('a throwing callback is said through diag and does not stop the others', async () => {
    const sink = await newSink();
    const log = captureDiag();
    try {
      const client = newClient(`127.0.0.1:${sink.port}`);
      let second = false;
      client.send(payload(1), () => {
        throw new Error('callback bug');
      });
      client.send(payload(2), () => (second = true));
      await client.forceFlush();
      assert.equal(second, true);
      assert.ok(
        log.lines.some((l) => l.includes('callback threw: callback bug')),
        log.lines.join('\n'),
      );
    } finally {
      log.restore();
    }
  });

  it('falls back to 10,000 pending datagrams for a bad maxPendingDatagrams', async () => {
    const sink = await newSink();
    const client = newClient(`127.0.0.1:${sink.port}`, { maxPendingDatagrams: -1 });
    const outcomes = await sendAll(client, payloads(200));
    assert.equal(outcomes.filter((o) => o === undefined).length, 200);
  });
});

describe('UdpDaemonClient, rare paths', () => {
  it('a connect that fails fails the waiting datagrams with its code, then retries after a second', async () => {
    // Fault injection: the kernel refuses the connect (as EAFNOSUPPORT would on a host without IPv6).
    const original = dgram.Socket.prototype.connect;
    let refuse = true;
    dgram.Socket.prototype.connect = function (this: dgram.Socket, ...args: unknown[]) {
      if (!refuse) return (original as (...a: unknown[]) => void).apply(this, args);
      setImmediate(() => this.emit('error', Object.assign(new Error('simulated'), { code: 'EAFNOSUPPORT' })));
    } as typeof original;
    const sink = await createSink();
    let time = 0;
    const client = new UdpDaemonClient({
      endpoint: parseDaemonAddress(`127.0.0.1:${sink.port}`).udp,
      now: () => time,
    });
    const log = captureDiag();
    try {
      assert.deepEqual(await sendAll(client, payloads(2)), ['EAFNOSUPPORT', 'EAFNOSUPPORT']);
      assert.deepEqual(await sendAll(client, payloads(1)), ['EAFNOSUPPORT']);
      assert.equal(log.lines.filter((l) => l.includes('EAFNOSUPPORT')).length, 1, log.lines.join('\n'));
      refuse = false;
      time += RETRY_DELAY_MS;
      assert.deepEqual(await sendAll(client, payloads(1)), [undefined]);
      assert.equal(client.counters.sendErrors.EAFNOSUPPORT, 3);
    } finally {
      dgram.Socket.prototype.connect = original;
      log.restore();
      await client.close();
      await sink.close();
    }
  });

  it('a datagram the socket refuses on the spot (not a Buffer) is counted with its code, never thrown', async () => {
    const sink = await createSink();
    const client = new UdpDaemonClient({ endpoint: parseDaemonAddress(`127.0.0.1:${sink.port}`).udp });
    try {
      assert.deepEqual(await sendAll(client, [payload(1)]), [undefined]);
      const code = await new Promise<string | undefined>((resolve) => client.send(42 as never, resolve));
      assert.equal(code, 'ERR_INVALID_ARG_TYPE');
      assert.equal(client.counters.sendErrors.ERR_INVALID_ARG_TYPE, 1);
      assert.deepEqual(await sendAll(client, [payload(2)]), [undefined]);
      assert.equal(client.pending, 0);
    } finally {
      await client.close();
      await sink.close();
    }
  });

  it('an error event on the open socket is said and the next send reconnects', async () => {
    const sink = await createSink();
    const log = captureDiag();
    const lookups = countLookups();
    const client = new UdpDaemonClient({
      endpoint: parseDaemonAddress(`localhost:${sink.port}`).udp,
      logPrefix: 'test: ',
    });
    try {
      assert.deepEqual(await sendAll(client, [payload(1)]), [undefined]);
      // The socket inside: emit what Node would for a failure outside any send.
      const inner = (client as unknown as { socket: { socket: import('node:dgram').Socket } }).socket.socket;
      inner.emit('error', Object.assign(new Error('simulated'), { code: 'EIO' }));
      assert.ok(
        log.lines.some((l) => l === 'test: socket error EIO: simulated; reconnecting'),
        log.lines.join('\n'),
      );
      assert.deepEqual(await sendAll(client, [payload(2)]), [undefined]);
      assert.deepEqual(lookups.names, ['localhost', 'localhost']);
      assert.equal((await sink.waitFor(2)).length, 2);
    } finally {
      lookups.restore();
      log.restore();
      await client.close();
      await sink.close();
    }
  });
});
