/**
 * Serialization of one X-Ray segment document, with a size guard.
 *
 * X-Ray accepts documents of "up to 64 kB" and the daemon's UDP path fails above 65,507 bytes
 * (xray-protocol.md §1.3, §10). The collector's exporter does no size check at all, so an oversized
 * document is silently dropped by the service (translator-spec.md §16). We keep every document at or
 * under {@link MAX_SEGMENT_BYTES} instead: an oversized document is shrunk deterministically and
 * flagged, never dropped.
 *
 * Shrinking, in order, each step only as far as needed (the document is measured after each one):
 *  1. metadata entries, largest first, removed;
 *  2. exception stack frames (`cause.exceptions[].stack`), dropped from the end of the largest
 *     stacks first; the exception's `truncated` (X-Ray: number of frames omitted) is increased;
 *  3. annotations, largest first, removed;
 *  4. long strings anywhere, cut to a bound (8192, 2048, 512, 128, then 64 characters) and suffixed
 *     with {@link TRUNCATED_SUFFIX}; fields with an X-Ray length limit (`name` 200, `user`,
 *     `http.request.*` and `sql.user` 250) are cut to that limit at the same
 *     time;
 *  5. optional top-level fields (`links`, `cause`, `aws`, `http`, `sql`, ...), largest first;
 *  6. last resort: the minimal document of the core fields (`name`, `id`, `trace_id`, times, flags).
 *
 * The marker is the metadata namespace {@link TRUNCATION_NAMESPACE}, written last so no step removes
 * it: `{"truncated": true, "original_bytes": N, "removed_metadata": n, ...}` (counts only, so it stays
 * under ~250 bytes whatever was removed). Metadata is "object of objects" in the X-Ray schema, so the
 * marker keeps the document schema-valid; a `xray_otel` namespace already in the document is
 * replaced by the marker when (and only when) the document had to be shrunk.
 */
import { isObject, MAX_DOCUMENT_BYTES } from '@xray-otel/core';

/** The largest document we emit, in UTF-8 bytes (xray-protocol.md §1.3: "keep each document <= 64,000"). */
export const MAX_SEGMENT_BYTES = MAX_DOCUMENT_BYTES;

/** Metadata namespace of the truncation marker. Not `AWS.`-prefixed: those are reserved (§2.8). */
export const TRUNCATION_NAMESPACE = 'xray_otel';

/** Appended to a string cut by the size guard. */
export const TRUNCATED_SUFFIX = '...[truncated]';

/** Appended to a cut segment `name` instead: the schema's name pattern allows `.` but not `[`. */
const NAME_TRUNCATED_SUFFIX = '...';

/** What {@link serializeSegmentWithInfo} returns: exporters count truncated documents and bytes. */
export interface SerializeResult {
  /** The JSON text of the document, at most {@link MAX_SEGMENT_BYTES} bytes of UTF-8. */
  json: string;
  /** UTF-8 byte length of `json`. */
  bytes: number;
  /** True when the document was shrunk (or replaced by the minimal document) to fit. */
  truncated: boolean;
}

type JsonObject = Record<string, unknown>;

interface TruncationCounts {
  original_bytes?: number;
  unserializable?: boolean;
  removed_metadata: number;
  removed_stack_frames: number;
  removed_annotations: number;
  cut_strings: number;
  removed_fields: number;
  minimal_document?: boolean;
}

// UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair is 4 bytes for 2 units), so a
// string of up to this many code units always fits without measuring it.
const FAST_PATH_CHARS = Math.floor(MAX_SEGMENT_BYTES / 3);

// Room kept for the marker and for the `truncated` counts written on exceptions while estimating
// what to remove; the document is measured exactly after every step anyway.
const ESTIMATE_SLACK = 512;

// The last bound stays above the 35 characters of a trace ID.
const STRING_BOUNDS = [8192, 2048, 512, 128, 64];

// Schema limits (xray-segment-schema.json; xray-protocol.md §2.1, §10) applied when strings are cut.
const NAME_MAX_CHARS = 200;
const FIELD_MAX_CHARS = 250;

// Fields kept by the minimal document and never removed by step 5.
const CORE_FIELDS = [
  'name',
  'id',
  'start_time',
  'trace_id',
  'end_time',
  'in_progress',
  'parent_id',
  'type',
  'namespace',
  'fault',
  'error',
  'throttle',
  'origin',
  'user',
];
const CORE_FIELD_SET = new Set(CORE_FIELDS);

