/**
 * A UDP receiver on loopback that records datagrams: the daemon's stand-in for the UDP client and
 * exporter tests of every package (`../../core/test/udp-sink`).
 */
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface UdpSink {
  port: number;
  datagrams: Buffer[];
  /** Resolves once `count` datagrams arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Buffer[]>;
  close(): Promise<void>;
}

/** Binds `port` (0: any free port) on `host` (default the loopback address of `type`). */
export function createSink(type: 'udp4' | 'udp6' = 'udp4', host?: string, port = 0): Promise<UdpSink> {
  const socket = dgram.createSocket({ type, recvBufferSize: 4 * 1024 * 1024 });
  const datagrams: Buffer[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  socket.on('message', (message) => {
    datagrams.push(message);
    if (waiter && datagrams.length >= waiter.count) waiter.resolve();
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host ?? (type === 'udp6' ? '::1' : '127.0.0.1'), () => {
      resolve({
        port: (socket.address() as AddressInfo).port,
        datagrams,
        waitFor(count, timeoutMs = 5000) {
          if (datagrams.length >= count) return Promise.resolve(datagrams);
          return new Promise((res, rej) => {
            const timer = setTimeout(() => {
              waiter = undefined;
              rej(new Error(`sink: ${datagrams.length} of ${count} datagrams after ${timeoutMs} ms`));
            }, timeoutMs);
            waiter = {
              count,
              resolve: () => {
                clearTimeout(timer);
                waiter = undefined;
                res(datagrams);
              },
            };
          });
        },
        close: () => new Promise<void>((res) => socket.close(() => res())),
      });
    });
  });
}

/** A port nothing listens on: bound, read and closed again (the kernel then answers ICMP unreachable). */
export async function freePort(): Promise<number> {
  const sink = await createSink();
  const { port } = sink;
  await sink.close();
  return port;
}
