/** `links` (translator-spec.md §14): one entry per span link, trace ids validated like the span's. */
import type { SpanLinkData } from './document';
import { TranslationError } from './errors';
import { isHex, checkedXRayTraceId } from './ids';
import type { SpanLinkLike } from './types';
import { isArray, rawValue } from './values';

export function makeLinks(
  links: readonly SpanLinkLike[] | undefined,
  nowSeconds: number | undefined,
): SpanLinkData[] | undefined {
  if (!isArray(links) || links.length === 0) return undefined;
  const result = new Array<SpanLinkData>(links.length);
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    const context = link?.context;
    if (context == null || !isHex(context.spanId, 16)) {
      throw new TranslationError('invalid-link', 'invalid span link ' + i);
    }
    const data: SpanLinkData = {
      trace_id: checkedXRayTraceId(context.traceId, nowSeconds),
      id: context.spanId.toLowerCase(),
    };
    const attributes = link.attributes;
    if (attributes != null && typeof attributes === 'object') {
      let copy: Record<string, unknown> | undefined;
      for (const key in attributes) {
        const raw = rawValue(attributes[key]);
        if (raw !== undefined) (copy ??= {})[key] = raw;
      }
      if (copy !== undefined) data.attributes = copy;
    }
    result[i] = data;
  }
  return result;
}
