import { diag } from '@opentelemetry/api';
import type { Segment } from './document';
import { TranslationError } from './errors';
import { makeSegment, resolveOptions, viewOf } from './segment';
import { makeSegments } from './segments';
import type { ReadableSpanLike, TranslatorOptions } from './types';

function unexpected(error: unknown): TranslationError {
  // A bug or a hostile span (throwing getters): the span is dropped like an invalid one, never the app.
  diag.debug('@xray-otel/translator: span could not be read', error);
  return new TranslationError('unreadable-span', 'span could not be translated: ' + String(error));
}

/**
 * One document for the span: the collector's single-span routine `MakeSegment` (no LOCAL_ROOT
 * split). Throws {@link TranslationError} for a span X-Ray would reject.
 */
export function spanToSegment(span: ReadableSpanLike, options?: TranslatorOptions): Segment {
  try {
    const resolved = resolveOptions(options);
    return makeSegment(viewOf(span, resolved), resolved);
  } catch (error) {
    throw error instanceof TranslationError ? error : unexpected(error);
  }
}

/**
 * The documents the exporter sends for the span, in order: one, or for an
 * `aws.span.kind = LOCAL_ROOT` client/producer/consumer span a dependency subsegment and a
 * service segment. Throws {@link TranslationError} for a span X-Ray would reject.
 */
export function spanToSegments(span: ReadableSpanLike, options?: TranslatorOptions): Segment[] {
  try {
    const resolved = resolveOptions(options);
    return makeSegments(viewOf(span, resolved), resolved);
  } catch (error) {
    throw error instanceof TranslationError ? error : unexpected(error);
  }
}
