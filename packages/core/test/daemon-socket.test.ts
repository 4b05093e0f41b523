import * as assert from 'node:assert/strict';
import type * as dgram from 'node:dgram';
import { DaemonSocket } from '../src/daemon-socket';
import { createSink } from './udp-sink';

/** The dgram socket inside, to emit what Node would emit on a failure we cannot cause on loopback. */
function inner(socket: DaemonSocket): dgram.Socket {
  return (socket as unknown as { socket: dgram.Socket }).socket;
}

describe('DaemonSocket', () => {
  it('a failure while connecting is reported once through onConnect, and the socket is closed', async () => {
    const sink = await createSink();
    try {
      const outcomes: (Error | undefined)[] = [];
      const errors: Error[] = [];
      const socket = new DaemonSocket(
        4,
        '127.0.0.1',
        sink.port,
        (error) => outcomes.push(error),
        (error) => errors.push(error),
      );
      // As Node reports a failed implicit bind or connect (EAFNOSUPPORT on a host without IPv6, say).
      inner(socket).emit('error', Object.assign(new Error('simulated'), { code: 'EAFNOSUPPORT' }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(outcomes.length, 1);
      assert.equal((outcomes[0] as NodeJS.ErrnoException).code, 'EAFNOSUPPORT');
      assert.deepEqual(errors, []);
    } finally {
      await sink.close();
    }
  });

  it('retire closes at once when nothing is in flight, else after the last send callback', async () => {
    const sink = await createSink();
    try {
      const socket = await new Promise<DaemonSocket>((resolve, reject) => {
        const s = new DaemonSocket(
          4,
          '127.0.0.1',
          sink.port,
          (error) => (error ? reject(error) : resolve(s)),
          () => {},
        );
      });
      let closed = false;
      inner(socket).on('close', () => (closed = true));
      const sent = new Promise<Error | null>((resolve) => socket.send(Buffer.from('x'), resolve));
      socket.retire();
      assert.equal(closed, false);
      assert.equal(await sent, null);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(closed, true);
      assert.equal(socket.inflight, 0);
    } finally {
      await sink.close();
    }
  });
});
