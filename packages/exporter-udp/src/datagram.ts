/**
 * The datagram: header line, `\n`, one segment document, no trailing newline (xray-protocol.md §1.1).
 * The daemon splits at the first `\n` and checks only the header (§1.2); compact JSON never contains
 * a raw newline, so the document is one line.
 */
import { DATAGRAM_HEADER, DATAGRAM_HEADER_BYTES } from '@xray-otel/core';

const HEADER_BYTES = Buffer.from(DATAGRAM_HEADER, 'utf8');

/**
 * One datagram for a serialized document. `documentBytes` is the UTF-8 length of `json` (the
 * translator's `serializeSegmentWithInfo` measures it already), so one buffer of the exact size is
 * allocated and filled, without an intermediate buffer for the document.
 */
export function toDatagram(json: string, documentBytes: number): Buffer {
  const datagram = Buffer.allocUnsafe(DATAGRAM_HEADER_BYTES + documentBytes);
  HEADER_BYTES.copy(datagram, 0);
  datagram.write(json, DATAGRAM_HEADER_BYTES, 'utf8');
  return datagram;
}
