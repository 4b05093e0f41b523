import { diag, DiagLogLevel } from '@opentelemetry/api';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export type Handler = (path: string, json: unknown) => { status?: number; body: unknown } | 'hang';

/** A tiny sampling proxy on 127.0.0.1:0 that records every request. */
export async function startServer(handler: Handler): Promise<{
  url: string;
  requests: Captured[];
  close(): Promise<void>;
}> {
  const requests: Captured[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const path = req.url ?? '';
      requests.push({ path, headers: req.headers, body, json });
      const answer = handler(path, json);
      if (answer === 'hang') return;
      res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function rule(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SamplingRule: {
      RuleName: name,
      RuleARN: `arn:aws:xray:us-east-1:123456789012:sampling-rule/${name}`,
      ResourceARN: '*',
      ServiceName: '*',
      ServiceType: '*',
      Host: '*',
      HTTPMethod: '*',
      URLPath: '*',
      Version: 1,
      Attributes: {},
      Priority: 100,
      FixedRate: 0.05,
      ReservoirSize: 1,
      ...fields,
    },
    CreatedAt: 0,
    ModifiedAt: 1700000000,
  };
}

/** A settable fake clock (epoch ms). */
export function fakeClock(start = 1_795_345_000_000): {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
} {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Deterministic [0,1) generator (mulberry32). */
export function seededRandom(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Within the calling `describe`: diag warnings and errors go to `sink`. */
export function captureDiag(sink: string[]): void {
  before(() => {
    const push = (m: string) => {
      sink.push(m);
    };
    const noop = () => undefined;
    diag.setLogger({ error: push, warn: push, info: noop, debug: noop, verbose: noop }, DiagLogLevel.WARN);
  });
  after(() => diag.disable());
}
