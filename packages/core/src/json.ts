/** Small guards for values that come from JSON, the network or user code. */

/** A non-null object that is not an array: a JSON object, an attribute map, an options object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
