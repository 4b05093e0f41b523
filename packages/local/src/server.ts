/**
 * `XRayLocal`: the daemon's UDP port (segment documents and OTLP over UDP), its TCP sampling API,
 * an OTLP/HTTP receiver and the viewer's port (JSON API + web UI), all feeding one TraceStore.
 * Whatever arrives, the server keeps running: every bad input is a counted, logged rejection.
 */
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { createApiHandler } from './api';
import { parseDatagram } from './datagram';
import {
  consoleLogger,
  isLoopback,
  resolveOptions,
  type Logger,
  type ResolvedOptions,
  type XRayLocalOptions,
} from './options';
import {
  decodeOtlpJson,
  decodeOtlpProtobuf,
  encodeExportResponse,
  encodeRpcStatus,
  exportResponseJson,
  translateSpans,
  type OtlpDecodeResult,
} from './otlp';
import { RejectionLog } from './rejections';
import { loadSamplingRules, SamplingService } from './sampling';
import { TraceStore } from './store';
import type { DocumentSource, Rejection, RequestHandler, SegmentDocument, Stats } from './types';
import { createUiHandler } from './ui';
import { validateDocument, validateDocumentText } from './validate';

/** The ports actually bound. */
export interface XRayLocalAddresses {
  host: string;
  udpPort: number;
  tcpPort: number;
  otlpPort: number;
  uiPort: number;
}

/** OTLP/HTTP request bodies (after gunzip) above this are answered 413. */
export const MAX_OTLP_BODY_BYTES = 16 * 1024 * 1024;
/** Requested UDP receive buffer (best effort: the kernel may cap it). */
export const UDP_RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;
export const OTLP_TRACES_PATH = '/v1/traces';

const noopLogger: Logger = { info: () => undefined, warn: (line) => consoleLogger.warn(line) };

export class XRayLocal {
  readonly store: TraceStore;
  readonly options: ResolvedOptions;
  private readonly rejections: RejectionLog;
  private readonly logger: Logger;
  private sampling: SamplingService | undefined;
  private udp: dgram.Socket | undefined;
  private readonly servers: http.Server[] = [];
  private bound: XRayLocalAddresses | undefined;
  private readonly counters = { received: 0, accepted: 0, bySource: {} as Record<string, number> };
  private startedAt = Date.now();

  constructor(options: XRayLocalOptions = {}) {
    this.options = resolveOptions(options);
    this.logger = this.options.quiet && !options.logger ? noopLogger : this.options.logger;
    this.rejections = new RejectionLog({
      quiet: this.options.quiet,
      log: (line) => this.options.logger.warn(line),
    });
    this.store = new TraceStore({ maxTraces: this.options.maxTraces });
  }