/**
 * The JSON text of one segment document, at most {@link MAX_SEGMENT_BYTES} bytes of UTF-8.
 * Never throws and never mutates `doc`. Typed `object` so any document interface is accepted (an
 * interface has no implicit index signature); a non-object yields the minimal document.
 */
export function serializeSegment(doc: object): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(doc);
  } catch {
    return minimalDocument(doc, undefined).json;
  }
  // The common case: one stringify and a length comparison (and `{`: an object, not `null` or `42`).
  if (typeof json === 'string' && json.length <= FAST_PATH_CHARS && json.charCodeAt(0) === 0x7b) return json;
  return guard(doc, json).json;
}

/** Like {@link serializeSegment}, also telling the byte length and whether the document was shrunk. */
export function serializeSegmentWithInfo(doc: object): SerializeResult {
  let json: string | undefined;
  try {
    json = JSON.stringify(doc);
  } catch {
    return minimalDocument(doc, undefined);
  }
  if (typeof json === 'string' && json.length <= FAST_PATH_CHARS && json.charCodeAt(0) === 0x7b) {
    return { json, bytes: Buffer.byteLength(json, 'utf8'), truncated: false };
  }
  return guard(doc, json);
}

function guard(doc: object, json: string | undefined): SerializeResult {
  // `JSON.stringify` returns undefined for undefined, functions and symbols, and a non-object text
  // for primitives and arrays: none of them is a document.
  if (typeof json !== 'string' || json.charCodeAt(0) !== 0x7b /* { */) return minimalDocument(doc, undefined);
  // Lone surrogates come out of JSON.stringify as `\udxxx` escapes, so `json` is well-formed and its
  // UTF-8 length is exact.
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_SEGMENT_BYTES) return { json, bytes, truncated: false };
  try {
    return shrink(json, bytes);
  } catch {
    // Defensive: shrinking works on plain parsed JSON and should not throw (deep nesting could
    // still exhaust the stack in a stringify); the minimal document always fits.
    return minimalDocument(doc, bytes);
  }
}

/**
 * Shrinks a document that serializes to `bytes` > MAX_SEGMENT_BYTES. Works on `JSON.parse(json)`:
 * a deep copy with exactly the serialized content (no getters, toJSON, cycles or undefined), which
 * also guarantees the caller's document is never mutated.
 */
function shrink(json: string, bytes: number): SerializeResult {
  const work = JSON.parse(json) as JsonObject;
  const counts: TruncationCounts = {
    original_bytes: bytes,
    removed_metadata: 0,
    removed_stack_frames: 0,
    removed_annotations: 0,
    cut_strings: 0,
    removed_fields: 0,
  };
  // The metadata object the marker goes into; replaced (not mutated) when it is not an object.
  if (!isObject(work.metadata)) {
    if (work.metadata !== undefined) counts.removed_metadata++;
    work.metadata = {};
  }
  const metadata = work.metadata as JsonObject;
  if (TRUNCATION_NAMESPACE in metadata) {
    counts.removed_metadata++;
    delete metadata[TRUNCATION_NAMESPACE];
  }

  removeMetadata(metadata, bytes - MAX_SEGMENT_BYTES + ESTIMATE_SLACK, counts);
  let result = measure(work, counts);
  if (result.bytes <= MAX_SEGMENT_BYTES) return result;

  removeStackFrames(work, result.bytes - MAX_SEGMENT_BYTES + ESTIMATE_SLACK, counts);
  result = measure(work, counts);
  if (result.bytes <= MAX_SEGMENT_BYTES) return result;

  removeAnnotations(work, result.bytes - MAX_SEGMENT_BYTES + ESTIMATE_SLACK, counts);
  result = measure(work, counts);
  if (result.bytes <= MAX_SEGMENT_BYTES) return result;

  capLimitedFields(work, counts);
  for (const bound of STRING_BOUNDS) {
    cutStrings(work, bound, counts);
    result = measure(work, counts);
    if (result.bytes <= MAX_SEGMENT_BYTES) return result;
  }

  removeOptionalFields(work, result.bytes - MAX_SEGMENT_BYTES + ESTIMATE_SLACK, counts);
  result = measure(work, counts);
  if (result.bytes <= MAX_SEGMENT_BYTES) return result;

  return minimalDocument(work, bytes);
}

/** Stringifies `work` with the marker in place (the marker is always written last). */
function measure(work: JsonObject, counts: TruncationCounts): SerializeResult {
  // `shrink` made `metadata` an object and no step removes it.
  (work.metadata as JsonObject)[TRUNCATION_NAMESPACE] = marker(counts);
  const json = JSON.stringify(work);
  return { json, bytes: Buffer.byteLength(json, 'utf8'), truncated: true };
}

