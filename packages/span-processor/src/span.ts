/**
 * The parts of the SDK's spans the processor reads and writes, structurally: the same on
 * OpenTelemetry JS 2.x (`@opentelemetry/sdk-trace-base`) and 3.x (`@opentelemetry/sdk-trace`), so
 * the package depends on `@opentelemetry/api` only.
 */
import type { AttributeValue } from '@opentelemetry/api';

/** A span context as far as the local-root rule needs it. */
export interface ParentSpanContextLike {
  readonly isRemote?: boolean;
}

/** The resource of a span (2.x/3.x `Resource`). */
export interface ResourceLike {
  readonly attributes: Readonly<Record<string, unknown>>;
  /** 2.x/3.x: true while a detector's attributes are still being resolved. */
  readonly asyncAttributesPending?: boolean;
}

/** A span as the SDK hands it to `onEnd` (ended: read, or written straight into its attributes object). */
export interface EndedSpan {
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly resource?: ResourceLike;
  /** 2.x and 3.x: the parent's span context, only when the parent is valid. */
  readonly parentSpanContext?: ParentSpanContextLike;
  /** 1.x: the parent's span id. */
  readonly parentSpanId?: string;
}

/** A span as the SDK hands it to `onStart` and `onEnding`: still writable. */
export interface ProcessorSpan extends EndedSpan {
  setAttribute(key: string, value: AttributeValue): unknown;
}

/** The parent as the processor reads it at a child's start: an SDK span (duck-typed, as ADOT does). */
export interface ParentSpanLike {
  readonly name: unknown;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** `span` when it looks like an SDK span (a name, a numeric kind, an attributes object), else undefined. */
export function readableParent(span: unknown): ParentSpanLike | undefined {
  if (typeof span !== 'object' || span === null) return undefined;
  const candidate = span as Partial<ParentSpanLike>;
  if (typeof candidate.kind !== 'number') return undefined;
  const attributes = candidate.attributes;
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  return candidate as ParentSpanLike;
}

/**
 * True for a local root: a span without a parent, or whose parent came from another process
 * (ADOT's rule). 2.x/3.x spans say it through `parentSpanContext`, which the SDK sets only for a
 * valid parent; a 1.x span only has `parentSpanId`, so `remoteParentSpans` (filled at its start)
 * says whether that parent was remote.
 */
export function isLocalRoot(span: EndedSpan, remoteParentSpans: WeakSet<object>): boolean {
  const parent = span.parentSpanContext;
  if (parent !== undefined && parent !== null) return parent.isRemote === true;
  const parentSpanId = span.parentSpanId;
  if (typeof parentSpanId === 'string' && parentSpanId !== '') return remoteParentSpans.has(span);
  return true;
}