  /** Bind every port; resolves with the ports actually bound. Rejects (having closed what it opened) on a bind error. */
  async start(): Promise<XRayLocalAddresses> {
    if (this.bound) return this.bound;
    const { host } = this.options;
    if (!isLoopback(host)) {
      this.options.logger.warn(
        `xray-local: warning: listening on ${host}, not a loopback address: anyone who can reach it can send and read traces`,
      );
    }
    this.sampling = new SamplingService({
      rules: this.options.samplingRulesFile ? loadSamplingRules(this.options.samplingRulesFile) : undefined,
    });
    this.startedAt = Date.now();
    try {
      if (this.options.loadFile) {
        // A saved session holds accepted documents, but the file may come from elsewhere: the same
        // validation as on the wire, so a loaded trace is one X-Ray would have shown.
        const loaded = this.store.loadFile(this.options.loadFile, (doc) => validateDocument(doc).ok);
        this.count('load', loaded);
        this.counters.accepted += loaded;
        const skipped = this.store.skippedLines;
        this.logger.info(
          `xray-local: loaded ${loaded} documents from ${this.options.loadFile}` +
            (skipped > 0 ? ` (${skipped} lines skipped: not JSON, or documents X-Ray would reject)` : ''),
        );
      }
      if (this.options.saveFile) this.store.attachSaveFile(this.options.saveFile);
      const udpPort = await this.bindUdp(host, this.options.udpPort);
      const sampling = this.sampling;
      const tcpPort = await this.listen(host, this.options.tcpPort, (request, response) =>
        sampling.handle(request, response),
      );
      const otlpPort = await this.listen(host, this.options.otlpPort, (request, response) =>
        this.handleOtlp(request, response),
      );
      const api = createApiHandler({
        listTraces: (filter, limit) => this.store.listTraces(filter, limit),
        getTrace: (id) => this.store.getTrace(id),
        serviceMap: () => this.store.serviceMap(),
        stats: () => this.stats(),
        rejected: (limit) => this.rejected(limit),
      });
      const ui = createUiHandler();
      const uiPort = await this.listen(host, this.options.uiPort, (request, response) =>
        this.handleUi([api, ui], request, response),
      );
      this.bound = { host, udpPort, tcpPort, otlpPort, uiPort };
      return this.bound;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Close every socket; safe to call twice or before `start`. */
  async stop(): Promise<void> {
    const udp = this.udp;
    this.udp = undefined;
    const servers = this.servers.splice(0);
    const closing: Promise<void>[] = servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    if (udp) closing.push(new Promise<void>((resolve) => udp.close(() => resolve())));
    closing.push(this.store.close());
    await Promise.all(closing);
    if (this.bound) {
      this.rejections.flush();
      const udpCount = this.counters.bySource.udp ?? 0;
      this.logger.info(
        `xray-local: stopped; ${udpCount} datagrams, ${this.counters.accepted} accepted, ${this.rejections.count} rejected`,
      );
    }
    this.bound = undefined;
  }

  /** The bound addresses, once started. */
  get addresses(): XRayLocalAddresses | undefined {
    return this.bound;
  }

  stats(): Stats {
    return {
      received: this.counters.received,
      accepted: this.counters.accepted,
      rejected: this.rejections.count,
      rejectedByReason: this.rejections.byReason(),
      evicted: this.store.evicted,
      traces: this.store.traceCount,
      documents: this.store.documentCount,
      receivedBySource: { ...this.counters.bySource },
      startedAt: this.startedAt,
    };
  }

  /** The most recent rejections, newest first. */
  rejected(limit = 100): Rejection[] {
    return this.rejections.recent(limit);
  }

  /** Handle one UDP datagram (public for tests and embedding). */
  receiveDatagram(datagram: Uint8Array): void {
    const parsed = parseDatagram(datagram);
    if (parsed.ok && parsed.body.kind === 'otlp') {
      this.count('otlp-udp', 0);
      this.acceptOtlp(decodeOtlpProtobuf(parsed.body.payload), 'otlp-udp', datagram);
      return;
    }
    if (!parsed.ok) {
      const source: DocumentSource = parsed.reason === 'invalid-otlp' ? 'otlp-udp' : 'udp';
      this.count(source, 1);
      this.rejections.add(parsed.reason, parsed.detail, source, datagram);
      return;
    }
    this.count('udp', 1);
    const body = parsed.body;
    if (body.kind !== 'document') return; // unreachable: OTLP bodies are handled above
    const verdict = validateDocumentText(body.text, body.bytes);
    if (!verdict.ok) this.rejections.add(verdict.reason, verdict.detail, 'udp', body.text);
    else this.accept(verdict.document, 'udp', body.text);
  }

  private count(source: DocumentSource, received: number): void {
    this.counters.received += received;
    this.counters.bySource[source] = (this.counters.bySource[source] ?? 0) + received;
  }

  private accept(document: SegmentDocument, source: DocumentSource, text: string): boolean {
    try {
      this.store.add(document, Date.now());
      this.counters.accepted++;
      return true;
    } catch (error) {
      this.rejections.add(
        'store-error',
        'the trace store refused the document: ' + String(error),
        source,
        text,
      );
      return false;
    }
  }

  /** Translate decoded OTLP spans and store their documents; returns rejected span count and message. */
  private acceptOtlp(
    decoded: OtlpDecodeResult,
    source: DocumentSource,
    payload: Uint8Array | string,
  ): { rejectedSpans: number; message: string } {
    if (!decoded.ok) {
      this.count(source, 1);
      this.rejections.add(decoded.reason, decoded.detail, source, payload);
      return { rejectedSpans: 0, message: decoded.detail };
    }
    this.count(source, decoded.spans.length);
    const result = translateSpans(decoded.spans);
    for (let i = 0; i < result.documents.length; i++)
      this.accept(result.documents[i], source, result.texts[i]);
    for (const rejection of result.rejected)
      this.rejections.add(rejection.reason, rejection.detail, source, rejection.spanName);
    // Accepted counts documents; a span split in two (LOCAL_ROOT) is two.
    const message = result.rejected.map((r) => `${r.reason}: ${r.detail}`).join('; ');
    return {
      rejectedSpans: result.rejectedSpans,
      message: message.length > 1000 ? message.slice(0, 997) + '...' : message,
    };
  }

  private bindUdp(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
      this.udp = socket;
      const onBindError = (error: Error): void => reject(error);
      socket.once('error', onBindError);
      socket.on('message', (message) => {
        try {
          this.receiveDatagram(message);
        } catch (error) {
          this.options.logger.warn('xray-local: datagram handling failed: ' + String(error));
        }
      });
      socket.bind({ port, address: host }, () => {
        socket.off('error', onBindError);
        socket.on('error', (error) =>
          this.options.logger.warn('xray-local: udp socket error: ' + error.message),
        );
        try {
          socket.setRecvBufferSize(UDP_RECEIVE_BUFFER_BYTES);
        } catch {
          // Best effort: the kernel's cap (net.core.rmem_max) may refuse it.
        }
        resolve(socket.address().port);
      });
    });
  }

