/**
 * The last rejected documents (a bounded ring) with counts by reason, and a rate-limited console
 * line per rejection so a user sees why a segment does not show up without being flooded.
 */
import { RateLimitedLog } from '@xray-otel/core';
import type { DocumentSource, Rejection } from './types';

/** Bytes of the received payload kept per rejection (types.ts: "the first 2 KiB"). */
export const SAMPLE_BYTES = 2048;

export interface RejectionLogOptions {
  /** Rejections kept; default 1000. */
  capacity?: number;
  /** Where report lines go; default `console.error`. Absent when `quiet`. */
  log?: (line: string) => void;
  /** Report no line at all. */
  quiet?: boolean;
  /** Minimum ms between two lines for the same reason; default 1000. */
  intervalMs?: number;
  /** Clock (epoch ms); default `Date.now`. */
  now?: () => number;
}

/** First {@link SAMPLE_BYTES} of what was received, as text. */
export function sampleOf(payload: string | Uint8Array): string {
  if (typeof payload === 'string') {
    return payload.length > SAMPLE_BYTES ? payload.slice(0, SAMPLE_BYTES) : payload;
  }
  return Buffer.from(payload.buffer, payload.byteOffset, Math.min(payload.byteLength, SAMPLE_BYTES)).toString(
    'utf8',
  );
}

export class RejectionLog {
  private readonly capacity: number;
  private readonly ring: Rejection[] = [];
  private next = 0;
  private readonly counts: Record<string, number> = {};
  /** One line per reason per interval (the shared rule of @xray-otel/core); undefined when quiet. */
  private readonly log: RateLimitedLog | undefined;
  private readonly now: () => number;
  private total = 0;

  constructor(options: RejectionLogOptions = {}) {
    this.capacity = Math.max(1, Math.floor(options.capacity ?? 1000));
    this.now = options.now ?? Date.now;
    this.log = options.quiet
      ? undefined
      : new RateLimitedLog(
          options.log ?? ((line) => console.error(line)),
          options.intervalMs ?? 1000,
          this.now,
        );
  }

  /** Record one rejection and maybe print its line. */
  add(reason: string, detail: string, source: DocumentSource, payload: string | Uint8Array = ''): Rejection {
    const receivedAt = this.now();
    const rejection: Rejection = { reason, detail, source, receivedAt, sample: sampleOf(payload) };
    if (this.ring.length < this.capacity) this.ring.push(rejection);
    else this.ring[this.next] = rejection;
    this.next = (this.next + 1) % this.capacity;
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    this.total++;
    this.report(rejection);
    return rejection;
  }

  private report(rejection: Rejection): void {
    this.log?.log(
      rejection.reason,
      `xray-local: rejected ${rejection.source} document: ${rejection.reason}: ${rejection.detail}`,
    );
  }

  /** Print how many rejections of each reason were not printed since their last line (e.g. at stop). */
  flush(): void {
    this.log?.flush((reason, count) => `xray-local: ${count} more ${reason} rejections suppressed`);
  }

  /** The most recent rejections, newest first. */
  recent(limit = this.capacity): Rejection[] {
    const out: Rejection[] = [];
    const size = this.ring.length;
    const n = Math.min(Math.max(0, Math.floor(limit)), size);
    for (let i = 1; i <= n; i++) out.push(this.ring[(this.next - i + size * 2) % size]);
    return out;
  }

  /** Rejections counted by reason (all of them, not only those still in the ring). */
  byReason(): Record<string, number> {
    return { ...this.counts };
  }

  /** All rejections counted. */
  get count(): number {
    return this.total;
  }
}
