/** Test helpers: spans shaped like `ReadableSpan`, and the UDP sink of @xray-otel/core's tests. */
import * as path from 'node:path';
import type { ReadableSpanLike } from '@xray-otel/translator';

export const SHARED = path.resolve(__dirname, '../../../../shared');

export { createSink, freePort, type UdpSink } from '../../core/test/udp-sink';

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