  private listen(host: string, port: number, listener: http.RequestListener): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = http.createServer((request, response) => {
        try {
          listener(request, response);
        } catch (error) {
          if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
          response.end('internal error: ' + String(error));
        }
      });
      server.on('clientError', (_error, socket) => socket.destroy());
      this.servers.push(server);
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (error) => this.options.logger.warn('xray-local: server error: ' + error.message));
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  private handleUi(
    handlers: RequestHandler[],
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): void {
    for (const handler of handlers) if (handler(request, response)) return;
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('not found\n');
  }

  private handleOtlp(request: http.IncomingMessage, response: http.ServerResponse): void {
    const reply = (
      status: number,
      contentType: string,
      body: string | Uint8Array,
      headers: Record<string, string> = {},
    ): void => {
      if (response.headersSent) return;
      response.writeHead(status, {
        'content-type': contentType,
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      });
      response.end(body);
    };
    const text = (status: number, message: string, headers?: Record<string, string>): void => {
      request.resume();
      reply(status, 'application/json', JSON.stringify({ code: status, message }), headers);
    };
    const path = (request.url ?? '/').split('?')[0];
    if (path !== OTLP_TRACES_PATH)
      return text(404, `xray-local receives OTLP traces at POST ${OTLP_TRACES_PATH}`);
    if (request.method !== 'POST') return text(405, `${OTLP_TRACES_PATH} takes POST`, { allow: 'POST' });
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const isJson = contentType === 'application/json';
    if (!isJson && contentType !== 'application/x-protobuf') {
      return text(415, 'content-type must be application/x-protobuf or application/json');
    }
    const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip')
      return text(415, 'content-encoding must be gzip or identity');
    const source: DocumentSource = isJson ? 'otlp-http-json' : 'otlp-http-protobuf';
    const stream = encoding === 'gzip' ? request.pipe(zlib.createGunzip()) : request;
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (status: number, message: string): void => {
      if (failed) return;
      failed = true;
      if (status === 400) this.rejections.add('invalid-otlp', message, source, '');
      else if (status === 413) this.rejections.add('too-large', message, source, '');
      if (isJson) reply(status, 'application/json', JSON.stringify({ code: 3, message }));
      else reply(status, 'application/x-protobuf', encodeRpcStatus(3, message));
      request.resume();
    };
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_OTLP_BODY_BYTES) {
        chunks.length = 0;
        fail(413, `request body over ${MAX_OTLP_BODY_BYTES} bytes`);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', (error: Error) => fail(400, 'request body could not be read: ' + error.message));
    stream.on('end', () => {
      if (failed) return;
      const body = Buffer.concat(chunks);
      const decoded = isJson ? decodeOtlpJson(body.toString('utf8')) : decodeOtlpProtobuf(body);
      const outcome = this.acceptOtlp(decoded, source, body);
      if (!decoded.ok) {
        failed = true;
        if (isJson) reply(400, 'application/json', JSON.stringify({ code: 3, message: decoded.detail }));
        else reply(400, 'application/x-protobuf', encodeRpcStatus(3, decoded.detail));
        return;
      }
      if (isJson) reply(200, 'application/json', exportResponseJson(outcome.rejectedSpans, outcome.message));
      else reply(200, 'application/x-protobuf', encodeExportResponse(outcome.rejectedSpans, outcome.message));
    });
  }
}
