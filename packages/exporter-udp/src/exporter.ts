/**
 * `AWSXRayUdpSpanExporter`: each span → `spanToSegments` → one datagram per document to the X-Ray
 * daemon (xray-protocol.md §1). The rules live in `@xray-otel/translator` (documents) and
 * `datagram.ts` (framing); sending, the pending bound, flush and shutdown are the shared UDP daemon
 * client's (`@xray-otel/core`). This file is only the encoder and the counters' old names.
 *
 * A span is exported when every document it made (one, or two for a LOCAL_ROOT split) was taken by
 * the kernel. Result of `export()`: see `UdpDaemonSpanExporter` in @xray-otel/core (SUCCESS when any
 * datagram was sent or none was made; FAILED when none of the batch's datagrams could be sent, and
 * after `shutdown()`). Nothing is thrown; the callback is called once, asynchronously.
 */
import { UdpDaemonSpanExporter, type DatagramSink, DEFAULT_MAX_PENDING_DATAGRAMS } from '@xray-otel/core';
import {
  serializeSegmentWithInfo,
  spanToSegments,
  TranslationError,
  type ReadableSpanLike,
  type Segment,
  type TranslatorOptions,
} from '@xray-otel/translator';
import { toDatagram } from './datagram';
import type { AWSXRayUdpSpanExporterCounters, AWSXRayUdpSpanExporterOptions } from './types';

export { DEFAULT_MAX_PENDING_DATAGRAMS };

const LOG_PREFIX = '@xray-otel/exporter-udp: ';

export class AWSXRayUdpSpanExporter extends UdpDaemonSpanExporter<ReadableSpanLike> {
  private readonly translatorOptions: TranslatorOptions;
  private readonly documentCount = { documents: 0, documentsTruncated: 0 };
  private readonly translationErrors: Record<string, number> = {};

  /** Throws `DaemonAddressError` for a bad `daemonAddress` option or `AWS_XRAY_DAEMON_ADDRESS`. */
  constructor(options: AWSXRayUdpSpanExporterOptions = {}) {
    const { daemonAddress, maxPendingDatagrams, ...translatorOptions } = options;
    super({
      daemonAddress,
      maxPendingDatagrams,
      logPrefix: LOG_PREFIX,
      datagramName: 'a segment document',
      encoder: (spans, sink) => {
        for (let i = 0; i < spans.length; i++) this.encodeSpan(spans[i], sink);
      },
    });
    this.translatorOptions = translatorOptions;
  }

  /** A snapshot of what the exporter has done so far (README "Counters"). */
  override get counters(): AWSXRayUdpSpanExporterCounters {
    const counters = super.counters;
    return {
      ...counters,
      ...this.documentCount,
      translationErrors: { ...this.translationErrors },
      spansDroppedAfterShutdown: counters.failures.shutdown ?? 0,
      documentsSent: counters.datagramsSent,
      documentsDropped: counters.datagramsDropped,
    };
  }

  private encodeSpan(span: ReadableSpanLike, sink: DatagramSink): void {
    let segments: Segment[];
    try {
      segments = spanToSegments(span, this.translatorOptions);
    } catch (error) {
      // spanToSegments throws only TranslationError (a span it cannot read is `unreadable-span`).
      // Anything else would be a bug: it goes to the shared exporter, which counts this span and
      // the rest of the batch as `encode-error` and says so.
      if (!(error instanceof TranslationError)) throw error;
      const reason = error.reason;
      this.translationErrors[reason] = (this.translationErrors[reason] ?? 0) + 1;
      sink.fail(1, reason, `span dropped, it cannot become an X-Ray document (${reason}): ${error.message}`);
      return;
    }
    if (segments.length === 1) {
      sink.send(this.toDatagram(span, segments[0], sink), 1);
      return;
    }
    const datagrams: Buffer[] = [];
    for (let i = 0; i < segments.length; i++) datagrams.push(this.toDatagram(span, segments[i], sink));
    sink.send(datagrams, 1);
  }

  private toDatagram(span: ReadableSpanLike, segment: Segment, sink: DatagramSink): Buffer {
    const { json, bytes, truncated } = serializeSegmentWithInfo(segment);
    this.documentCount.documents++;
    if (truncated) {
      this.documentCount.documentsTruncated++;
      sink.truncated(1, `segment document shrunk to fit the 64 kB limit (span "${span.name}")`);
    }
    return toDatagram(json, bytes);
  }
}
