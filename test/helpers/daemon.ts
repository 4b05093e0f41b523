// A stand-in for the X-Ray daemon's UDP side, for end-to-end tests: binds 127.0.0.1 on an ephemeral
// port, keeps every datagram, splits it like the daemon does (at the first newline, xray-protocol.md
// §1.2) and parses both halves. Waits are bounded; close() is safe to call twice.
import * as dgram from 'node:dgram';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';

export const SHARED = path.resolve(__dirname, '../../../shared');

/** The header line the current Node and Python SDKs send (xray-protocol.md §1.1). */
export const HEADER_LINE = '{"format":"json","version":1}';

/** X-Ray's per-document limit as this project applies it (xray-protocol.md §1.3). */
export const MAX_DOCUMENT_BYTES = 64000;

// A segment document as far as the tests look at it; everything else stays `unknown`.
export interface XRayDocument {
  id: string;
  name: string;
  trace_id?: string;
  parent_id?: string;
  type?: string;
  namespace?: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  fault?: boolean;
  error?: boolean;
  throttle?: boolean;
  http?: {
    request?: { method?: string; url?: string; traced?: boolean; [key: string]: unknown };
    response?: { status?: number; [key: string]: unknown };
  };
  cause?:
    string | { exceptions?: { id?: string; message?: string; type?: string }[]; [key: string]: unknown };
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, Record<string, unknown>>;
  subsegments?: XRayDocument[];
  [key: string]: unknown;
}

export interface Datagram {
  /** The datagram's bytes, verbatim. */
  raw: Buffer;
  /** Everything before the first `\n` (undefined when there is none). */
  headerLine?: string;
  /** The bytes after the first `\n`, as UTF-8 text. */
  documentText?: string;
  /** UTF-8 byte length of the document part. */
  documentBytes: number;
  /** The parsed document, or undefined when it is not JSON. */
  document?: XRayDocument;
  from: string;
}

/** Splits a datagram at its first newline, as the daemon does. */
export function splitDatagram(raw: Buffer, from = ''): Datagram {
  const newline = raw.indexOf(0x0a);
  if (newline < 0) return { raw, documentBytes: 0, from };
  const headerLine = raw.subarray(0, newline).toString('utf8');
  const body = raw.subarray(newline + 1);
  const documentText = body.toString('utf8');
  let document: XRayDocument | undefined;
  try {
    document = JSON.parse(documentText) as XRayDocument;
  } catch {
    document = undefined;
  }
  return { raw, headerLine, documentText, documentBytes: body.length, document, from };
}

export interface DaemonListener {
  port: number;
  /** `127.0.0.1:<port>`, the value for AWS_XRAY_DAEMON_ADDRESS. */
  address: string;
  datagrams: Datagram[];
  /** Parsed documents received so far (datagrams whose document did not parse are left out). */
  documents(): XRayDocument[];
  /** Documents (top level, as sent) of one trace. */
  trace(traceId: string): XRayDocument[];
  /** Resolves when `predicate(documents)` holds; rejects after `timeoutMs` with `what` in the message. */
  waitFor(
    predicate: (documents: XRayDocument[]) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<XRayDocument[]>;
  clear(): void;
  close(): Promise<void>;
}

export async function startDaemon(): Promise<DaemonListener> {
  const socket = dgram.createSocket('udp4');
  const datagrams: Datagram[] = [];
  socket.on('message', (raw, rinfo) => datagrams.push(splitDatagram(raw, `${rinfo.address}:${rinfo.port}`)));
  // Bigger than the default so a burst in the load tests is not lost in the kernel.
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: '127.0.0.1', port: 0 }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  try {
    socket.setRecvBufferSize(8 * 1024 * 1024);
  } catch {
    // The kernel may cap it (net.core.rmem_max); the default still works for the functional tests.
  }
  socket.on('error', () => undefined);
  const port = socket.address().port;
  let closed = false;
  const documents = () => datagrams.flatMap((d) => (d.document ? [d.document] : []));
  return {
    port,
    address: `127.0.0.1:${port}`,
    datagrams,
    documents,
    trace: (traceId) => documents().filter((d) => d.trace_id === traceId),
    async waitFor(predicate, what, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const docs = documents();
        if (predicate(docs)) return docs;
        if (Date.now() > deadline) {
          throw new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; ${docs.length} documents received: ` +
              JSON.stringify(
                docs.map((d) => ({ name: d.name, id: d.id, trace_id: d.trace_id, type: d.type })),
              ),
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    clear() {
      datagrams.length = 0;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** Every subsegment embedded anywhere below `doc` (classic SDKs nest them), depth first. */
export function embeddedSubsegments(doc: XRayDocument): XRayDocument[] {
  const out: XRayDocument[] = [];
  const walk = (d: XRayDocument) => {
    for (const s of d.subsegments ?? []) {
      out.push(s);
      walk(s);
    }
  };
  walk(doc);
  return out;
}

/** The documents plus all their embedded subsegments. */
export function allEntities(docs: XRayDocument[]): XRayDocument[] {
  return docs.flatMap((d) => [d, ...embeddedSubsegments(d)]);
}

/** Top-level segments (not independent subsegments). */
export function segmentsOf(docs: XRayDocument[]): XRayDocument[] {
  return docs.filter((d) => d.type !== 'subsegment');
}

type Validate = ((doc: unknown) => boolean) & { errors?: unknown };
let relaxedValidator: Validate | undefined;

/**
 * Schema errors of `doc` against /work/shared/schema/xray-segment-schema.json (draft-04), or
 * undefined when valid. Same relaxation as packages/translator/test/helpers.ts: dots are allowed in
 * annotation keys (the collector's allowDot default, accepted by X-Ray since 2024).
 */
export function schemaErrors(doc: unknown): string | undefined {
  if (!relaxedValidator) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv-draft-04');
    const schemaText = readFileSync(path.join(SHARED, 'schema', 'xray-segment-schema.json'), 'utf8');
    const relaxed = JSON.parse(schemaText.split('^[a-zA-Z0-9_]{1,500}$').join('^[a-zA-Z0-9_.]{1,500}$'));
    relaxedValidator = new Ajv({ allErrors: true, strict: false }).compile(relaxed) as Validate;
  }
  return relaxedValidator(doc) ? undefined : JSON.stringify(relaxedValidator.errors);
}
