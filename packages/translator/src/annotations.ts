/**
 * `user`, `annotations` and `metadata` from what the block builders left (translator-spec.md
 * §11.3, §13). Resource attributes are stored (as `otel.resource.<key>`) on segments only.
 */
import {
  AWS_XRAY_ANNOTATIONS,
  DEFAULT_METADATA_NAMESPACE,
  ENDUSER_ID,
  METADATA_ATTRIBUTE_PREFIX,
} from './constants';
import type { AnnotationValue } from './document';
import { resourceKeysOf } from './resource';
import type { AttributesLike } from './types';
import { annotationValue, rawValue } from './values';

export interface XRayAttributes {
  user: string | undefined;
  annotations: Record<string, AnnotationValue> | undefined;
  metadata: Record<string, Record<string, unknown>> | undefined;
}

export interface AnnotationOptions {
  indexedAttributes: readonly string[] | undefined;
  indexAllAttributes: boolean;
  allowDot: boolean;
}

/**
 * §13.3: keep ASCII letters and digits (and `.` when allowed); every other code point becomes one
 * `_`. Returns the key itself when nothing changes (the common case, no allocation).
 */
export function fixAnnotationKey(key: string, allowDot: boolean): string {
  let i = 0;
  const length = key.length;
  for (; i < length; i++) {
    const c = key.charCodeAt(i);
    if (!isAnnotationKeyChar(c, allowDot)) break;
  }
  if (i === length) return key;
  let out = key.slice(0, i);
  for (; i < length; i++) {
    const c = key.charCodeAt(i);
    if (isAnnotationKeyChar(c, allowDot)) {
      out += key[i];
    } else {
      out += '_';
      // A surrogate pair is one code point: one '_'.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < length) {
        const low = key.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) i++;
      }
    }
  }
  return out;
}

function isAnnotationKeyChar(c: number, allowDot: boolean): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (allowDot && c === 46);
}

function parseMetadataObject(text: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

export function makeXRayAttributes(
  attributes: AttributesLike,
  consumed: Set<string>,
  resourceAttributes: AttributesLike,
  storeResource: boolean,
  options: AnnotationOptions,
): XRayAttributes {
  let user: string | undefined;
  let remaining = 0;
  for (const key in attributes) {
    if (consumed.has(key)) continue;
    if (key === ENDUSER_ID) {
      const value = attributes[key];
      if (typeof value === 'string' && value !== '') user = value;
      continue;
    }
    remaining++;
  }
  let hasResource = false;
  if (storeResource) {
    for (const _key in resourceAttributes) {
      hasResource = true;
      break;
    }
  }
  if (remaining === 0 && !hasResource) return { user, annotations: undefined, metadata: undefined };

  const { indexAllAttributes, allowDot } = options;
  let indexed: Set<string> | undefined;
  if (
    !indexAllAttributes &&
    options.indexedAttributes !== undefined &&
    options.indexedAttributes.length > 0
  ) {
    indexed = new Set(options.indexedAttributes);
  }
  const listed = attributes[AWS_XRAY_ANNOTATIONS];
  // Only an array-valued aws.xray.annotations is read (and removed); any other value is metadata.
  const hasListed = Array.isArray(listed) && !consumed.has(AWS_XRAY_ANNOTATIONS);
  if (hasListed) {
    for (let i = 0; i < listed.length; i++) {
      const key: unknown = listed[i];
      if (typeof key !== 'string') continue;
      if (indexed === undefined) indexed = new Set();
      indexed.add(key);
    }
  }

  let annotations: Record<string, AnnotationValue> | undefined;
  let defaultMetadata: Record<string, unknown> | undefined;
  let metadata: Record<string, Record<string, unknown>> | undefined;

  if (hasResource) {
    const { keys, prefixed } = resourceKeysOf(resourceAttributes);
    for (let i = 0; i < keys.length; i++) {
      const key = prefixed[i];
      const value = resourceAttributes[keys[i]];
      const annotation = annotationValue(value);
      if (annotation !== undefined && (indexAllAttributes || (indexed !== undefined && indexed.has(key)))) {
        (annotations ??= {})[fixAnnotationKey(key, allowDot)] = annotation;
      } else {
        const raw = rawValue(value);
        if (raw !== undefined) (defaultMetadata ??= {})[key] = raw;
      }
    }
  }

  for (const key in attributes) {
    if (key === ENDUSER_ID || consumed.has(key)) continue;
    if (hasListed && key === AWS_XRAY_ANNOTATIONS) continue;
    const value = attributes[key];
    // An empty key would become an empty annotation key, which X-Ray rejects with the whole document
    // (the collector sends it anyway); OpenTelemetry SDKs drop such attributes, OTLP may carry them.
    if (indexAllAttributes) {
      const annotation = annotationValue(value);
      if (annotation !== undefined && key !== '')
        (annotations ??= {})[fixAnnotationKey(key, allowDot)] = annotation;
      continue; // non-annotatable attributes are dropped with index_all_attributes
    }
    if (indexed !== undefined && indexed.has(key) && key !== '') {
      const annotation = annotationValue(value);
      if (annotation !== undefined) (annotations ??= {})[fixAnnotationKey(key, allowDot)] = annotation;
    } else if (typeof value === 'string' && key.startsWith(METADATA_ATTRIBUTE_PREFIX)) {
      const namespace = key.slice(METADATA_ATTRIBUTE_PREFIX.length);
      const parsed = parseMetadataObject(value);
      if (parsed === undefined) {
        (defaultMetadata ??= {})[key] = value;
      } else if (namespace.toLowerCase() === DEFAULT_METADATA_NAMESPACE) {
        defaultMetadata ??= {};
        for (const member in parsed) defaultMetadata[member] = parsed[member];
      } else {
        (metadata ??= {})[namespace] = parsed;
      }
    } else {
      const raw = rawValue(value);
      if (raw !== undefined) (defaultMetadata ??= {})[key] = raw;
    }
  }
  if (defaultMetadata !== undefined) (metadata ??= {})[DEFAULT_METADATA_NAMESPACE] = defaultMetadata;
  return { user, annotations, metadata };
}
