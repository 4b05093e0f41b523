/** Test helpers: real SDK spans (2.x) with X-Ray ids, and a UDP listener that decodes OTLP-over-UDP datagrams. */
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AWSXRayIdGenerator } from '@xray-otel/id-generator';
import { decodeOtlpProtobuf } from '@xray-otel/local';
import type { ReadableSpanLike } from '@xray-otel/translator';

export interface DecodedDatagram {
  size: number;
  header: string;
  prefix: string;
  spans: ReadableSpanLike[];
}

export interface OtlpUdpListener {
  port: number;
  datagrams: DecodedDatagram[];
  spanCount(): number;
  /** Resolves once `count` spans arrived. */
  waitForSpans(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Splits at the first `\n`, takes the 3-character prefix, base64-decodes the rest and decodes the protobuf. */
export function decodeDatagram(message: Buffer): DecodedDatagram {
  const newline = message.indexOf(0x0a);
  const header = message.subarray(0, newline).toString('utf8');
  const body = message.subarray(newline + 1).toString('utf8');
  const decoded = decodeOtlpProtobuf(Buffer.from(body.slice(3), 'base64'));
  if (!decoded.ok) throw new Error(decoded.detail);
  return { size: message.length, header, prefix: body.slice(0, 3), spans: decoded.spans };
}

export function listenOtlpUdp(): Promise<OtlpUdpListener> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  const datagrams: DecodedDatagram[] = [];
  let spans = 0;
  let waiter: { count: number; resolve: () => void } | undefined;
  socket.on('message', (message) => {
    const datagram = decodeDatagram(message);
    datagrams.push(datagram);
    spans += datagram.spans.length;
    if (waiter && spans >= waiter.count) waiter.resolve();
  });
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        port: (socket.address() as AddressInfo).port,
        datagrams,
        spanCount: () => spans,
        waitForSpans(count, timeoutMs = 5000) {
          if (spans >= count) return Promise.resolve();
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`${spans} of ${count} spans arrived`)), timeoutMs);
            waiter = {
              count,
              resolve: () => {
                clearTimeout(timer);
                waiter = undefined;
                res();
              },
            };
          });
        },
        close: () => new Promise<void>((res) => socket.close(() => res())),
      }),
    );
  });
}

/** A provider recording ended spans in memory, with X-Ray ids. */
export function recordingProvider(extraProcessors: unknown[] = [], sampler?: unknown) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    idGenerator: new AWSXRayIdGenerator(),
    resource: resourceFromAttributes({ 'service.name': 'orders', 'deployment.environment': 'test' }),
    spanProcessors: [...(extraProcessors as SimpleSpanProcessor[]), new SimpleSpanProcessor(memory)],
    ...(sampler ? { sampler: sampler as never } : {}),
  });
  return { provider, memory, spans: (): ReadableSpan[] => memory.getFinishedSpans() };
}

/** Resolves with the export result. */
export function exportSpans(
  exporter: { export(spans: never[], cb: (r: { code: number; error?: Error }) => void): void },
  spans: unknown[],
): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans as never[], resolve));
}

/** A processor that keeps every ended span, sampled or not (SimpleSpanProcessor skips unsampled ones). */
export class KeepAllProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
