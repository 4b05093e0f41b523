// xray-local for the end-to-end tests: a real XRayLocal on ephemeral loopback ports, in this
// process, with a small client for its JSON API and its UDP port. Waits are bounded.
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import { XRayLocal } from '../../packages/local/src/server';
import type { ServiceMap, Stats, Trace, TraceSummary } from '../../packages/local/src/types';
import { HEADER_LINE } from './daemon';
import { sleep } from './processes';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request without keep-alive, bounded. */
export function request(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    timeoutMs?: number;
  } = {},
): Promise<HttpAnswer> {
  const { method = 'GET', headers = {}, body, timeoutMs = 15000 } = options;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON API of a running xray-local (its UI port). */
export class LocalApi {
  constructor(readonly baseUrl: string) {}

  async json<T>(path: string): Promise<T> {
    const answer = await request(this.baseUrl + path);
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body) as T;
  }

  traces(filter?: string, limit = 1000): Promise<TraceSummary[]> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (filter !== undefined) query.set('filter', filter);
    return this.json<{ traces: TraceSummary[] }>(`/api/traces?${query}`).then((r) => r.traces);
  }

  async trace(id: string): Promise<Trace | undefined> {
    const answer = await request(`${this.baseUrl}/api/traces/${encodeURIComponent(id)}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new Error(`GET trace ${id}: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body) as Trace;
  }

  serviceMap(): Promise<ServiceMap> {
    return this.json<ServiceMap>('/api/service-map');
  }

  stats(): Promise<Stats> {
    return this.json<Stats>('/api/stats');
  }

  rejected(limit = 1000) {
    return this.json<{ rejected: import('../../packages/local/src/types').Rejection[] }>(
      `/api/rejected?limit=${limit}`,
    ).then((r) => r.rejected);
  }

  /** Resolves with the trace once `predicate` holds; rejects after `timeoutMs` naming `what`. */
  async waitForTrace(
    id: string,
    predicate: (trace: Trace) => boolean,
    what: string,
    timeoutMs = 15000,
  ): Promise<Trace> {
    const deadline = Date.now() + timeoutMs;
    let last: Trace | undefined;
    for (;;) {
      last = await this.trace(id);
      if (last && predicate(last)) return last;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} (trace ${id}): ` +
            (last ? JSON.stringify(last.summary) : 'no such trace'),
        );
      }
      await sleep(50);
    }
  }

  /** Resolves with the stats once `predicate` holds; rejects after `timeoutMs`. */
  async waitForStats(predicate: (stats: Stats) => boolean, what: string, timeoutMs = 10000): Promise<Stats> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stats = await this.stats();
      if (predicate(stats)) return stats;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(stats)}`);
      }
      await sleep(50);
    }
  }
}

export interface LocalServer {
  server: XRayLocal;
  udpPort: number;
  tcpPort: number;
  otlpPort: number;
  uiPort: number;
  /** AWS_XRAY_DAEMON_ADDRESS for clients (UDP and TCP ports differ). */
  daemonAddress: string;
  otlpUrl: string;
  api: LocalApi;
  /** Sends raw datagrams to the UDP port. */
  send(...datagrams: (Buffer | string)[]): Promise<void>;
  stop(): Promise<void>;
}

/** A segment document as one datagram (xray-protocol.md §1.1). */
export function segmentDatagram(document: unknown): Buffer {
  return Buffer.from(`${HEADER_LINE}\n${JSON.stringify(document)}`, 'utf8');
}

/** OTLP over UDP (xray-protocol.md §11): header, `T1S`, base64 of an ExportTraceServiceRequest. */
export function otlpDatagram(request: Uint8Array, sampled = true): Buffer {
  return Buffer.from(
    `${HEADER_LINE}\n${sampled ? 'T1S' : 'T1U'}${Buffer.from(request).toString('base64')}`,
    'utf8',
  );
}

export async function startLocal(options: { maxTraces?: number } = {}): Promise<LocalServer> {
  const server = new XRayLocal({
    host: '127.0.0.1',
    udpPort: 0,
    tcpPort: 0,
    otlpPort: 0,
    uiPort: 0,
    quiet: true,
    ...options,
  });
  const ports = await server.start();
  const socket = dgram.createSocket('udp4');
  socket.unref();
  return {
    server,
    ...ports,
    daemonAddress: `tcp:127.0.0.1:${ports.tcpPort} udp:127.0.0.1:${ports.udpPort}`,
    otlpUrl: `http://127.0.0.1:${ports.otlpPort}/v1/traces`,
    api: new LocalApi(`http://127.0.0.1:${ports.uiPort}`),
    async send(...datagrams) {
      for (const datagram of datagrams) {
        await new Promise<void>((resolve, reject) =>
          socket.send(datagram, ports.udpPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
        );
      }
    },
    async stop() {
      socket.close();
      await server.stop();
    },
  };
}
