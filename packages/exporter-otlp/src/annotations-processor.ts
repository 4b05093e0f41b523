/**
 * Annotations through a collector. The daemon path (@xray-otel/exporter-udp) passes
 * `indexedAttributes` to the translator; a collector's `awsxray` exporter cannot see that option, but
 * it reads the span attribute `aws.xray.annotations` (an array of keys, translator-spec.md §13.1) and
 * turns the listed attributes into annotations. This processor writes that attribute, so the same
 * spans give the same annotations whichever path they take.
 *
 * When: `onStart` (the keys known then) and again in `onEnding` (OpenTelemetry JS 2.x SDKs that call
 * it, and 3.x): the last moment attributes are still writable, after the app has set its own. A key
 * the app itself listed in `aws.xray.annotations` is kept.
 *
 * `indexAllAttributes` lists every span attribute key and every resource attribute as
 * `otel.resource.<key>`, which the translator then annotates exactly as `index_all_attributes`
 * would. On an SDK that does not call `onEnding`, attributes set after the span started are missed:
 * set `index_all_attributes: true` in the collector's `awsxray` exporter instead.
 *
 * One difference remains with `indexed_attributes` configured in the collector (§6 step 5): keys the
 * translator consumes for a block (`http.*`, `db.*`, `aws.*` ...) are put back as annotations only
 * for the configured list, not for keys named in `aws.xray.annotations`. Annotate custom keys.
 */
import { diag } from '@opentelemetry/api';
import {
  AWS_XRAY_ANNOTATIONS_ATTRIBUTE,
  INDEXED_ATTRIBUTES_ENV,
  INDEX_ALL_ATTRIBUTES_ENV,
  OTEL_RESOURCE_ATTRIBUTE_PREFIX,
} from '@xray-otel/core';

export { AWS_XRAY_ANNOTATIONS_ATTRIBUTE, INDEXED_ATTRIBUTES_ENV, INDEX_ALL_ATTRIBUTES_ENV };

/** Options of {@link AWSXRayAnnotationsSpanProcessor}. */
export interface AWSXRayAnnotationsSpanProcessorOptions {
  /** Attribute keys to annotate (`otel.resource.<key>` for a resource attribute). Default: `OTEL_AWS_XRAY_INDEXED_ATTRIBUTES`, comma-separated, else none. */
  indexedAttributes?: string[];
  /** Annotate every attribute. Default: `OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES` = `true`, else false. */
  indexAllAttributes?: boolean;
}

/** The part of the SDK's `Span` this processor touches (2.x and 3.x). */
export interface WritableSpanLike {
  readonly attributes: Record<string, unknown>;
  readonly resource?: { readonly attributes: Record<string, unknown> };
  setAttribute(key: string, value: string[]): unknown;
}

/** Options resolved against the environment, in one place. */
export function resolveAnnotationsOptions(
  options: AWSXRayAnnotationsSpanProcessorOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): { indexedAttributes: string[]; indexAllAttributes: boolean } {
  let indexed = options.indexedAttributes;
  if (indexed === undefined) {
    indexed = (env[INDEXED_ATTRIBUTES_ENV] ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== '');
  }
  const indexAll =
    options.indexAllAttributes ?? (env[INDEX_ALL_ATTRIBUTES_ENV] ?? '').trim().toLowerCase() === 'true';
  return {
    indexedAttributes: indexed.filter((key) => typeof key === 'string' && key !== ''),
    indexAllAttributes: indexAll,
  };
}

/** A SpanProcessor (2.x and 3.x) that writes `aws.xray.annotations`; it exports nothing itself. */
export class AWSXRayAnnotationsSpanProcessor {
  readonly indexedAttributes: readonly string[];
  readonly indexAllAttributes: boolean;

  constructor(options: AWSXRayAnnotationsSpanProcessorOptions = {}) {
    const resolved = resolveAnnotationsOptions(options);
    this.indexedAttributes = resolved.indexedAttributes;
    this.indexAllAttributes = resolved.indexAllAttributes;
  }

  onStart(span: WritableSpanLike): void {
    this.annotate(span);
  }

  onEnding(span: WritableSpanLike): void {
    this.annotate(span);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  private annotate(span: WritableSpanLike): void {
    if (this.indexedAttributes.length === 0 && !this.indexAllAttributes) return;
    try {
      const attributes = span.attributes;
      const existing = attributes[AWS_XRAY_ANNOTATIONS_ATTRIBUTE];
      const keys = new Set<string>();
      if (Array.isArray(existing)) for (const key of existing) if (typeof key === 'string') keys.add(key);
      const before = keys.size;
      for (const key of this.indexedAttributes) keys.add(key);
      if (this.indexAllAttributes) {
        for (const key of Object.keys(attributes)) if (key !== AWS_XRAY_ANNOTATIONS_ATTRIBUTE) keys.add(key);
        const resource = span.resource?.attributes;
        if (resource) for (const key of Object.keys(resource)) keys.add(OTEL_RESOURCE_ATTRIBUTE_PREFIX + key);
      }
      if (keys.size > before) span.setAttribute(AWS_XRAY_ANNOTATIONS_ATTRIBUTE, [...keys]);
    } catch (error) {
      // A span that cannot be read or written (a foreign Span implementation, a getter that throws):
      // the span goes on without annotations, the app is not disturbed.
      diag.warn('@xray-otel/exporter-otlp: could not set aws.xray.annotations', error);
    }
  }
}