function marker(counts: TruncationCounts): JsonObject {
  const m: JsonObject = { truncated: true };
  // Non-zero counts only: the marker stays small and says what happened.
  for (const [key, value] of Object.entries(counts)) {
    if (value !== 0 && value !== undefined && value !== false) m[key] = value;
  }
  return m;
}

/** An entry of an object (metadata entry, annotation, ...) with its serialized size. */
interface SizedEntry {
  owner: JsonObject;
  key: string;
  bytes: number;
}

/** `"key":value,` in UTF-8 bytes. */
function entryBytes(key: string, value: unknown): number {
  return (
    Buffer.byteLength(JSON.stringify(key), 'utf8') + Buffer.byteLength(JSON.stringify(value), 'utf8') + 2
  );
}

/** Removes entries, largest first (ties: later entries first), until `excess` bytes are freed. */
function removeLargest(entries: SizedEntry[], excess: number): number {
  // Array.prototype.sort is stable, so equal sizes keep their reversed insertion order: deterministic.
  entries.reverse().sort((a, b) => b.bytes - a.bytes);
  let removed = 0;
  for (const entry of entries) {
    if (excess <= 0) break;
    delete entry.owner[entry.key];
    excess -= entry.bytes;
    removed++;
  }
  return removed;
}

function removeMetadata(metadata: JsonObject, excess: number, counts: TruncationCounts): void {
  const entries: SizedEntry[] = [];
  for (const namespace of Object.keys(metadata)) {
    if (namespace === TRUNCATION_NAMESPACE) continue;
    const value = metadata[namespace];
    if (isObject(value)) {
      for (const key of Object.keys(value))
        entries.push({ owner: value, key, bytes: entryBytes(key, value[key]) });
    } else {
      // Not an object of objects (schema-invalid input): the namespace is one entry.
      entries.push({ owner: metadata, key: namespace, bytes: entryBytes(namespace, value) });
    }
  }
  counts.removed_metadata += removeLargest(entries, excess);
  // Namespaces left empty go too (`"ns":{}` is noise).
  for (const namespace of Object.keys(metadata)) {
    const value = metadata[namespace];
    if (namespace !== TRUNCATION_NAMESPACE && isObject(value) && isEmpty(value)) delete metadata[namespace];
  }
}

function removeStackFrames(work: JsonObject, excess: number, counts: TruncationCounts): void {
  const cause = work.cause;
  if (!isObject(cause) || !Array.isArray(cause.exceptions)) return;
  const stacks: { exception: JsonObject; frames: unknown[]; frameBytes: number[]; bytes: number }[] = [];
  for (const exception of cause.exceptions) {
    if (!isObject(exception) || !Array.isArray(exception.stack) || exception.stack.length === 0) continue;
    const frames = exception.stack;
    const frameBytes = frames.map((frame) => Buffer.byteLength(JSON.stringify(frame), 'utf8') + 1);
    stacks.push({ exception, frames, frameBytes, bytes: frameBytes.reduce((a, b) => a + b, 0) });
  }
  stacks.sort((a, b) => b.bytes - a.bytes);
  for (const stack of stacks) {
    if (excess <= 0) break;
    let dropped = 0;
    while (excess > 0 && stack.frames.length > 0) {
      excess -= stack.frameBytes[stack.frames.length - 1];
      stack.frames.pop();
      dropped++;
    }
    const previous = stack.exception.truncated;
    const alreadyTruncated =
      typeof previous === 'number' && Number.isInteger(previous) && previous > 0 ? previous : 0;
    // `"truncated":N,` costs what it costs; the next measurement accounts for it.
    stack.exception.truncated = alreadyTruncated + dropped;
    counts.removed_stack_frames += dropped;
  }
}

function removeAnnotations(work: JsonObject, excess: number, counts: TruncationCounts): void {
  const annotations = work.annotations;
  if (!isObject(annotations)) return;
  const entries: SizedEntry[] = [];
  for (const key of Object.keys(annotations)) {
    entries.push({ owner: annotations, key, bytes: entryBytes(key, annotations[key]) });
  }
  counts.removed_annotations += removeLargest(entries, excess);
  if (isEmpty(annotations)) delete work.annotations;
}

