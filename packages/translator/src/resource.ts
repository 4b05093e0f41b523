/**
 * What the translator derives from a span's resource once per resource rather than once per span:
 * every span of a process shares one resource. Entries are keyed weakly by the resource attributes
 * object, so a resource that goes away takes its entry with it. The SDK's resources are immutable
 * (their attributes are memoised once); an object mutated after a span of it was translated keeps
 * its first entry.
 */
import { redactAttributes, type RedactionRules } from '@xray-otel/core';
import { RESOURCE_KEY_PREFIX } from './constants';
import type { AttributesLike } from './types';

export interface ResourceKeys {
  keys: string[];
  /** `otel.resource.<key>`, the metadata and annotation names (§13.1). */
  prefixed: string[];
}

interface ResourceEntry {
  keys?: ResourceKeys;
  /** The attributes redacted with `rules` (the same object when nothing is secret). */
  redacted?: { rules: RedactionRules; attributes: AttributesLike };
}

const cache = new WeakMap<object, ResourceEntry>();

function entryOf(resourceAttributes: AttributesLike): ResourceEntry {
  let entry = cache.get(resourceAttributes);
  if (entry === undefined) {
    entry = {};
    cache.set(resourceAttributes, entry);
  }
  return entry;
}

/** The keys and their `otel.resource.` names (building them per span was ~10 % of a server span's translation). */
export function resourceKeysOf(resourceAttributes: AttributesLike): ResourceKeys {
  const entry = entryOf(resourceAttributes);
  if (entry.keys !== undefined) return entry.keys;
  const keys: string[] = [];
  const prefixed: string[] = [];
  for (const key in resourceAttributes) {
    keys.push(key);
    prefixed.push(RESOURCE_KEY_PREFIX + key);
  }
  return (entry.keys = { keys, prefixed });
}

/**
 * The resource attributes as core's `redactAttributes` leaves them (the Node.js SDK's process
 * detector records `process.command_args`, so the copy is made once, not per span).
 */
export function redactedResourceAttributes(
  resourceAttributes: AttributesLike,
  rules: RedactionRules,
): AttributesLike {
  const entry = entryOf(resourceAttributes);
  const redacted = entry.redacted;
  if (redacted !== undefined && redacted.rules === rules) return redacted.attributes;
  const attributes = redactAttributes(resourceAttributes, rules);
  entry.redacted = { rules, attributes };
  return attributes;
}
