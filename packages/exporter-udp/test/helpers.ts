/** Test helpers: a UDP sink on loopback that records datagrams, and spans shaped like `ReadableSpan`. */
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ReadableSpanLike } from '@xray-otel/translator';

export const SHARED = path.resolve(__dirname, '../../../../shared');

export interface UdpSink {
  port: number;
  datagrams: Buffer[];
  /** Resolves once `count` datagrams arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Buffer[]>;
  close(): Promise<void>;
}

export function createSink(type: 'udp4' | 'udp6' = 'udp4', host?: string): Promise<UdpSink> {
  const socket = dgram.createSocket({ type, recvBufferSize: 4 * 1024 * 1024 });
  const datagrams: Buffer[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  socket.on('message', (message) => {
    datagrams.push(message);
    if (waiter && datagrams.length >= waiter.count) waiter.resolve();
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host ?? (type === 'udp6' ? '::1' : '127.0.0.1'), () => {
      const port = (socket.address() as AddressInfo).port;
      resolve({
        port,
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

/** A trace ID with the current epoch seconds, like the X-Ray ID generator's. */
export function traceId(suffix = '5c32505172034cd358cba576'): string {
  return Math.floor(Date.now() / 1000).toString(16) + suffix;
}

let nextSpan = 1;
export function spanId(): string {
  return (nextSpan++).toString(16).padStart(16, '0');
}

export interface SpanInit {
  name?: string;
  kind?: number;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  attributes?: Record<string, unknown>;
}

/** A finished span shaped like the SDK's `ReadableSpan` (2.x / 3.x). */
export function span(init: SpanInit = {}): ReadableSpanLike {
  const now = Math.floor(Date.now() / 1000);
  const context = { traceId: init.traceId ?? traceId(), spanId: init.spanId ?? spanId(), traceFlags: 1 };
  return {
    name: init.name ?? 'GET /orders',
    kind: init.kind ?? 1,
    spanContext: () => context,
    parentSpanContext: init.parentSpanId
      ? { traceId: context.traceId, spanId: init.parentSpanId, traceFlags: 1, isRemote: false }
      : undefined,
    startTime: [now, 125000000],
    endTime: [now, 187500000],
    status: { code: 0 },
    attributes: init.attributes ?? {
      'http.request.method': 'GET',
      'url.full': 'https://shop.example.com/orders',
      'http.response.status_code': 200,
    },
    links: [],
    events: [],
    resource: { attributes: { 'service.name': 'checkout' } },
    ended: true,
  };
}

/** Splits a datagram as the daemon does: at the first newline (xray-protocol.md §1.2). */
export function splitDatagram(datagram: Buffer): { header: string; document: string } {
  const newline = datagram.indexOf(0x0a);
  if (newline < 0) throw new Error('datagram without a newline');
  return {
    header: datagram.subarray(0, newline).toString('utf8'),
    document: datagram.subarray(newline + 1).toString('utf8'),
  };
}
