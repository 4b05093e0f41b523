import { randomFillSync } from 'node:crypto';

/**
 * The slice of the SDK's `IdGenerator` interface we implement. Declared here (it is identical in
 * `@opentelemetry/sdk-trace-base` 2.x and `@opentelemetry/sdk-trace` 3.x) so this package needs no
 * runtime or type dependency on either SDK line.
 */
export interface IdGenerator {
  generateTraceId(): string;
  generateSpanId(): string;
}

// One crypto call serves hundreds of IDs, and one hex encoding serves dozens. Measured in
// bench/id-generator.bench.mjs: per-ID `randomFillSync` + `toString('hex')` ~1.4x the contrib
// generator; slicing pre-encoded hex ~3-5x.
const POOL_BYTES = 4096;
// V8 keeps a substring of 13+ characters as a view on its parent string, so a span ID that outlives
// its span (held in a map, a log buffer) keeps the hex it was cut from alive. Encoding the pool in
// small chunks bounds that to one 512-character chunk per retained ID, instead of the whole pool.
const CHUNK_BYTES = 256;
const CHUNK_HEX = CHUNK_BYTES * 2;
const TRACE_RANDOM_HEX = 24; // 96 random bits after the epoch (xray-protocol.md §9)
const SPAN_ID_HEX = 16; // 64 bits
const INVALID_SPAN_ID = '0000000000000000';

/**
 * X-Ray trace IDs: the first 32 bits are the Unix time in seconds when the trace started, the other
 * 96 bits random (xray-protocol.md §9). X-Ray rejects segments whose trace-ID epoch is older than
 * about 30 days, so OpenTelemetry's fully random IDs cannot be used.
 *
 * Randomness comes from `crypto` rather than `Math.random`: trace IDs are visible in response
 * headers, and a predictable generator would let a client guess other users' trace IDs.
 *
 * Drop-in replacement for `AWSXRayIdGenerator` from `@opentelemetry/id-generator-aws-xray`.
 */
export class AWSXRayIdGenerator implements IdGenerator {
  private readonly bytes = Buffer.allocUnsafe(POOL_BYTES);
  private bytesOffset = POOL_BYTES;
  private hex = '';
  private offset = CHUNK_HEX;
  private epochSecond = -1;
  private epochHex = '';

  /** 32 lower-case hex digits: 8 of the current epoch seconds, then 24 random. */
  generateTraceId(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.epochSecond) {
      this.epochSecond = second;
      this.epochHex = second.toString(16).padStart(8, '0');
    }
    const traceId = this.epochHex + this.take(TRACE_RANDOM_HEX);
    // Reading a character flattens the concatenation into a string of its own (no view on the chunk).
    traceId.charCodeAt(0);
    return traceId;
  }

  /** 16 lower-case hex digits, never all zero (an all-zero span ID is invalid in OpenTelemetry). */
  generateSpanId(): string {
    // All-zero has probability 2^-64; the check is cheap and keeps the contract absolute.
    let spanId = this.take(SPAN_ID_HEX);
    while (spanId === INVALID_SPAN_ID) spanId = this.take(SPAN_ID_HEX);
    return spanId;
  }

  /** The next `length` unused random hex digits. */
  private take(length: number): string {
    if (this.offset + length > CHUNK_HEX) this.nextChunk();
    const start = this.offset;
    this.offset = start + length;
    return this.hex.slice(start, start + length);
  }

  private nextChunk(): void {
    if (this.bytesOffset + CHUNK_BYTES > POOL_BYTES) {
      randomFillSync(this.bytes);
      this.bytesOffset = 0;
    }
    this.hex = this.bytes.toString('hex', this.bytesOffset, this.bytesOffset + CHUNK_BYTES);
    this.bytesOffset += CHUNK_BYTES;
    this.offset = 0;
  }
}