/** Cuts the fields X-Ray limits in length to that limit (only once shrinking got this far). */
function capLimitedFields(work: JsonObject, counts: TruncationCounts): void {
  capField(work, 'name', NAME_MAX_CHARS, NAME_TRUNCATED_SUFFIX, counts);
  capField(work, 'user', FIELD_MAX_CHARS, TRUNCATED_SUFFIX, counts);
  const http = work.http;
  if (isObject(http) && isObject(http.request)) {
    const request = http.request;
    for (const key of Object.keys(request)) capField(request, key, FIELD_MAX_CHARS, TRUNCATED_SUFFIX, counts);
  }
  const sql = work.sql;
  if (isObject(sql)) capField(sql, 'user', FIELD_MAX_CHARS, TRUNCATED_SUFFIX, counts);
  // Annotations need no cap here: the previous step removed them all if strings must be cut.
}

function capField(
  owner: JsonObject,
  key: string,
  max: number,
  suffix: string,
  counts: TruncationCounts,
): void {
  const value = owner[key];
  if (typeof value === 'string' && value.length > max) {
    setOwn(owner, key, cutString(value, max, suffix));
    counts.cut_strings++;
  }
}

/** Cuts every string value longer than `bound` characters, anywhere in the document (not keys). */
function cutStrings(work: JsonObject, bound: number, counts: TruncationCounts): void {
  // Explicit stack: metadata and link attributes may be nested deeper than the call stack allows.
  const pending: (JsonObject | unknown[])[] = [work];
  while (pending.length > 0) {
    const container = pending.pop() as JsonObject;
    for (const key of Object.keys(container)) {
      const value = container[key];
      if (typeof value === 'string') {
        if (value.length > bound) {
          const suffix = container === work && key === 'name' ? NAME_TRUNCATED_SUFFIX : TRUNCATED_SUFFIX;
          setOwn(container, key, cutString(value, bound, suffix));
          counts.cut_strings++;
        }
      } else if (typeof value === 'object' && value !== null) {
        pending.push(value as JsonObject);
      }
    }
  }
}

function removeOptionalFields(work: JsonObject, excess: number, counts: TruncationCounts): void {
  const entries: SizedEntry[] = [];
  for (const key of Object.keys(work)) {
    if (CORE_FIELD_SET.has(key) || key === 'metadata') continue;
    entries.push({ owner: work, key, bytes: entryBytes(key, work[key]) });
  }
  counts.removed_fields += removeLargest(entries, excess);
}

/**
 * The last resort, also used when the document cannot be serialized at all (a cycle, a BigInt, a
 * throwing getter or toJSON): the core fields that are primitives, long strings cut, plus the
 * marker. Always well under the limit; reads `doc` defensively since it may be anything.
 */
function minimalDocument(doc: unknown, originalBytes: number | undefined): SerializeResult {
  const minimal: JsonObject = {};
  const counts: TruncationCounts = {
    original_bytes: originalBytes,
    unserializable: originalBytes === undefined ? true : undefined,
    removed_metadata: 0,
    removed_stack_frames: 0,
    removed_annotations: 0,
    cut_strings: 0,
    removed_fields: 0,
    minimal_document: true,
  };
  if (typeof doc === 'object' && doc !== null) {
    for (const field of CORE_FIELDS) {
      let value: unknown;
      try {
        value = (doc as JsonObject)[field];
      } catch {
        continue;
      }
      if (typeof value === 'string') {
        const max = field === 'name' ? NAME_MAX_CHARS : FIELD_MAX_CHARS;
        if (value.length > max) counts.cut_strings++;
        minimal[field] = cutString(value, max, field === 'name' ? NAME_TRUNCATED_SUFFIX : TRUNCATED_SUFFIX);
      } else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
        minimal[field] = value;
      }
    }
  }
  minimal.metadata = { [TRUNCATION_NAMESPACE]: marker(counts) };
  const json = JSON.stringify(minimal);
  return { json, bytes: Buffer.byteLength(json, 'utf8'), truncated: true };
}

/** `value` cut to at most `max` UTF-16 units including `suffix`, never splitting a surrogate pair. */
function cutString(value: string, max: number, suffix: string): string {
  if (value.length <= max) return value;
  let end = max - suffix.length;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return value.slice(0, end) + suffix;
}

// Plain assignment would hit the `__proto__` setter for a key parsed from JSON; define the property.
function setOwn(owner: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(owner, key, { value, writable: true, enumerable: true, configurable: true });
}

function isEmpty(value: JsonObject): boolean {
  for (const _key in value) return false;
  return true;
}
