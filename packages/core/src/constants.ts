/**
 * X-Ray's wire constants, named once (xray-protocol.md §1, §2.1, §11). Every package that sends,
 * shrinks or checks a document imports them from here.
 */

/**
 * Largest segment document we send or accept, in bytes. The service documents "up to 64 kB" without
 * saying 64,000 or 65,536 (xray-protocol.md §1.3), so we keep to the smaller reading: the translator
 * shrinks documents to it, the OTLP/UDP exporter keeps whole datagrams within it, xray-local rejects
 * documents above it.
 */
export const MAX_DOCUMENT_BYTES = 64_000;

/** The 29-byte header line the current Node and Python SDKs send (§1.1), with its `\n`. */
export const DATAGRAM_HEADER = '{"format":"json","version":1}\n';

/** Bytes the header line adds to each datagram (30). */
export const DATAGRAM_HEADER_BYTES = Buffer.byteLength(DATAGRAM_HEADER, 'utf8');

/** OTLP over UDP (§11): the payload after the header starts with this for sampled spans… */
export const OTLP_UDP_SAMPLED_PREFIX = 'T1S';

/** …and with this for unsampled spans, then base64 of an `ExportTraceServiceRequest`. */
export const OTLP_UDP_UNSAMPLED_PREFIX = 'T1U';

/** The daemon's default address, UDP and TCP alike (§4, §7.1). */
export const DEFAULT_DAEMON_ADDRESS = '127.0.0.1:2000';

/** The header that carries X-Ray trace context, lower case as Node and OTel carriers see it (§8). */
export const TRACE_HEADER_NAME = 'x-amzn-trace-id';
