/** Shared test helpers: the shared reference folder, vector spans, the X-Ray schema validator. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AttributesLike, HrTimeLike, ReadableSpanLike, TranslatorOptions } from '../src';

export const SHARED = path.resolve(__dirname, '../../../../shared');

/** Every deviation that has an option, turned off (README "Deviations from the collector"). */
export const COLLECTOR_EXACT: TranslatorOptions = {
  cleanNames: false,
  awsSdkConventions: false,
  stableDbConventions: false,
  nodeStackFrames: false,
};

export function readShared<T = unknown>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(SHARED, relative), 'utf8')) as T;
}

const KINDS: Record<string, number> = {
  UNSPECIFIED: 0,
  INTERNAL: 0,
  SERVER: 1,
  CLIENT: 2,
  PRODUCER: 3,
  CONSUMER: 4,
};
const STATUS: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };

/** A vector attribute value: JSON types plus `$double`, `$empty`, `$bytes` wrappers. */
export function vectorValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(vectorValue);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    if (keys.length === 1 && keys[0].startsWith('$')) {
      if (keys[0] === '$double') return Number(record.$double);
      if (keys[0] === '$empty') return null;
      if (keys[0] === '$bytes') return new Uint8Array(Buffer.from(String(record.$bytes), 'base64'));
    }
    const map: Record<string, unknown> = {};
    for (const key of keys) map[key] = vectorValue(record[key]);
    return map;
  }
  return value;
}

export function vectorAttributes(map: Record<string, unknown> | undefined): AttributesLike {
  const attributes: AttributesLike = {};
  for (const key of Object.keys(map ?? {})) attributes[key] = vectorValue(map![key]);
  return attributes;
}

/** Decimal nanosecond string → HrTime, exactly. */
export function hrTime(nanos: string | undefined): HrTimeLike {
  const value = BigInt(nanos ?? '0');
  return [Number(value / 1_000_000_000n), Number(value % 1_000_000_000n)];
}

export interface VectorSpan {
  kind: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  status?: { code?: string; message?: string };
  attributes?: Record<string, unknown>;
  events?: { name: string; timeUnixNano?: string; attributes?: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string; attributes?: Record<string, unknown> }[];
}

export function vectorToSpan(
  span: VectorSpan,
  resource: Record<string, unknown> | undefined,
): ReadableSpanLike {
  const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 };
  const parent =
    span.parentSpanId !== undefined && span.parentSpanId !== ''
      ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: 1 }
      : undefined;
  return {
    name: span.name,
    kind: KINDS[span.kind] ?? 0,
    spanContext: () => context,
    parentSpanContext: parent,
    startTime: hrTime(span.startTimeUnixNano),
    endTime: hrTime(span.endTimeUnixNano),
    status: { code: STATUS[span.status?.code ?? 'UNSET'] ?? 0, message: span.status?.message },
    attributes: vectorAttributes(span.attributes),
    events: (span.events ?? []).map((event) => ({
      name: event.name,
      time: hrTime(event.timeUnixNano),
      attributes: vectorAttributes(event.attributes),
    })),
    links: (span.links ?? []).map((link) => ({
      context: { traceId: link.traceId, spanId: link.spanId, traceFlags: 1 },
      attributes: vectorAttributes(link.attributes),
    })),
    resource: { attributes: vectorAttributes(resource) },
    ended: true,
  };
}

/** A minimal ReadableSpan-shaped object for unit tests. */
export function makeSpan(overrides: Partial<ReadableSpanLike> & { traceId?: string; spanId?: string } = {}) {
  const context = {
    traceId: overrides.traceId ?? '6553f100312906e50d5b1d346de40387',
    spanId: overrides.spanId ?? '2e24be9ae2682721',
    traceFlags: 1,
  };
  const span: ReadableSpanLike = {
    name: 'operation',
    kind: 1,
    spanContext: () => context,
    startTime: [1700000000, 0],
    endTime: [1700000001, 500000000],
    status: { code: 0 },
    attributes: {},
    links: [],
    events: [],
    resource: { attributes: {} },
    ...overrides,
  };
  return span;
}

type Validate = ((doc: unknown) => boolean) & { errors?: unknown };
let validators: { strict: Validate; relaxed: Validate } | undefined;

/**
 * Validators for /work/shared/schema/xray-segment-schema.json (draft-04). `relaxed` differs only in
 * allowing `.` in annotation keys: the collector's default (allowDot on) emits dotted keys, which
 * X-Ray has accepted since 2024 but this 1.0.0 schema predates.
 */
export function schemaValidators(): { strict: Validate; relaxed: Validate } {
  if (validators) return validators;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv-draft-04');
  const schema = readShared<Record<string, unknown>>('schema/xray-segment-schema.json');
  const relaxedSchema = JSON.parse(
    JSON.stringify(schema).split('^[a-zA-Z0-9_]{1,500}$').join('^[a-zA-Z0-9_.]{1,500}$'),
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  const ajvRelaxed = new Ajv({ allErrors: true, strict: false });
  validators = { strict: ajv.compile(schema), relaxed: ajvRelaxed.compile(relaxedSchema) };
  return validators;
}

/** Asserts a document is valid against the (relaxed for dots) X-Ray schema; returns the errors text. */
export function schemaErrors(doc: unknown): string | undefined {
  const { relaxed } = schemaValidators();
  const json = JSON.parse(JSON.stringify(doc));
  return relaxed(json) ? undefined : JSON.stringify(relaxed.errors);
}
