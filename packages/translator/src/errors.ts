/** Why a span cannot become a document X-Ray would accept. */
export type TranslationErrorReason =
  'invalid-trace-id' | 'expired-trace-id' | 'invalid-span-id' | 'invalid-link' | 'unreadable-span';

/**
 * Thrown by `spanToSegment`/`spanToSegments` for a span X-Ray would reject. The collector drops
 * such a span (translator-spec.md §16); exporters catch this, count it and carry on.
 */
export class TranslationError extends Error {
  readonly reason: TranslationErrorReason;

  constructor(reason: TranslationErrorReason, message: string) {
    super(message);
    this.name = 'TranslationError';
    this.reason = reason;
  }
}
